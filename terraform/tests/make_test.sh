#!/usr/bin/env bash
# The Makefile's AWS targets, read with `make -n` (the commands are printed,
# not run: nothing reaches AWS or Terraform):
# - OFFLINE=1 (offline_plan: fake keys, no account checks) reaches `plan` and
#   never `deploy` or `destroy`;
# - each region and DEPLOY_ENV has a state of its own, local or in S3 (with a
#   lock file), and DEPLOY_ENV gives the names their prefix;
# - `deploy` writes the outputs the tools read.
# Plus the checks tf-init makes before Terraform runs (those run for real:
# they stop the recipe before anything else happens).
#
# usage: terraform/tests/make_test.sh   (terraform/tests/run.sh runs it)
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/oops-make-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
printf 'bucket = "state-bucket"\nregion = "eu-central-1"\n' >"$work/backend.hcl"

failures=0
out=""
status=0

# make with ARGS in a clean environment: nothing the caller exported (OFFLINE,
# AWS_REGION, a parent make's MAKEFLAGS ...) may change what is tested.
# Leading NAME=value words before -- go to the environment instead.
run_make() {
  local env_args=()
  while [[ $# -gt 0 && $1 != -- ]]; do env_args+=("$1"); shift; done
  [[ ${1:-} == -- ]] && shift
  set +e
  out=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u OFFLINE -u AWS_REGION -u DEPLOY_ENV \
    -u TF_ARGS -u TF_BACKEND_CONFIG ${env_args[@]+"${env_args[@]}"} \
    make --no-print-directory -C "$repo_root" "$@" 2>&1)
  status=$?
  set -e
}

ok() { printf '    ok    %s\n' "$1"; }
not_ok() {
  printf '    FAIL  %s: %s\n' "$1" "$2" >&2
  printf '%s\n' "$out" | sed 's/^/          | /' >&2
  failures=$((failures + 1))
}
# expect NAME CONDITION-DESCRIPTION: the last run_make succeeded / failed
expect_success() { if [[ $status -eq 0 ]]; then return 0; else not_ok "$1" "make failed (exit $status)"; return 1; fi; }
expect_refusal() { if [[ $status -ne 0 ]]; then return 0; else not_ok "$1" "make should have refused"; return 1; fi; }
has() { grep -qF -- "$1" <<<"$out"; }
# The printed terraform command of one subcommand (plan, apply, destroy, init).
tf_line() { grep -E "tools/tf\.sh -chdir=terraform $1( |$)" <<<"$out" || true; }

name="plan OFFLINE=1 passes offline_plan to plan, with the local state"
run_make -- -n plan OFFLINE=1 TF_BACKEND_CONFIG="$work/backend.hcl"
if expect_success "$name"; then
  if [[ $(tf_line plan) != *"-var offline_plan=true -refresh=false"* ]]; then not_ok "$name" "no offline_plan on the plan line"
  elif [[ $(tf_line init) != *"-backend-config=path=state/default/us-east-1/terraform.tfstate"* ]]; then not_ok "$name" "an offline plan must not need S3"
  else ok "$name"; fi
fi

for target in deploy destroy; do
  for how in "command line" environment "TF_ARGS"; do
    name="$target refuses OFFLINE ($how)"
    case $how in
      "command line") run_make -- -n "$target" OFFLINE=1 ;;
      environment) run_make OFFLINE=yes -- -n "$target" ;;
      TF_ARGS) run_make -- -n "$target" "TF_ARGS=-var offline_plan=true" ;;
    esac
    if expect_refusal "$name"; then
      if has "offline_plan=true" && [[ -n $(tf_line "(apply|destroy)") ]]; then not_ok "$name" "offline_plan reached $target"
      elif ! has "is for \`make plan\` only"; then not_ok "$name" "the refusal should say OFFLINE is for make plan only"
      else ok "$name"; fi
    fi
  done
done

name="deploy without OFFLINE: apply gets no offline_plan, and the outputs are written for the tools"
run_make -- -n deploy
if expect_success "$name"; then
  if [[ -z $(tf_line apply) ]]; then not_ok "$name" "no terraform apply printed"
  elif has "offline_plan"; then not_ok "$name" "offline_plan appears"
  elif [[ $(tf_line output) != *"output -json > terraform/outputs.json.tmp && mv terraform/outputs.json.tmp terraform/outputs.json"* ]]; then not_ok "$name" "deploy must write terraform/outputs.json"
  else ok "$name"; fi
