# OOPS truck status: every command a user or CI needs. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

NODE_TS := node --import tsx
UVU := $(NODE_TS) node_modules/uvu/bin.js
DENO := DENO_NO_UPDATE_CHECK=1 node_modules/.bin/deno
# The AWS SDK's "Node.js 22 from 2027" notice would otherwise open every tool's output.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ?= true

.PHONY: help install build typecheck lint format test test-core test-deno test-handler \
	test-aws test-tools test-bench test-terraform local generate status dashboard replay diff rejects rebuild \
	drop-table redrive \
	bench tf-init plan deploy destroy outputs

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

# npm ci whenever the lock file is newer than the last install (fresh clone, pulled changes).
node_modules/.installed: package-lock.json
	@echo "==> installing dependencies (npm ci)"
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.installed ## install dependencies from the lock file

# The Lambda bundle and its zip, rebuilt only when a bundled source changes.
BUNDLE_SOURCES := $(shell find core handler -name '*.ts' ! -name '*_test.ts' ! -path '*/testing/*')

handler/dist/index.mjs handler/dist/function.zip &: $(BUNDLE_SOURCES) rollup.config.mjs node_modules/.installed
	@echo "==> bundle (rollup): handler/dist/index.mjs, handler/dist/function.zip"
	node_modules/.bin/rollup -c

build: handler/dist/index.mjs handler/dist/function.zip ## bundle the Lambda function into handler/dist/

# --- checks ------------------------------------------------------------------

typecheck: install ## type-check every TypeScript file (tsc --noEmit)
	@echo "==> typecheck"
	node_modules/.bin/tsc --noEmit -p tsconfig.json

lint: install ## lint and format check (biome)
	@echo "==> lint + format check"
	node_modules/.bin/biome check .

format: install ## rewrite files in the project's format
	node_modules/.bin/biome check --write .

# uvu over one folder; fails when a suite ran no test (uvu exits 0 when a hook throws).
define uvu
	@echo "==> $(2) (uvu: $(1))"
	@$(UVU) $(1) '_test\.ts$$' 2>&1 | tee .uvu-$(subst /,-,$(1)).log
	@sed 's/\x1b\[[0-9;]*m//g' .uvu-$(subst /,-,$(1)).log | awk '/Total:/{t=$$2} /Passed:/{p=$$2} \
	  END{ if (t == 0 || t != p) { print "uvu: " p "/" t " passed in $(1)"; exit 1 } }'
	@rm -f .uvu-$(subst /,-,$(1)).log
endef

test-core: install ## core/: examples, laws and properties (pure, no services)
	$(call uvu,core,core suites)

