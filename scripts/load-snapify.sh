#!/usr/bin/env bash
# Measures Snapify's cached product page throughput (issue 4: ≥ 5,000 requests/s at 100
# connections on the 2-core development machine). Migrates and seeds the demo stores, starts
# `alorig serve --apps=snapify` on loopback, warms the page cache with one request, then runs wrk
# for DURATION against one product page: Host dispatch, middleware, the Redis page cache, the
# analytics queue. Every answer must be 200: the script fails on any non-2xx.
#
#   scripts/load-snapify.sh                       # 100 connections, 15 s
#   CONNECTIONS=100 DURATION=30s scripts/load-snapify.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-100}
THREADS=${THREADS:-2}
PORT=${PORT:-18014}
BASE="http://127.0.0.1:$PORT"
HOST=snapify.localhost
PAGE=${PAGE:-/ali-fabrics/chikankari-lawn-kurti-off-white}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
eval "$(scripts/dev-services.sh)"
BIN=${BIN:-bin/alorig}
[ -n "${SKIP_BUILD:-}" ] || make -s build >/dev/null
export ALORIG_SNAPIFY_MEDIA_DIR=${ALORIG_SNAPIFY_MEDIA_DIR:-var/snapify-media}
$BIN migrate --app=snapify >/dev/null 2>&1
$BIN seed --app=snapify >/dev/null 2>&1

ALORIG_ADMIN_ADDR=off ALORIG_LOG_LEVEL=warn $BIN serve --apps=snapify --addr="127.0.0.1:$PORT" >/dev/null 2>/tmp/alorig-snapify-load.log &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
until curl -fs -o /dev/null "$BASE/readyz"; do
	kill -0 $pid 2>/dev/null || { echo "serve exited; see /tmp/alorig-snapify-load.log" >&2; exit 1; }
	sleep 0.05
done
curl -fs -o /dev/null -H "Host: $HOST" "$BASE$PAGE"

lua=$(mktemp --suffix=.lua)
cat >"$lua" <<LUA
wrk.headers["Host"] = "$HOST"
local bad = 0
response = function(status) if status >= 300 then bad = bad + 1 end end
done = function(summary, latency, requests)
  io.write(string.format("non-2xx: %d\n", summary.errors.status))
end
LUA
out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$lua" "$BASE$PAGE")
rm -f "$lua"
echo "$out"
grep -q '^non-2xx: 0$' <<<"$out" || { echo "some answers were not 2xx" >&2; exit 1; }