fi

name="one local state per region"
run_make -- -n deploy AWS_REGION=eu-west-1
east_init=""
if expect_success "$name"; then
  west_init=$(tf_line init)
  west_apply=$(tf_line apply)
  run_make -- -n deploy
  east_init=$(tf_line init)
  if [[ $west_init != *"-backend-config=path=state/default/eu-west-1/terraform.tfstate"* ]]; then not_ok "$name" "eu-west-1 state: $west_init"
  elif [[ $east_init != *"-backend-config=path=state/default/us-east-1/terraform.tfstate"* ]]; then not_ok "$name" "us-east-1 state: $east_init"
  elif [[ $west_init != *"-reconfigure"* ]]; then not_ok "$name" "switching state needs init -reconfigure (no migration of one region's state into another)"
  elif [[ $west_apply != *"-var aws_region=eu-west-1"* ]]; then not_ok "$name" "apply must get the region of its state"
  else ok "$name"; fi
fi

name="DEPLOY_ENV: its own state and name prefix"
run_make -- -n deploy DEPLOY_ENV=dev
if expect_success "$name"; then
  if [[ $(tf_line init) != *"-backend-config=path=state/dev/us-east-1/terraform.tfstate"* ]]; then not_ok "$name" "state of dev"
  elif [[ $(tf_line apply) != *"-var name_prefix=dev-"* ]]; then not_ok "$name" "names of dev"
  else ok "$name"; fi
fi

name="name_prefix only through DEPLOY_ENV"
run_make -- -n deploy "TF_ARGS=-var name_prefix=dev-"
if expect_refusal "$name"; then
  if has "name_prefix comes from DEPLOY_ENV"; then ok "$name"; else not_ok "$name" "the refusal should name DEPLOY_ENV"; fi
fi

name="TF_BACKEND_CONFIG: S3, a key per DEPLOY_ENV and region, a lock file"
run_make -- -n deploy TF_BACKEND_CONFIG="$work/backend.hcl" DEPLOY_ENV=dev AWS_REGION=eu-west-1
if expect_success "$name"; then
  init=$(tf_line init)
  if [[ $init != *"-backend-config=$work/backend.hcl"* ]]; then not_ok "$name" "the configuration file: $init"
  elif [[ $init != *"-backend-config=key=oops/dev/eu-west-1/terraform.tfstate"* ]]; then not_ok "$name" "the key: $init"
  elif [[ $init != *"-backend-config=use_lockfile=true"* ]]; then not_ok "$name" "no lock file: $init"
  elif [[ $init == *"path=state/"* ]]; then not_ok "$name" "a local path with S3: $init"
  elif ! has 'backend "s3" {}'; then not_ok "$name" "the backend must become s3 (backend_override.tf)"
  else ok "$name"; fi
fi

name="without TF_BACKEND_CONFIG the S3 override is removed"
run_make -- -n deploy
if expect_success "$name"; then
  if has "rm -f terraform/backend_override.tf"; then ok "$name"; else not_ok "$name" "no removal of backend_override.tf"; fi
fi

name="destroy: this region's state only"
run_make -- -n destroy AWS_REGION=ap-south-1
if expect_success "$name"; then
  if [[ $(tf_line init) != *"path=state/default/ap-south-1/terraform.tfstate"* ]]; then not_ok "$name" "state of ap-south-1"
  elif ! has "destroy -var aws_region=ap-south-1"; then not_ok "$name" "destroy must get the region"
  else ok "$name"; fi
fi

# These run tf-init for real: its first lines refuse before Terraform runs.
for bad in "AWS_REGION=../us-east-1" "AWS_REGION=us_east_1" "DEPLOY_ENV=dev.oops" "DEPLOY_ENV=a/b"; do
  name="tf-init refuses $bad before Terraform runs"
  run_make -- tf-init "$bad"
  if expect_refusal "$name"; then
    if has "==> terraform init"; then not_ok "$name" "terraform init ran"
    elif has "make: ${bad%%=*}="; then ok "$name"
    else not_ok "$name" "the refusal should name ${bad%%=*}"; fi
  fi
done

if [[ $failures -gt 0 ]]; then
  echo "make_test.sh: $failures failed" >&2
  exit 1
fi
