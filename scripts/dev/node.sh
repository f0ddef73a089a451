#!/usr/bin/env bash
# Puts the pinned Node.js and npm that build and test the front ends under .dev/node, and prints
# the PATH line that selects them:   eval "$(scripts/dev/node.sh)"
#
# Every machine builds web/ with the same Node and npm, so the committed bundles come out byte
# for byte the same wherever `make web-check` rebuilds them, whatever Node the machine has (or
# lacks: Debian 12 ships Node 18, which Vite, Tailwind and Playwright no longer run on). Node
# comes from the npm registry package node-linux-<arch>, which carries the official binary; a
# bootstrap npm is needed once to fetch it, and is installed from Debian when missing.
set -euo pipefail
# shellcheck source=scripts/dev/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NODE_VERSION=22.23.5
NPM_VERSION=11.6.2
NODE_DIR=$DEV_DIR/node

case $(uname -m) in
x86_64 | amd64) arch=x64 ;;
aarch64 | arm64) arch=arm64 ;;
*) die "no Node.js package for $(uname -m); install Node $NODE_VERSION yourself and put it first on PATH" ;;
esac

have() {
	[ -x "$NODE_DIR/bin/node" ] && [ "$("$NODE_DIR/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ] &&
		[ -f "$NODE_DIR/node_modules/npm/package.json" ] &&
		grep -q "\"version\": \"$NPM_VERSION\"" "$NODE_DIR/node_modules/npm/package.json"
}

if ! have; then
	if ! command -v npm >/dev/null 2>&1; then
		"$ALORIG_ROOT/scripts/dev/ensure-packages.sh" npm
	fi
	say "installing Node.js $NODE_VERSION and npm $NPM_VERSION under .dev/node"
	mkdir -p "$NODE_DIR"
	# --prefix keeps the download out of the machine's global npm; stdout stays for eval.
	npm install --prefix "$NODE_DIR" --no-save --no-audit --no-fund --loglevel=error \
		"node-linux-$arch@$NODE_VERSION" "npm@$NPM_VERSION" >&2 ||
		die "could not install node-linux-$arch@$NODE_VERSION from the npm registry (see above)"
	mkdir -p "$NODE_DIR/bin"
	ln -sf "../node_modules/node-linux-$arch/bin/node" "$NODE_DIR/bin/node"
	ln -sf ../node_modules/npm/bin/npm-cli.js "$NODE_DIR/bin/npm"
	ln -sf ../node_modules/npm/bin/npx-cli.js "$NODE_DIR/bin/npx"
	have || die "Node.js under .dev/node is not v$NODE_VERSION after installing it"
fi
printf 'export PATH=%s:"$PATH"\n' "$(sh_quote "$NODE_DIR/bin")"
