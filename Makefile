# OOPS truck status — every command a user or CI needs. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

NODE_TS := node --import tsx
UVU := $(NODE_TS) node_modules/uvu/bin.js
DENO := DENO_NO_UPDATE_CHECK=1 node_modules/.bin/deno

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

test-deno: install ## type-check core/ and its doc examples with Deno, run its suites under Deno
	@echo "==> deno check of core/ (doc examples included)"
	$(DENO) check --quiet --doc core/*.ts core/testing/*.ts
	@echo "==> core/ suites under Deno"
	@for suite in core/*_test.ts; do \
	  $(DENO) run --quiet --no-prompt --allow-read --allow-env "$$suite" > .deno-test.log 2>&1 \
	    || { cat .deno-test.log; rm -f .deno-test.log; echo "deno: $$suite failed"; exit 1; }; \
	  echo "   deno $$suite: $$(grep -o 'Passed: *[0-9]*' .deno-test.log | tr -s ' ')"; \
	done; rm -f .deno-test.log

test: typecheck lint test-unit test-deno ## every check of the project
