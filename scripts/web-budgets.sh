#!/usr/bin/env bash
# Measures the Psydge panel's budgets (issue 9) and fails when one is missed:
#
#   initial JavaScript   the entry chunk and its static imports, gzip -9   ≤ 170 kB
#   Lighthouse           desktop performance of the signed-in trade screen  ≥ 0.95
#   tick → chart         p95 of the chart's psydge:tick measures, 10 ticks/s ≤ 50 ms
#   JS heap              growth after forced GC over N minutes of ticks     ≤ 1 MiB
#
#   scripts/web-budgets.sh                      # every budget; the heap run takes 10 minutes
#   scripts/web-budgets.sh --minutes=2          # a shorter heap run
#   scripts/web-budgets.sh --only=bundle,latency
#
# and Snapify's seller app (issue 11; web/e2e/seller-budgets.ts):
#
#   initial JavaScript   the entry chunk and its static imports, gzip -9   ≤ 150 kB
#   Lighthouse           mobile performance (Moto G Power, default simulated throttling) of the
#                        signed-in orders and products screens on the seeded demo store, the
#                        median of 3 runs each                                ≥ 0.90
#
#   scripts/web-budgets.sh --app=snapify-seller               # the seller app only
#   scripts/web-budgets.sh --app=snapify-seller --runs=5 --only=lighthouse
#   scripts/web-budgets.sh --app=psydge                       # the panel only
#
# With no --app both run (the panel first); the flags go to both (--runs only with
# --app=snapify-seller).
#
# It measures the bundle in static/apps/psydge, the one bin/alorig embeds (`make web-build`
# rebuilds it), against a real `alorig serve` on throw-away databases (web/e2e/harness.ts) with
# Debian's Chromium. Not part of `make test`: the heap figure needs minutes of ticks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
make --no-print-directory web-deps build
scripts/dev/ensure-packages.sh browser
eval "$(scripts/dev-services.sh)"
eval "$(scripts/dev/node.sh)"
export ALORIG_BIN="$PWD/bin/alorig"
app=all
args=()
for a in "$@"; do
	case $a in
	--app=*) app=${a#--app=} ;;
	*) args+=("$a") ;;
	esac
done
cd web/e2e
run() { node --experimental-strip-types --disable-warning=ExperimentalWarning "$@"; }
case $app in
psydge) run budgets.ts "${args[@]}" ;;
snapify-seller) run seller-budgets.ts "${args[@]}" ;;
all)
	status=0
	run budgets.ts "${args[@]}" || status=$?
	run seller-budgets.ts "${args[@]}" || status=$?
	exit $status
	;;
*)
	echo "web-budgets: --app is psydge, snapify-seller or all, not $app" >&2
	exit 2
	;;
esac
