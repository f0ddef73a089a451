#!/usr/bin/env bash
# Measures the platform issue's figures: RSS of `alorig serve --apps=all --with-worker` idle after
# start and after 30 s of load at 200 connections spread over the six modules' hosts, the
# requests/s and p99 of that load, and start-to-ready time. Loopback only, bounded in time.
#
#   scripts/load-platform.sh            # uses make's private services (or ALORIG_* URLs)
#   DURATION=10s CONNECTIONS=100 scripts/load-platform.sh
#   GOMEMLIMIT=96MiB scripts/load-platform.sh   # the soft limit the compose file sets per container
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-200}
PORT=${PORT:-18080}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
eval "$(scripts/dev-services.sh)"
make -s build >/dev/null
bin/alorig migrate --all >/dev/null 2>&1
bin/alorig seed --all >/dev/null 2>&1

rss() { awk '/^VmRSS/ {printf "%.1f MB", $2/1024}' "/proc/$1/status"; }

start=$(date +%s%N)
ALORIG_ADMIN_ADDR=off ALORIG_LOG_LEVEL=warn bin/alorig serve --apps=all --with-worker --addr="127.0.0.1:$PORT" >/dev/null 2>/tmp/alorig-load.log &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
until curl -fs -o /dev/null "http://127.0.0.1:$PORT/readyz"; do
	kill -0 $pid 2>/dev/null || { echo "serve exited; see /tmp/alorig-load.log" >&2; exit 1; }
	sleep 0.02
done
ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
sleep 5
idle=$(rss $pid)

lua=$(mktemp --suffix=.lua)
cat >"$lua" <<'LUA'
local hosts = {"psydge.localhost", "snapify.localhost", "sitebuilder.localhost",
               "observer.localhost", "astrotiming.localhost", "asms.localhost"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/", {["Host"] = hosts[(i % #hosts) + 1], ["Accept-Encoding"] = "gzip"})
end
LUA
out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$lua" "http://127.0.0.1:$PORT/")
rm -f "$lua"
loaded=$(rss $pid)
rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)

printf '%-28s %s\n' "start to ready" "${ready_ms} ms" "RSS idle (5 s after ready)" "$idle" \
	"RSS after load" "$loaded" "load" "$CONNECTIONS connections, $DURATION, six hosts" \
	"requests/s" "$rps" "p99 latency" "$p99"
[ -z "$errors" ] || echo "$errors"