test-deno: install ## type-check core/ and its doc examples with Deno, run its suites under Deno
	@echo "==> deno check of core/ (doc examples included)"
	$(DENO) check --quiet --doc core/*.ts core/testing/*.ts
	@echo "==> core/ suites under Deno"
	@for suite in core/*_test.ts; do \
	  $(DENO) run --quiet --no-prompt --allow-read --allow-env "$$suite" > .deno-test.log 2>&1 \
	    || { cat .deno-test.log; rm -f .deno-test.log; echo "deno: $$suite failed"; exit 1; }; \
	  echo "   deno $$suite: $$(grep -o 'Passed: *[0-9]*' .deno-test.log | tr -s ' ')"; \
	done; rm -f .deno-test.log

test-handler: build ## the bundled handler against dynalite and kinesis-mock
	$(call uvu,handler,handler suites)

test-aws: build ## AWS on this machine: emulators, clients, the local Lambda (event source mapping, runtime)
	$(call uvu,aws,aws suites)

test-tools: build ## generator, status, dashboard (Chromium), local stack and the chapter's test
	$(call uvu,tools,tools suites)

test-bench: install ## the benchmark's pure parts (the scale model, the dashboard load harness)
	$(call uvu,bench,bench suites)

test-terraform: build ## terraform fmt, validate, tests with a mocked provider, and the real apply to the emulators
	@echo "==> terraform fmt + validate + test (mocked AWS provider)"
	terraform/tests/run.sh
	$(call uvu,terraform,terraform/local applied to kinesis-mock and dynalite; the bundle writes to it)

test: typecheck lint test-deno test-terraform test-core test-aws test-handler test-tools test-bench ## every check of the project

# --- tools -------------------------------------------------------------------

DIR ?= forward

local: build ## the whole pipeline on this machine: emulators, mapping, generator, dashboard, live table (ARGS=--help)
	@$(NODE_TS) tools/local/main.ts $(ARGS)

generate: install ## write OOPS events to the stream (DIR=backwards, STREAM=name, ARGS="--count 100 --rate 0")
	@$(NODE_TS) tools/generate/main.ts $(DIR) $(if $(STREAM),--stream $(STREAM)) $(ARGS)

status: install ## print the truck table (TABLE=name, ARGS=--json)
	@$(NODE_TS) tools/status.ts $(if $(TABLE),--table $(TABLE)) $(ARGS)

dashboard: install ## live truck dashboard in the browser (ARGS="--port 0 --service-interval 2000")
	@$(NODE_TS) tools/dashboard/main.ts $(ARGS)

# --- the archive: replay, diff, rejects ----------------------------------------

ARCHIVE_WINDOW = $(if $(FROM),--from $(FROM)) $(if $(TO),--to $(TO)) $(if $(TABLE),--table $(TABLE))

replay: install ## replay the archive into a table, one write per truck (FROM=, TO=, TABLE=, ARGS="--stream --dry-run")
	@$(NODE_TS) tools/replay/main.ts $(ARCHIVE_WINDOW) $(ARGS)

diff: install ## per truck and attribute, what differs from the archive's truth (AGAINST=table, ARGS=--stream)
	@$(NODE_TS) tools/diff.ts $(ARCHIVE_WINDOW) $(if $(AGAINST),--against $(AGAINST)) $(ARGS)

rejects: install ## the rejects stream grouped by reason, with examples (ARGS="--json")
	@$(NODE_TS) tools/rejects/main.ts $(ARGS)

rebuild: install ## a fresh table from the archive while the pipeline runs, then everything switched to it
	@$(NODE_TS) tools/rebuild/main.ts --tables-file $(TF_TABLES_FILE) $(ARGS)

drop-table: install ## drop a table a rebuild left behind (TABLE=name; never the active one)
	@$(NODE_TS) tools/rebuild/drop.ts --tables-file $(TF_TABLES_FILE) $(if $(TABLE),--table $(TABLE)) $(ARGS)

redrive: install ## after the DLQ alarm: replay the failed batches' time range, then empty the DLQ
	@$(NODE_TS) tools/redrive/main.ts $(ARGS)

# --- performance -------------------------------------------------------------

bench: build ## performance side by side with the chapter's strategy: tables, bench/results.json, bench/scale.svg (ARGS=--quick)
	@echo "==> bench: about 5 min on 2 cores (ARGS=--quick for a 40 s smoke run)"
	@# The dashboard section holds 1,000+ sockets: raise a low soft open-files limit if the hard one allows.
	@if [ "$$(ulimit -Sn)" != unlimited ] && [ "$$(ulimit -Sn)" -lt 4096 ]; then ulimit -Sn 4096 2>/dev/null || ulimit -Sn "$$(ulimit -Hn)" 2>/dev/null || true; fi; \
	  $(NODE_TS) bench/main.ts $(ARGS)

# --- AWS (terraform/) ----------------------------------------------------------

TF_DIR := terraform
# Provider mirror for an offline `terraform init` (-plugin-dir); empty means the registry.
# This picks up /opt/tf-plugins where a machine has it and is empty elsewhere.
TF_PLUGIN_DIR ?= $(wildcard /opt/tf-plugins)
export TF_PLUGIN_DIR
AWS_REGION ?= us-east-1
# DEPLOY_ENV: which copy of the stack, e.g. dev: its names start with dev- and it
# has a state of its own in each region. Empty: the main copy, no prefix.
DEPLOY_ENV ?=
TF_STATE_KEY = $(or $(DEPLOY_ENV),default)/$(AWS_REGION)
# Remote state: a partial S3 backend configuration (bucket and its region, see
# terraform/backend.hcl.example); terraform/backend.hcl is used when it exists.
# An offline plan cannot reach S3 and uses the local state.
TF_BACKEND_CONFIG ?= $(wildcard $(TF_DIR)/backend.hcl)
OFFLINE_PLAN = $(filter 1 true yes,$(OFFLINE))
TF_S3_CONFIG = $(if $(OFFLINE_PLAN),,$(TF_BACKEND_CONFIG))
TF_STATE = $(if $(TF_S3_CONFIG),S3 key oops/$(TF_STATE_KEY)/terraform.tfstate ($(TF_S3_CONFIG)),$(TF_DIR)/state/$(TF_STATE_KEY)/terraform.tfstate)
TF_BACKEND_ARGS = $(if $(TF_S3_CONFIG),-backend-config=$(abspath $(TF_S3_CONFIG)) \
  -backend-config=key=oops/$(TF_STATE_KEY)/terraform.tfstate -backend-config=use_lockfile=true \
  -backend-config=encrypt=true,-backend-config=path=state/$(TF_STATE_KEY)/terraform.tfstate)
# The outputs of the last deployment `make deploy` (or `make outputs`) used: the
# tools read them (tools/target.ts), wherever the state lives.
TF_OUTPUTS := $(TF_DIR)/outputs.json
TF := tools/tf.sh -chdir=$(TF_DIR)
# The deployment's truck tables: {"table_generations": [...], "active_table_generation": "..."}
# (`make rebuild` writes it), beside the local state. Read when make starts, and
# passed to plan, deploy and destroy before TF_ARGS (which can still override).
# With a remote state the team keeps a copy of it too: terraform/README.md, Truck tables.
TF_TABLES_FILE ?= $(TF_DIR)/state/$(TF_STATE_KEY)/tables.tfvars.json
TF_TABLES_VARS = $(if $(wildcard $(TF_TABLES_FILE)), -var-file=$(abspath $(TF_TABLES_FILE)))
# TF_ARGS: extra terraform arguments, e.g. TF_ARGS='-var alarm_email=ops@example.com'
TF_VARS = -var aws_region=$(AWS_REGION)$(if $(DEPLOY_ENV), -var name_prefix=$(DEPLOY_ENV)-)$(TF_TABLES_VARS) $(TF_ARGS)

ifneq ($(filter deploy destroy outputs,$(MAKECMDGOALS)),)
ifneq ($(OFFLINE_PLAN)$(findstring offline_plan,$(TF_ARGS)),)
$(error OFFLINE=1 (offline_plan: fake keys, no account checks) is for `make plan` only; deploy and destroy always use your credentials and check the account)
endif
endif
ifneq ($(filter plan deploy destroy outputs,$(MAKECMDGOALS)),)
ifneq ($(findstring name_prefix,$(TF_ARGS)),)
$(error name_prefix comes from DEPLOY_ENV (make deploy DEPLOY_ENV=dev gives dev-... names and a state of their own), not from TF_ARGS)
endif
endif

tf-init:
	@[[ '$(AWS_REGION)' =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$$ ]] || { echo "make: AWS_REGION=$(AWS_REGION) is not a region name such as eu-west-1" >&2; exit 2; }
	@[[ '$(DEPLOY_ENV)' =~ ^[A-Za-z0-9_-]{0,19}$$ ]] || { echo "make: DEPLOY_ENV=$(DEPLOY_ENV): at most 19 of A-Z a-z 0-9 _ - (the names start with DEPLOY_ENV-)" >&2; exit 2; }
	@if [[ -e $(TF_DIR)/terraform.tfstate ]]; then echo "make: $(TF_DIR)/terraform.tfstate predates one state per region and DEPLOY_ENV: move it to $(TF_DIR)/state/default/<the region it was deployed to>/terraform.tfstate (see terraform/README.md, State)" >&2; exit 2; fi
	@# The backend block is local (versions.tf); an override file switches it to S3.
	@if [[ -n '$(TF_S3_CONFIG)' ]]; then \
	  [[ -f '$(TF_S3_CONFIG)' ]] || { echo "make: TF_BACKEND_CONFIG=$(TF_S3_CONFIG): no such file" >&2; exit 2; }; \
	  printf '%s\n' '# Written by `make tf-init` because TF_BACKEND_CONFIG is set: the state is in S3.' \
	    'terraform {' '  backend "s3" {}' '}' > $(TF_DIR)/backend_override.tf; \
	else rm -f $(TF_DIR)/backend_override.tf; fi
	@echo "==> terraform init in $(TF_DIR)/: state $(TF_STATE); providers from $(or $(TF_PLUGIN_DIR),the registry)"
	@$(TF) init -input=false -reconfigure $(TF_BACKEND_ARGS) $(if $(TF_PLUGIN_DIR),-plugin-dir=$(TF_PLUGIN_DIR)) >/dev/null

# The deployment the tools (make generate, status, dashboard) point at.
define write_outputs
	@$(TF) output -json > $(TF_OUTPUTS).tmp && mv $(TF_OUTPUTS).tmp $(TF_OUTPUTS)
	@echo "==> $(TF_OUTPUTS): make generate, status, dashboard, rejects, diff, replay, rebuild and redrive now use $(or $(DEPLOY_ENV),the main copy) in $(AWS_REGION)"
endef

# Without the tables file Terraform plans its defaults (one table, generation
# ""), whatever the state holds: the function would go back to the first table
# and the others would be planned for deletion (their deletion protection stops
# that part, not the switch). So plan and deploy stop when the state has other
# tables and neither the file nor TF_ARGS says which (a fresh clone, a teammate).
define tables_guard
	@if [[ ! -f '$(TF_TABLES_FILE)' && -z '$(findstring table_generations,$(TF_ARGS))$(findstring -var-file,$(TF_ARGS))' ]]; then \
	  tables=$$($(TF) output -json table_names 2>/dev/null | tr -d ' \t\n' || true); one='^\{"":"[^"]*"\}$$'; \
	  if [[ -n $$tables && $$tables != '{}' && ! $$tables =~ $$one ]]; then \
	    echo "make: the state ($(TF_STATE)) has the truck tables $$tables, but there is no $(TF_TABLES_FILE): without it this would switch the function back to the first table and try to drop the others. Put the deployment's tables.tfvars.json there (terraform/README.md, Truck tables)." >&2; \
	    exit 2; fi; fi
endef

plan: build tf-init ## what `make deploy` would change in AWS (no account: OFFLINE=1, fake keys, nothing sent)
	$(tables_guard)
	@echo "==> terraform plan for AWS $(AWS_REGION)$(if $(OFFLINE_PLAN), (offline plan with fake keys: nothing is sent to AWS))"
	$(TF) plan -input=false $(TF_VARS)$(if $(OFFLINE_PLAN), -var offline_plan=true -refresh=false)

deploy: build tf-init ## bundle the handler, then create or update everything in AWS_REGION (terraform apply)
	$(tables_guard)
	@echo "==> terraform apply in AWS $(AWS_REGION): streams, tables, function, event source mapping, DLQ, archive, alarms"
	$(TF) apply $(TF_VARS)
	$(write_outputs)

# Two steps, each showing its plan and asking: (1) a targeted apply lifts the
# truck tables' deletion protection and lets the archive bucket go with its
# objects, and changes nothing else; only what the state holds is targeted (a
# targeted apply would create what is missing); (2) terraform destroy. If the
# destroy does not happen (declined, failed), what is left is protected again.
TF_UNPROTECTED_VARS = $(TF_VARS) -var table_deletion_protection=false -var archive_force_destroy=true
destroy: tf-init ## delete everything `make deploy` created in AWS_REGION for DEPLOY_ENV, the archive too (asks twice)
	@echo "==> terraform destroy in AWS $(AWS_REGION): everything in the state $(TF_STATE)"
	@arn=$$($(TF) output -raw stream_arn 2>/dev/null || true); \
	  protected() { { $(TF) state list 2>/dev/null || true; } \
	    | sed -nE 's/^(module\.storage\.aws_dynamodb_table\.trucks|aws_s3_bucket\.archive)(\[.*\])?$$/-target=\1/p' | sort -u; }; \
	  reprotect() { targets=$$(protected); [[ -z $$targets ]] || { \
	    echo "==> not destroyed: deletion protection back on for what is left"; $(TF) apply -auto-approve $(TF_VARS) $$targets; }; }; \
	  targets=$$(protected); \
	  if [[ -n $$targets ]]; then \
	    echo "==> 1 of 2: lift the truck tables' deletion protection; let the archive bucket go with every object in it"; \
	    $(TF) apply $(TF_UNPROTECTED_VARS) $$targets || { status=$$?; reprotect || true; exit $$status; }; \
	    echo "==> 2 of 2: destroy everything"; fi; \
	  $(TF) destroy $(TF_UNPROTECTED_VARS) || { status=$$?; reprotect || true; exit $$status; }; \
	  if [[ -n $$arn ]] && grep -qF "\"$$arn\"" $(TF_OUTPUTS) 2>/dev/null; then \
	    rm -f $(TF_OUTPUTS); echo "==> removed $(TF_OUTPUTS): the tools no longer point at it"; fi

outputs: tf-init ## point the tools (generate, status, dashboard, rejects, diff, replay, …) at the deployment of AWS_REGION and DEPLOY_ENV
	$(write_outputs)
