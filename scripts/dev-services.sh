#!/usr/bin/env bash
# Private PostgreSQL and Redis for development and tests. They live under the checkout (.dev/)
# on ports of their own, so they coexist with servers already listening on 5432 and 6379.
#
# usage: scripts/dev-services.sh [start|stop|status|clean]
#
#   start   (default) install missing packages, start both or reuse the running ones, then
#           print export lines on stdout:   eval "$(scripts/dev-services.sh)"
#   stop    stop both
#   status  say what runs where
#   clean   stop both and delete their data
#
# Set ALORIG_DATABASE_URL or ALORIG_REDIS_URL to use a server you already run instead of the
# private one: it is checked and printed back unchanged.
#
# Ports are 55432 and 56379. When one is taken (by another checkout's private instance, say),
# the next free port is used and printed; setting ALORIG_DEV_PG_PORT / ALORIG_DEV_REDIS_PORT
# makes the port fixed, and a taken one an error. ALORIG_DEV_PG_BINDIR picks the PostgreSQL
# programs.
set -euo pipefail
# shellcheck source=scripts/dev/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/dev/lib.sh"

PG_PORT=${ALORIG_DEV_PG_PORT:-55432}
REDIS_PORT=${ALORIG_DEV_REDIS_PORT:-56379}
PG_ROLE=alorig
REDIS_DIR=$DEV_DIR/redis
REDIS_PIDFILE=$REDIS_DIR/redis.pid
REDIS_PORTFILE=$REDIS_DIR/port
# A checkout whose parent directories are closed to the postgres user (a clone under /root, say)
# keeps its cluster here instead; the hash keeps two checkouts apart.
PG_FALLBACK=/var/tmp/alorig-$(printf '%s' "$ALORIG_ROOT" | sha256sum | cut -c1-12)/pg

for port in "$PG_PORT" "$REDIS_PORT"; do
	if ! [[ $port =~ ^[0-9]+$ ]] || [ "$port" -lt 1024 ] || [ "$port" -gt 65535 ]; then
		die "port '$port' is not a number between 1024 and 65535; fix ALORIG_DEV_PG_PORT / ALORIG_DEV_REDIS_PORT"
	fi
done

