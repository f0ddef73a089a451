#!/usr/bin/env bash
# Psydge's benchmarks, on loopback only, each bounded in time:
#   1. POST /api/v1/trades/check at a fixed rate (psydge-load, open loop) against a real
#      `alorig serve --apps=psydge` with PostgreSQL and Redis;
#   2. the live channel: CLIENTS WebSocket clients, ticks through Redis, server memory per idle
#      connection (psydge-wsbench);
#   3. one position sweep of 1,000 MetaApi accounts against the fake MetaApi, and the check
#      endpoint in process (go test -bench).
# It uses its own database (psydge_bench_db) and Redis prefix, never the development ones.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-500}
DURATION=${DURATION:-30s}
CLIENTS=${CLIENTS:-5000}
ADDR=127.0.0.1:18012
export ALORIG_PSYDGE_DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/psydge_bench_db?sslmode=disable}
export ALORIG_PSYDGE_REDIS_PREFIX=psydge:bench:
export ALORIG_ENCRYPTION_KEYS=${ALORIG_ENCRYPTION_KEYS:-bench:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=}
export ALORIG_ADMIN_ADDR=off ALORIG_LOG_LEVEL=warn
tmp=$(mktemp -d)
go build -o "$tmp/alorig" .
go build -o "$tmp/psydge-load" ./modules/psydge/cmd/psydge-load
go build -o "$tmp/psydge-wsbench" ./modules/psydge/cmd/psydge-wsbench
"$tmp/alorig" migrate --app=psydge
timeout 600 "$tmp/alorig" serve --apps=psydge --addr=$ADDR &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do curl -sf "http://$ADDR/healthz" >/dev/null && break; sleep 0.2; done
H=(-H Host:psydge.localhost -H Content-Type:application/json)
TOKEN=$(curl -sf "${H[@]}" "http://$ADDR/api/v1/auth/register" \
  -d "{\"email\":\"bench$RANDOM$RANDOM@example.com\",\"password\":\"correct horse battery\"}" | sed -E 's/.*"token":"([^"]+)".*/\1/')
curl -sf "${H[@]}" -H "Authorization: Bearer $TOKEN" "http://$ADDR/api/v1/broker-connections" -d '{"broker":"paper"}' >/dev/null
echo "== POST /api/v1/trades/check at $RATE/s for $DURATION (load: $(cut -d' ' -f1-3 /proc/loadavg))"
"$tmp/psydge-load" -url "http://$ADDR/api/v1/trades/check" -token "$TOKEN" -rate "$RATE" -duration "$DURATION"
kill $pid; wait $pid 2>/dev/null || true
echo "== live channel, $CLIENTS clients (load: $(cut -d' ' -f1-3 /proc/loadavg))"
ulimit -n 20000 2>/dev/null || true
timeout 300 "$tmp/psydge-wsbench" -clients "$CLIENTS" -ticks 20 -gap 1s
echo "== in-process: check endpoint, 1,000-account sweep"
go test -run XXX -bench 'CheckEndpoint' -benchtime 2000x -benchmem ./modules/psydge/
go test -run XXX -bench 'Sweep1000' -benchtime 5x -benchmem ./modules/psydge/
