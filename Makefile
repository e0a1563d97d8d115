# OOPS truck status — every command a user or CI needs. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

NODE_TS := node --import tsx
UVU := $(NODE_TS) node_modules/uvu/bin.js
DENO := node_modules/.bin/deno

.PHONY: help install typecheck lint format test test-unit test-deno

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# npm ci whenever the lock file is newer than the last install (fresh clone, pulled changes).
node_modules/.installed: package-lock.json
	@echo "==> installing dependencies (npm ci)"
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.installed ## install dependencies from the lock file

typecheck: install ## type-check every TypeScript file (tsc --noEmit)
	@echo "==> typecheck"
	node_modules/.bin/tsc --noEmit -p tsconfig.json

lint: install ## lint and format check (biome)
	@echo "==> lint + format check"
	node_modules/.bin/biome check .

format: install ## rewrite files in the project's format
	node_modules/.bin/biome check --write .

test-unit: install ## the uvu suites of core/ (pure, no services)
	@echo "==> unit tests (uvu)"
	$(UVU) core '_test\.ts$$'

test-deno: install ## deno check core/ and run its tests under Deno
	@echo "==> deno check + test of core/"
	$(DENO) check core/mod.ts
	$(DENO) run --quiet --no-prompt --allow-read --allow-env core/deno_smoke.ts

test: typecheck lint test-unit test-deno ## every check of the project
