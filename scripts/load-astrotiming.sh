#!/usr/bin/env bash
# Measures AstroTiming's cached GET /api/v1/hours throughput (issue 5: ≥ 5,000 requests/s at 100
# connections on the 2-core development machine). Starts `alorig serve --apps=astrotiming` on
# loopback, registers a throw-away user, creates KEYS premium API keys (each key is limited to
# 3,000/min, so the load is spread over enough keys that no request is refused), warms the
# cache with one request, then runs wrk for DURATION with every request carrying X-API-Key —
# the full path: key lookup, per-minute GCRA and daily count in Redis, cached body from Redis.
# Every answer must be 200: the script fails on any non-2xx.
#
#   scripts/load-astrotiming.sh                       # 100 connections, 15 s
#   CONNECTIONS=100 DURATION=30s scripts/load-astrotiming.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-100}
THREADS=${THREADS:-2}
KEYS=${KEYS:-200}
PORT=${PORT:-18020}
BASE="http://127.0.0.1:$PORT"
HOST=astrotiming.localhost

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq is missing: apt-get install -y jq" >&2; exit 1; }
eval "$(scripts/dev-services.sh)"
BIN=${BIN:-bin/alorig}
[ -n "${SKIP_BUILD:-}" ] || make -s build >/dev/null
$BIN migrate --app=astrotiming >/dev/null 2>&1

ALORIG_ADMIN_ADDR=off ALORIG_LOG_LEVEL=warn $BIN serve --apps=astrotiming --addr="127.0.0.1:$PORT" >/dev/null 2>/tmp/alorig-astro-load.log &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
until curl -fs -o /dev/null "$BASE/readyz"; do
	kill -0 $pid 2>/dev/null || { echo "serve exited; see /tmp/alorig-astro-load.log" >&2; exit 1; }
	sleep 0.05
done

email="load-$(date +%s%N)@example.com"
token=$(curl -fs -H "Host: $HOST" -H 'Content-Type: application/json' \
	-d "{\"email\":\"$email\",\"password\":\"load-test-password\"}" "$BASE/api/v1/auth/register" | jq -r .token)
keys=$(mktemp)
for _ in $(seq "$KEYS"); do
	curl -fs -H "Host: $HOST" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
		-d '{"name":"load","tier":"premium"}' "$BASE/api/v1/auth/keys" | jq -r .key >>"$keys"
done
path="/api/v1/hours?lat=31.5497&lng=74.3436&tz=Asia/Karachi&date=2026-03-13"
curl -fs -o /dev/null -H "Host: $HOST" -H "X-API-Key: $(head -1 "$keys")" "$BASE$path"

lua=$(mktemp --suffix=.lua)
{
	echo 'local keys = {'
	sed 's/.*/"&",/' "$keys"
	echo '}'
	cat <<LUA
local i = math.random(#keys)
request = function()
  i = i % #keys + 1
  return wrk.format("GET", "$path", {["Host"] = "$HOST", ["X-API-Key"] = keys[i]})
end
LUA
} >"$lua"
out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$lua" "$BASE/")
rm -f "$lua" "$keys"
echo "$out"
rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
printf '%-24s %s\n' "load" "$CONNECTIONS connections, $THREADS threads, $DURATION, $KEYS premium keys" \
	"requests/s" "$rps" "p99 latency" "$p99"
if grep -qE 'Non-2xx' <<<"$out"; then
	echo "FAIL: some answers were not 2xx" >&2
	exit 1
fi