# PostgreSQL refuses to run its server as root, so root runs it as the postgres system user that
# the Debian package creates; anybody else runs it as themselves.
as_pg() {
	if is_root; then
		# From / because initdb and pg_ctl resolve the working directory, which the postgres
		# user may not be allowed to enter.
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

require_pg_user() {
	if is_root && ! id -u postgres >/dev/null 2>&1; then
		die "running as root but there is no postgres system user to run PostgreSQL as; install the Debian package (apt-get install postgresql) or run as a normal user"
	fi
}

# The server programs matching an existing cluster's version, else the newest installed.
pg_bindir() {
	local data=${1:-} dir=
	if [ -n "${ALORIG_DEV_PG_BINDIR:-}" ]; then
		dir=$ALORIG_DEV_PG_BINDIR
	elif [ -n "$data" ] && [ -f "$data/PG_VERSION" ] && [ -x "/usr/lib/postgresql/$(cat "$data/PG_VERSION")/bin/pg_ctl" ]; then
		dir=/usr/lib/postgresql/$(cat "$data/PG_VERSION")/bin
	else
		# Debian keeps each major version's server programs under /usr/lib/postgresql/<ver>/bin.
		dir=$(for d in /usr/lib/postgresql/*/bin; do
			[ -x "$d/initdb" ] && printf '%s\n' "$d"
		done | sort -V | tail -n 1) || true
		if [ -z "$dir" ] && command -v pg_config >/dev/null 2>&1; then
			dir=$(pg_config --bindir)
		fi
	fi
	if [ -z "$dir" ] || [ ! -x "$dir/initdb" ] || [ ! -x "$dir/pg_ctl" ]; then
		die "PostgreSQL server programs (initdb, pg_ctl) not found; install them (apt-get install postgresql postgresql-contrib), set ALORIG_DEV_PG_BINDIR, or set ALORIG_DATABASE_URL to a server you already run"
	fi
	printf '%s' "$dir"
}

pg_existing_base() {
	local base
	for base in "$DEV_DIR/pg" "$PG_FALLBACK"; do
		if [ -f "$base/data/PG_VERSION" ]; then
			printf '%s' "$base"
			return 0
		fi
	done
	return 1
}

# Picks (and creates) the directory that holds the cluster: .dev/pg, or the /var/tmp fallback
# when the postgres user cannot reach into the checkout.
pg_prepare_base() {
	local base=$DEV_DIR/pg
	PG_BASE=$(pg_existing_base) && return 0
	mkdir -p "$DEV_DIR"
	if [ -e "$base" ] && [ ! -O "$base" ] && ! is_root; then
		die "$base belongs to $(stat -c %U "$base"), not you; run as that user, or remove it (make clean as root)"
	fi
	if ! is_root; then
		mkdir -p "$base"
		chmod 700 "$base"
		PG_BASE=$base
		return 0
	fi
	mkdir -p "$base"
	chown postgres: "$base"
	chmod 700 "$base"
	if as_pg test -w "$base" -a -x "$base"; then
		PG_BASE=$base
		return 0
	fi
	rmdir "$base" 2>/dev/null || true
	say "the postgres user cannot reach $base (a parent directory is closed to it); keeping the cluster in $PG_FALLBACK instead"
	mkdir -p "$PG_FALLBACK"
	chmod 755 "$(dirname "$PG_FALLBACK")"
	chown postgres: "$PG_FALLBACK"
	chmod 700 "$PG_FALLBACK"
	as_pg test -w "$PG_FALLBACK" -a -x "$PG_FALLBACK" ||
		die "the postgres user cannot write $PG_FALLBACK either; check /var/tmp's permissions"
	PG_BASE=$PG_FALLBACK
}

pg_running() { as_pg "$PGBIN/pg_ctl" -D "$1" status >/dev/null 2>&1; }

psql_as() {
	local user=$1
	shift
	env -u PGSERVICE -u PGOPTIONS PGSSLMODE=disable PGCONNECT_TIMEOUT=5 \
		"$PGBIN/psql" -X -q -w -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$user" -d postgres "$@" </dev/null
}

# Names whoever listens on PG_PORT, for the messages about taken ports.
pg_port_holder() {
	local other
	other=$(psql_as postgres -tA -c "SELECT current_setting('cluster_name') || ' ' || current_setting('data_directory')" 2>/dev/null) || true
	case $other in
	"alorig-dev "*) printf "another checkout's private PostgreSQL (data %s)" "${other#alorig-dev }" ;;
	*) printf 'another program' ;;
	esac
}

next_free_port() {
	local port=$1
	while [ "$port" -le $(($1 + 20)) ]; do
		if ! port_in_use "$port"; then
			printf '%s' "$port"
			return 0
		fi
		port=$((port + 1))
	done
	return 1
}

# Moves a taken default port to the next free one, so that two checkouts (or a CI clone beside
# a developer's checkout) each get their own instance; a port the user chose stays an error.
# usage: choose_port PORT FIXED-BY-VARIABLE HOLDER-DESCRIPTION
choose_port() {
	local port=$1 variable=$2 holder=$3 free
	if [ -n "${!variable:-}" ]; then
		die "127.0.0.1:$port is taken by $holder; free it, or set $variable to a free port"
	fi
	free=$(next_free_port "$port") ||
		die "127.0.0.1:$port and the 20 ports after it are taken; set $variable to a free port"
	say "127.0.0.1:$port is taken by $holder; using port $free instead"
	printf '%s' "$free"
}

start_pg() {
	require_pg_user
	pg_prepare_base
	local data=$PG_BASE/data log=$PG_BASE/postgres.log
	PGBIN=$(pg_bindir "$data")

	if [ ! -f "$data/PG_VERSION" ]; then
		say "creating the private PostgreSQL cluster in $data"
		if ! as_pg "$PGBIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-locale \
			>"$PG_BASE/initdb.log" 2>&1; then
			die "initdb failed: $(tail -n 1 "$PG_BASE/initdb.log") (full log: $PG_BASE/initdb.log)"
		fi
		# fsync and full-page writes off: this cluster holds throwaway development and test
		# data, and tests create many databases, so durability would only cost time.
		# No Unix socket: clients connect over TCP, and a socket would need a directory the
		# postgres user can write, with a path short enough for sun_path.
		cat >>"$data/postgresql.conf" <<-'EOF'

			# alorig private development cluster (scripts/dev-services.sh)
			cluster_name = 'alorig-dev'
			listen_addresses = '127.0.0.1'
			unix_socket_directories = ''
			max_connections = 200
			fsync = off
			synchronous_commit = off
			full_page_writes = off
		EOF
	fi

	if pg_running "$data"; then
		local running_port
		running_port=$(sed -n 4p "$data/postmaster.pid")
		if [ "$running_port" != "$PG_PORT" ] && [ -n "${ALORIG_DEV_PG_PORT:-}" ]; then
			die "the private PostgreSQL already runs on port $running_port, not $PG_PORT; run make stop first"
		fi
		PG_PORT=$running_port
		say "reusing the private PostgreSQL on 127.0.0.1:$PG_PORT ($data)"
	else
		if port_in_use "$PG_PORT"; then
			PG_PORT=$(choose_port "$PG_PORT" ALORIG_DEV_PG_PORT "$(pg_port_holder)")
		fi
		say "starting the private PostgreSQL on 127.0.0.1:$PG_PORT ($data)"
		# The port goes on the command line rather than into postgresql.conf so that a new
		# ALORIG_DEV_PG_PORT takes effect on the next start.
		if ! as_pg "$PGBIN/pg_ctl" -D "$data" -l "$log" -o "-p $PG_PORT" -w -t 60 start >/dev/null; then
			die "PostgreSQL did not start: $(tail -n 1 "$log" 2>/dev/null) (full log: $log)"
		fi
	fi

	# Tests create and drop throwaway databases, hence CREATEDB; tests that prefer a schema
	# of their own in the server URL's database need CREATE there. No password: the cluster
	# trusts 127.0.0.1 and listens nowhere else.
	psql_as postgres >&2 \
		-c "DO \$\$ BEGIN
			IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') THEN
				CREATE ROLE $PG_ROLE;
			END IF;
		END \$\$" \
		-c "ALTER ROLE $PG_ROLE LOGIN CREATEDB" \
		-c "GRANT CREATE ON DATABASE postgres TO $PG_ROLE" ||
		die "could not create the $PG_ROLE role in the private PostgreSQL (log: $log)"
}

check_external_pg() {
	local shown out
	shown=$(redact_url "$ALORIG_DATABASE_URL")
	if ! command -v psql >/dev/null 2>&1; then
		say "using ALORIG_DATABASE_URL=$shown (psql is not installed, so not checked)"
		return 0
	fi
	if ! out=$(env PGCONNECT_TIMEOUT=5 psql -X -q -w -tA -d "$ALORIG_DATABASE_URL" -c 'SELECT 1' 2>&1 </dev/null); then
		die "ALORIG_DATABASE_URL=$shown does not accept connections ($(printf '%s' "$out" | head -n 1)); start that server, fix the URL, or unset it to use the private PostgreSQL"
	fi
	say "using ALORIG_DATABASE_URL=$shown (private PostgreSQL not started)"
}

redis_pid() {
	local pid
	[ -f "$REDIS_PIDFILE" ] || return 1
	pid=$(cat "$REDIS_PIDFILE")
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	# The comm check keeps a recycled pid from being mistaken for our Redis.
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = redis-server ] || return 1
	printf '%s' "$pid"
}

redis_dir_on_port() {
	redis-cli -h 127.0.0.1 -p "$1" --no-auth-warning config get dir 2>/dev/null </dev/null | sed -n 2p
}

redis_port_holder() {
	local other
	other=$(redis_dir_on_port "$1")
	case $other in
	*/.dev/redis) printf "another checkout's private Redis (dir %s)" "$other" ;;
	*) printf 'another program' ;;
	esac
}

