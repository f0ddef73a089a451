# shellcheck shell=bash disable=SC2034
# Shared by scripts/dev-services.sh and the helpers in scripts/dev/. Sourced, not run.
#
# Every message goes to stderr: the callers keep stdout for lines that `eval` consumes.

ALORIG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
DEV_DIR=$ALORIG_ROOT/.dev

say() { printf 'dev: %s\n' "$*" >&2; }

# One line naming the problem and the fix, then exit: callers run under make, where a wall of
# output would bury the cause.
die() {
	printf 'dev: error: %s\n' "$*" >&2
	exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# Quotes a value for POSIX sh, so the printed export lines work under `eval` in bash and dash.
sh_quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# Hides the password of a connection URL before it is printed.
redact_url() { printf '%s' "$1" | sed -E 's#(://[^:/@]*):[^@/]*@#\1:***@#'; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
