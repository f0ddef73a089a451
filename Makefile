# Developer entry points; `make help` lists them. docs/development.md explains the flow.
#
# `make run` and `make test` work on a fresh Debian 12 machine with only Go and git: they
# install missing Debian packages, start a private PostgreSQL and Redis under .dev/ (or use
# ALORIG_DATABASE_URL / ALORIG_REDIS_URL when set), generate templ code and build.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# Root's PATH on a fresh machine often lacks Go's default install location.
GO ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
GOFMT ?= $(shell command -v gofmt 2>/dev/null || echo $(dir $(GO))gofmt)
BIN := bin/alorig
APPS ?= $(or $(ALORIG_APPS),all)
ADDR ?= $(or $(ALORIG_ADDR),:8080)
GOTESTFLAGS ?=
GOBENCHFLAGS ?=
SERVICES := scripts/dev-services.sh
MODULES := psydge snapify sitebuilder observer astrotiming asms

# Starts (or reuses) the services and exports their URLs into the recipe's shell. The
# assignment comes first so that a failing script stops the recipe: `eval "$(…)"` alone
# would swallow its exit status.
with_services = services_env=$$($(SERVICES)); eval "$$services_env"

.PHONY: help run test build generate deps deps-build services stop clean bench lint \
	web web-deps web-build web-types web-check web-e2e

help: ## list the targets
	@echo "usage: make <target>"
	@awk 'BEGIN { FS = ":.*## " } /^[a-z0-9-]+:.*## / { printf "  %-10s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
	@echo "variables: APPS=$(APPS) ADDR=$(ADDR) GOTESTFLAGS=… GOBENCHFLAGS=…"

run: deps build ## services, migrate, seed, then serve every module and the worker on ADDR
	@$(with_services)
	export ALORIG_ENV="$${ALORIG_ENV:-development}"
	# Sitemaps, share links and ICS feed links point at the local address, not the public domains.
	addr='$(ADDR)'
	export ALORIG_SNAPIFY_PUBLIC_URL="$${ALORIG_SNAPIFY_PUBLIC_URL:-http://snapify.localhost:$${addr##*:}}"
	export ALORIG_ASTROTIMING_PUBLIC_URL="$${ALORIG_ASTROTIMING_PUBLIC_URL:-http://astrotiming.localhost:$${addr##*:}}"
	echo "+ $(BIN) migrate --all"
	$(BIN) migrate --all
	echo "+ $(BIN) seed --all"
	$(BIN) seed --all
	# serve prints the six addresses (http://<module>.localhost:PORT/) once it listens.
	exec $(BIN) serve --apps=$(APPS) --with-worker --addr="$$addr"

test: deps generate ## services, go test ./..., web-check, web-e2e, then scripts/validate-deploy.sh
	@# Generated templ code must match its .templ source: `generate` has just rewritten every
	# *_templ.go, so anything git now sees changed or untracked was stale (or not yet committed)
	# in the tree under test. Outside a git work tree (an unpacked archive) there is nothing to
	# compare with.
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		stale=$$( { git diff --name-only -- '*_templ.go'; git ls-files --others --exclude-standard -- '*_templ.go'; } | sort -u | paste -sd ' ' -)
		if [ -n "$$stale" ]; then
			echo "make test: generated templ code differs from what is committed (make generate changed: $$stale); commit the regenerated files" >&2
			exit 1
		fi
	fi
	$(with_services)
	status=0
	echo "+ go test $(strip $(GOTESTFLAGS) ./...)"
	$(GO) test $(GOTESTFLAGS) ./... || status=$$?
	# The front ends: types, lint, unit tests, committed bundles, then the browser journeys
	# against a real alorig serve (run even when a Go test failed, so one run reports all).
	$(MAKE) web-check || status=$$?
	$(MAKE) web-e2e || status=$$?
	# Deployment files are checked even when a Go test failed, so one run reports both.
	if [ -f scripts/validate-deploy.sh ]; then
		echo "+ scripts/validate-deploy.sh"
		bash scripts/validate-deploy.sh || status=$$?
	else
		echo "scripts/validate-deploy.sh not present: skipped"
	fi
	exit $$status

bench: deps generate ## services, then every benchmark (go test -bench, no tests)
	@$(with_services)
	$(GO) test -run '^$$' -bench . $(GOBENCHFLAGS) ./...

