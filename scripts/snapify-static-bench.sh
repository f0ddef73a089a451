#!/usr/bin/env bash
# Compares a cached Snapify product page with nginx serving the same compressed bytes as a
# static file (issue 11: alorig at >= 0.5 x nginx's requests/s at 100 connections).
#
# It builds alorig (or uses BIN, or a server already running at BASE), migrates and seeds the
# demo stores in the development PostgreSQL and Redis, warms the page, and saves the bytes alorig
# sends (as rendered and gzipped) under a temporary directory. nginx serves that directory on a
# loopback port with gzip_static on, from its own configuration and pid file in the same
# temporary directory (the system's nginx configuration is never read or touched; nginx-light
# and wrk are installed with apt-get when missing). Both servers are checked to send identical
# bytes, then wrk measures each with the same settings, in ROUNDS alternating runs (the
# development machine is shared, so one run of each can land on a busy moment for one server
# only), and prints every run, the best of each and their ratio. Any non-2xx answer, different
# bytes, or a best-of ratio under GOAL fails the script.
#
#   scripts/snapify-static-bench.sh                  # gzip, 100 connections, 3 rounds of 5 s each
#   ENCODING=br scripts/snapify-static-bench.sh      # Brotli (installs nginx's brotli_static)
#   BASE=http://127.0.0.1:8080 scripts/snapify-static-bench.sh   # an alorig already running
#   DURATION=20s CONNECTIONS=100 BIN=bin/alorig scripts/snapify-static-bench.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-100}
THREADS=${THREADS:-2}
PORT=${PORT:-18014}
NGINX_PORT=${NGINX_PORT:-18094}
HOST=${HOST:-snapify.localhost}
PAGE=${PAGE:-/ali-fabrics/chikankari-lawn-kurti-off-white}
ENCODING=${ENCODING:-gzip}
GOAL=${GOAL:-0.5}
BASE=${BASE:-}

case "$ENCODING" in
gzip) ext=gz ;;
br) ext=br ;;
*) echo "ENCODING must be gzip or br, not $ENCODING" >&2; exit 2 ;;
esac

apt_install() {
	if [ "$(id -u)" != 0 ]; then
		echo "$* missing: apt-get install -y $*" >&2
		exit 1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null
}
command -v wrk >/dev/null || apt_install wrk
command -v nginx >/dev/null || apt_install nginx-light
NGINX=$(command -v nginx)
brotli_module=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
if [ "$ENCODING" = br ] && [ ! -f "$brotli_module" ]; then
	apt_install libnginx-mod-http-brotli-static
fi

work=$(mktemp -d /tmp/snapify-static-bench.XXXXXX)
chmod 755 "$work" # nginx's workers may run as another user
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

if [ -z "$BASE" ]; then
	eval "$(scripts/dev-services.sh)"
	if [ -z "${BIN:-}" ]; then
		BIN=$work/alorig
		go build -o "$BIN" .
	fi
	export ALORIG_SNAPIFY_MEDIA_DIR=${ALORIG_SNAPIFY_MEDIA_DIR:-var/snapify-media}
	"$BIN" migrate --app=snapify >/dev/null 2>&1
	"$BIN" seed --app=snapify >/dev/null 2>&1
	BASE="http://127.0.0.1:$PORT"
	ALORIG_ADMIN_ADDR=off ALORIG_LOG_LEVEL=warn "$BIN" serve --apps=snapify --addr="127.0.0.1:$PORT" >/dev/null 2>"$work/alorig.log" &
	pids+=($!)
	until curl -fs -o /dev/null "$BASE/readyz"; do
		kill -0 "${pids[0]}" 2>/dev/null || { echo "alorig serve exited:" >&2; cat "$work/alorig.log" >&2; exit 1; }
		sleep 0.1
	done
fi

# Warm the cache, then keep exactly what alorig sends.
root=$work/root
mkdir -p "$root$(dirname "$PAGE")"
curl -fs -o /dev/null -H "Host: $HOST" -H "Accept-Encoding: $ENCODING" "$BASE$PAGE"
curl -fs -o "$root$PAGE" -H "Host: $HOST" -H "Accept-Encoding: identity" "$BASE$PAGE"
curl -fs -D "$work/alorig.head" -o "$root$PAGE.$ext" -H "Host: $HOST" -H "Accept-Encoding: $ENCODING" "$BASE$PAGE"
grep -qi "^content-encoding: $ENCODING" "$work/alorig.head" || {
	echo "alorig did not answer with Content-Encoding: $ENCODING:" >&2
	cat "$work/alorig.head" >&2
	exit 1
}
chmod -R a+rX "$root"

load_module=""
static="gzip_static on;"
if [ "$ENCODING" = br ]; then
	load_module="load_module $brotli_module;"
	static="brotli_static on;"
fi
cat >"$work/nginx.conf" <<NGINX
$load_module
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $work/client_body;
	proxy_temp_path $work/proxy;
	fastcgi_temp_path $work/fastcgi;
	uwsgi_temp_path $work/uwsgi;
	scgi_temp_path $work/scgi;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	default_type "text/html; charset=UTF-8";
	$static
	gzip_vary on;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $root;
	}
}
NGINX
"$NGINX" -t -q -c "$work/nginx.conf" -g 'daemon off;' 2>"$work/nginx-test.log" || { cat "$work/nginx-test.log" >&2; exit 1; }
"$NGINX" -c "$work/nginx.conf" -g 'daemon off;' 2>>"$work/nginx-error.log" &
pids+=($!)
NGINX_BASE="http://127.0.0.1:$NGINX_PORT"
until curl -fs -o /dev/null "$NGINX_BASE$PAGE"; do
	kill -0 "${pids[-1]}" 2>/dev/null || { echo "nginx exited:" >&2; cat "$work/nginx-error.log" >&2; exit 1; }
	sleep 0.1
done

# Both must send the same bytes for the same request.
curl -fs -o "$work/from-alorig" -H "Host: $HOST" -H "Accept-Encoding: $ENCODING" "$BASE$PAGE"
curl -fs -D "$work/nginx.head" -o "$work/from-nginx" -H "Host: $HOST" -H "Accept-Encoding: $ENCODING" "$NGINX_BASE$PAGE"
grep -qi "^content-encoding: $ENCODING" "$work/nginx.head" || { echo "nginx did not send the $ENCODING file:" >&2; cat "$work/nginx.head" >&2; exit 1; }
cmp -s "$work/from-alorig" "$work/from-nginx" || { echo "alorig and nginx sent different bytes" >&2; exit 1; }

cat >"$work/count.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("non-2xx: %d\n", summary.errors.status))
end
LUA
measure() { # name url
	local out
	out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/count.lua" \
		-H "Host: $HOST" -H "Accept-Encoding: $ENCODING" "$2")
	echo "--- $1" >&2
	echo "$out" >&2
	grep -q '^non-2xx: 0$' <<<"$out" || { echo "$1: some answers were not 2xx" >&2; exit 1; }
	awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

size=$(stat -c %s "$root$PAGE.$ext")
echo "page $PAGE: $(stat -c %s "$root$PAGE") bytes as rendered, $size bytes $ENCODING; $CONNECTIONS connections, $THREADS wrk threads, $ROUNDS rounds of $DURATION"
best_a=0
best_n=0
for round in $(seq "$ROUNDS"); do
	a=$(measure alorig "$BASE$PAGE")
	n=$(measure nginx "$NGINX_BASE$PAGE")
	printf 'round %d: alorig %8.0f requests/s, nginx %8.0f requests/s, ratio %.2f\n' "$round" "$a" "$n" "$(awk -v a="$a" -v n="$n" 'BEGIN { print a / n }')"
	best_a=$(awk -v x="$a" -v y="$best_a" 'BEGIN { print (x > y ? x : y) }')
	best_n=$(awk -v x="$n" -v y="$best_n" 'BEGIN { print (x > y ? x : y) }')
done
ratio=$(awk -v a="$best_a" -v n="$best_n" 'BEGIN { printf "%.2f", a / n }')
printf 'alorig  %10.0f requests/s (best run)\nnginx   %10.0f requests/s (best run; %s, the same bytes from disk)\nratio   %10s (goal >= %s)\n' \
	"$best_a" "$best_n" "${static% on;}" "$ratio" "$GOAL"
awk -v r="$ratio" -v g="$GOAL" 'BEGIN { exit !(r >= g) }' || { echo "alorig is under $GOAL x nginx" >&2; exit 1; }
