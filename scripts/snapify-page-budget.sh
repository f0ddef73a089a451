#!/usr/bin/env bash
# Prints Snapify's bytes per buyer page type (issue 4): HTML as sent and gzipped, the inlined
# critical CSS, the images a 412-px 2.625x phone fetches (the srcset candidate it picks), and the
# total transfer. The demo data is seeded into a throw-away database and every page is served
# through the real handler; the run fails if any page breaks a budget (HTML ≤ 30 KB gzipped,
# CSS ≤ 15 KB, total ≤ 200 KB, no render-blocking request).
#
#   scripts/snapify-page-budget.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
eval "$(scripts/dev-services.sh)"
GO=${GO:-$(command -v go 2>/dev/null || echo /usr/local/go/bin/go)}
ALORIG_LOG_LEVEL=error "$GO" test ./modules/snapify/ -count=1 -v -run '^TestPageBudgets$' -args -budget-table 2>&1 |
	grep -Ev '^(=== |--- |\s+handler\.go|PASS$)|level=(WARN|INFO)'