start_redis() {
	if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
		die "redis-server not found; install it (apt-get install redis-server) or set ALORIG_REDIS_URL to a server you already run"
	fi
	mkdir -p "$REDIS_DIR"
	local pid running_port
	if pid=$(redis_pid); then
		running_port=$(cat "$REDIS_PORTFILE" 2>/dev/null) || running_port=$REDIS_PORT
		if [ "$running_port" != "$REDIS_PORT" ] && [ -n "${ALORIG_DEV_REDIS_PORT:-}" ]; then
			die "the private Redis already runs on port $running_port, not $REDIS_PORT; run make stop first"
		fi
		REDIS_PORT=$running_port
		if [ "$(redis_dir_on_port "$REDIS_PORT")" = "$REDIS_DIR" ]; then
			say "reusing the private Redis on 127.0.0.1:$REDIS_PORT ($REDIS_DIR)"
			return 0
		fi
		die "the private Redis (pid $pid) does not answer on 127.0.0.1:$REDIS_PORT; run make stop, then try again"
	fi
	if port_in_use "$REDIS_PORT"; then
		REDIS_PORT=$(choose_port "$REDIS_PORT" ALORIG_DEV_REDIS_PORT "$(redis_port_holder "$REDIS_PORT")")
	fi
	local attempt
	for attempt in 1 2 3 4 5; do
		say "starting the private Redis on 127.0.0.1:$REDIS_PORT ($REDIS_DIR)"
		# No persistence: the data is as disposable as the PostgreSQL cluster's.
		redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
			--daemonize yes --dir "$REDIS_DIR" --pidfile "$REDIS_PIDFILE" \
			--logfile "$REDIS_DIR/redis.log" </dev/null >&2 ||
			die "redis-server did not start (log: $REDIS_DIR/redis.log)"
		printf '%s\n' "$REDIS_PORT" >"$REDIS_PORTFILE"
		for _ in $(seq 50); do
			[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null </dev/null)" = PONG ] && return 0
			grep -q "Failed listening on port $REDIS_PORT " "$REDIS_DIR/redis.log" 2>/dev/null && break
			sleep 0.2
		done
		# The defaults lie in the kernel's ephemeral range: an outgoing connection can hold the
		# port although nothing listens on it. Move on unless the user fixed the port.
		if [ -z "${ALORIG_DEV_REDIS_PORT:-}" ] && grep -q "Failed listening on port $REDIS_PORT " "$REDIS_DIR/redis.log" 2>/dev/null; then
			say "127.0.0.1:$REDIS_PORT could not be bound (attempt $attempt); trying the next free port"
			REDIS_PORT=$(next_free_port $((REDIS_PORT + 1))) || die "no free port near $REDIS_PORT; set ALORIG_DEV_REDIS_PORT"
			continue
		fi
		break
	done
	die "the private Redis did not answer within 10s: $(tail -n 1 "$REDIS_DIR/redis.log" 2>/dev/null) (log: $REDIS_DIR/redis.log)"
}