build: deps-build generate ## generate templ code and build bin/alorig
	$(GO) build -o $(BIN) .

generate: ## templ generate in every folder with .templ files (templ version from go.mod)
	@version=$$($(GO) list -m -f '{{.Version}}' github.com/a-h/templ)
	# Built from templ's own go.mod (the @version form), so the project's go.sum needs no
	# entries for templ's command-line dependencies.
	GOBIN='$(CURDIR)/bin' $(GO) install github.com/a-h/templ/cmd/templ@$$version
	# Folder by folder, as the views' authors run it: templ records each file's path relative
	# to -path in the generated code, so this keeps the committed files unchanged.
	dirs=$$(find . \( -path ./.dev -o -path ./bin -o -path ./.git -o -name node_modules \) -prune \
		-o -name '*.templ' -printf '%h\n' | sort -u)
	echo "+ templ@$$version generate" $$dirs
	for dir in $$dirs; do
		bin/templ generate -log-level warn -path "$$dir"
	done

lint: deps-build generate ## gofmt -l and go vet
	@unformatted=$$(find . \( -path ./.dev -o -path ./bin -o -path ./.git \) -prune -o -name '*.go' -print | xargs -r $(GOFMT) -l)
	if [ -n "$$unformatted" ]; then
		echo "gofmt would change:"
		echo "$$unformatted"
		exit 1
	fi
	$(GO) vet ./...

# The front ends (web/, docs/web.md). Node and npm are the pinned ones of scripts/dev/node.sh.
with_node = node_env=$$(scripts/dev/node.sh); eval "$$node_env"

web-deps: ## pinned Node under .dev/node, then npm ci in web/ (only when the lock file changed)
	@$(with_node)
	cd web
	# npm ci wipes node_modules; skip it when the installed tree is from this lock file.
	if ! cmp -s package-lock.json node_modules/.alorig-lock 2>/dev/null; then
		echo "+ npm ci (web/)"
		npm ci --loglevel=error --no-audit --no-fund
		cp package-lock.json node_modules/.alorig-lock
	fi

web-build: web-deps ## build every front end into static/apps/<app> (commit the result)
	@$(with_node)
	cd web && npm run build --silent

web-types: web-deps ## regenerate web/packages/api/src/*.gen.ts from the committed OpenAPI documents
	@$(with_node)
	cd web && node scripts/api-types.mjs

web-check: web-deps ## typecheck, lint, vitest, API types and bundles equal to what is committed
	@$(with_node)
	cd web
	status=0
	echo "+ web: tsc"; npm run typecheck --silent || status=$$?
	echo "+ web: eslint"; npx eslint --max-warnings=0 . || status=$$?
	echo "+ web: vitest"; npx vitest run || status=$$?
	echo "+ web: api types"; node scripts/api-types.mjs --check || status=$$?
	echo "+ web: vite build (bundles must equal the committed static/apps)"
	npm run build --silent >/dev/null || status=$$?
	cd ..
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		changed=$$( { git diff --name-only -- static/apps; git ls-files --others --exclude-standard -- static/apps; } | sort -u | head -20)
		if [ -n "$$changed" ]; then
			echo "make web-check: the built bundles differ from the committed ones (make web-build changed: $$changed); commit them" >&2
			status=1
		fi
	fi
	exit $$status

web-e2e: web-deps build ## browser journeys: playwright-core + Debian chromium against alorig serve
	@scripts/dev/ensure-packages.sh browser
	$(with_services)
	$(with_node)
	export ALORIG_BIN='$(CURDIR)/$(BIN)'
	cd web && npm run e2e --silent

web: web-deps ## Vite dev server with hot reload for APP (default psydge), against make run on :8080
	@$(with_node)
	cd web && npm run dev --workspace=@alorig/$(or $(APP),psydge)

deps: ## install the missing Debian packages (with sudo when not root)
	@scripts/dev/ensure-packages.sh all

deps-build:
	@scripts/dev/ensure-packages.sh build

services: ## start (or reuse) the private PostgreSQL and Redis and print their export lines
	@$(SERVICES)

stop: ## stop the private PostgreSQL and Redis
	@$(SERVICES) stop

clean: ## stop the services, delete .dev/ (their data) and bin/
	@$(SERVICES) clean
	rm -rf bin

.ONESHELL:
