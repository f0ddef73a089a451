#!/usr/bin/env bash
# Installs the Debian packages that building, running and testing alorig need, when missing.
#
# usage: scripts/dev/ensure-packages.sh [build|services|all|browser|npm|pdf]   (default: all)
#
#   build     gcc, libc6-dev, pkg-config, libswe-dev (cgo Swiss Ephemeris), swe-basic-data
#             (ephemeris files), swetest (the reference AstroTiming's rise and set are tested
#             against), ca-certificates (Go module downloads)
#   services  postgresql + postgresql-contrib unless ALORIG_DATABASE_URL is set,
#             redis-server unless ALORIG_REDIS_URL is set
#   browser   chromium, the browser the front-end tests drive
#   npm       npm, only to bootstrap the pinned Node.js of scripts/dev/node.sh
#   pdf       poppler-utils (pdftoppm, pdftotext) and libharfbuzz-bin (hb-shape), which the
#             report-card tests of modules/asms/reportcard run; they call this when missing
#
# Runs apt-get update once, and only when something is missing, so a machine that has
# everything pays for one dpkg-query.
set -euo pipefail
# shellcheck source=scripts/dev/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

group=${1:-all}
case $group in
build | services | all | browser | npm | pdf) ;;
*) die "unknown package group '$group'; use build, services, all, browser, npm or pdf" ;;
esac

wanted=()
case $group in
browser) wanted+=(chromium) ;;
npm) wanted+=(npm) ;;
pdf) wanted+=(poppler-utils libharfbuzz-bin) ;;
esac
if [ "$group" = build ] || [ "$group" = all ]; then
	wanted+=(gcc libc6-dev pkg-config libswe-dev swe-basic-data swetest ca-certificates)
fi
if [ "$group" = services ] || [ "$group" = all ]; then
	if [ -z "${ALORIG_DATABASE_URL:-}" ]; then
		wanted+=(postgresql postgresql-contrib)
	fi
	if [ -z "${ALORIG_REDIS_URL:-}" ]; then
		wanted+=(redis-server)
	fi
fi
[ ${#wanted[@]} -gt 0 ] || exit 0

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	# Not Debian: check for the programs themselves and leave installing to the user's own
	# package manager, whose package names we cannot know.
	missing=()
	for pkg in "${wanted[@]}"; do
		case $pkg in
		gcc) command -v gcc >/dev/null 2>&1 || missing+=(gcc) ;;
		pkg-config) command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config) ;;
		libswe-dev) pkg-config --exists swe 2>/dev/null || missing+=("Swiss Ephemeris library with swe.pc") ;;
		postgresql) command -v pg_ctl >/dev/null 2>&1 || command -v pg_config >/dev/null 2>&1 ||
			missing+=("PostgreSQL server") ;;
		redis-server) command -v redis-server >/dev/null 2>&1 || missing+=(redis-server) ;;
		chromium) command -v chromium >/dev/null 2>&1 || missing+=(chromium) ;;
		npm) command -v npm >/dev/null 2>&1 || missing+=(npm) ;;
		poppler-utils) command -v pdftoppm >/dev/null 2>&1 || missing+=("poppler (pdftoppm, pdftotext)") ;;
		libharfbuzz-bin) command -v hb-shape >/dev/null 2>&1 || missing+=("HarfBuzz tools (hb-shape)") ;;
		esac
	done
	if [ ${#missing[@]} -gt 0 ]; then
		die "not a Debian system and missing: ${missing[*]}; install them with your package manager (or set ALORIG_DATABASE_URL / ALORIG_REDIS_URL to servers you already run)"
	fi
	exit 0
fi

missing=()
for pkg in "${wanted[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = installed ] || missing+=("$pkg")
done
[ ${#missing[@]} -gt 0 ] || exit 0

if is_root; then
	as_root=()
elif command -v sudo >/dev/null 2>&1; then
	as_root=(sudo)
else
	die "missing Debian packages: ${missing[*]}; run as root or install them: apt-get install ${missing[*]}"
fi

say "installing missing Debian packages: ${missing[*]}"
# stdin from /dev/null: CI has none, and apt must never stop to ask.
if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q -o DPkg::Lock::Timeout=300 </dev/null >&2; then
	die "apt-get update failed (see above); fix the APT sources or the network, then run again"
fi
if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends \
	"${missing[@]}" </dev/null >&2; then
	die "apt-get install ${missing[*]} failed (see above)"
fi