check_external_redis() {
	local shown out
	shown=$(redact_url "$ALORIG_REDIS_URL")
	if ! command -v redis-cli >/dev/null 2>&1; then
		say "using ALORIG_REDIS_URL=$shown (redis-cli is not installed, so not checked)"
		return 0
	fi
	out=$(redis-cli -u "$ALORIG_REDIS_URL" --no-auth-warning ping 2>&1 </dev/null) || true
	if [ "$out" != PONG ]; then
		die "ALORIG_REDIS_URL=$shown does not answer ($(printf '%s' "$out" | head -n 1)); start that server, fix the URL, or unset it to use the private Redis"
	fi
	say "using ALORIG_REDIS_URL=$shown (private Redis not started)"
}

stop_pg() {
	local base data
	if ! base=$(pg_existing_base); then
		say "private PostgreSQL: not created"
		return 0
	fi
	data=$base/data
	PGBIN=$(pg_bindir "$data")
	if pg_running "$data"; then
		as_pg "$PGBIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null ||
			die "PostgreSQL in $data did not stop; see $base/postgres.log"
		say "stopped the private PostgreSQL ($data)"
	else
		say "private PostgreSQL: not running ($data)"
	fi
}

stop_redis() {
	local pid
	if ! pid=$(redis_pid); then
		say "private Redis: not running"
		return 0
	fi
	kill -TERM "$pid"
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || {
			say "stopped the private Redis (pid $pid)"
			return 0
		}
		sleep 0.2
	done
	die "the private Redis (pid $pid) did not stop within 10s; stop it with kill $pid"
}

status() {
	local base
	if base=$(pg_existing_base); then
		PGBIN=$(pg_bindir "$base/data")
		if pg_running "$base/data"; then
			say "PostgreSQL: running on 127.0.0.1:$(sed -n 4p "$base/data/postmaster.pid") (data $base/data)"
		else
			say "PostgreSQL: stopped (data $base/data)"
		fi
	else
		say "PostgreSQL: not created"
	fi
	if redis_pid >/dev/null; then
		say "Redis: running on 127.0.0.1:$(cat "$REDIS_PORTFILE" 2>/dev/null), pid $(redis_pid) (dir $REDIS_DIR)"
	else
		say "Redis: not running"
	fi
}

clean() {
	stop_pg
	stop_redis
	# Guard against a mangled path ever reaching rm -rf.
	case $DEV_DIR in */.dev) ;; *) die "refusing to delete $DEV_DIR" ;; esac
	rm -rf "$DEV_DIR" "$(dirname "$PG_FALLBACK")"
	say "removed $DEV_DIR"
}

emit() { printf 'export %s=%s\n' "$1" "$(sh_quote "$2")"; }

start() {
	"$(dirname "${BASH_SOURCE[0]}")/dev/ensure-packages.sh" services
	local db_url redis_url
	if [ -n "${ALORIG_DATABASE_URL:-}" ]; then
		check_external_pg
		db_url=$ALORIG_DATABASE_URL
	else
		start_pg
		db_url="postgres://$PG_ROLE@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
	fi
	if [ -n "${ALORIG_REDIS_URL:-}" ]; then
		check_external_redis
		redis_url=$ALORIG_REDIS_URL
	else
		start_redis
		redis_url="redis://127.0.0.1:$REDIS_PORT"
	fi
	emit ALORIG_DATABASE_URL "$db_url"
	emit ALORIG_REDIS_URL "$redis_url"
}

case ${1:-start} in
start) start ;;
stop)
	stop_pg
	stop_redis
	;;
status) status ;;
clean) clean ;;
-h | --help | help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2 ;;
*) die "unknown command '$1'; use start, stop, status or clean" ;;
esac
