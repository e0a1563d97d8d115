#!/usr/bin/env bash
# The Makefile's AWS targets, read with `make -n` (the commands are printed,
# not run: nothing reaches AWS or Terraform):
# - OFFLINE=1 (offline_plan: fake keys, no account checks) reaches `plan` and
#   never `deploy` or `destroy`;
# - each region and DEPLOY_ENV has a state of its own, local or in S3 (with a
#   lock file), and DEPLOY_ENV gives the names their prefix;
# - `deploy` writes the outputs the tools read;
# - the deployment's tables file (state/<env>/<region>/tables.tfvars.json)
#   reaches plan, deploy and destroy.
# Plus the checks tf-init makes before Terraform runs (those run for real:
# they stop the recipe before anything else happens), and, with a stub in
# place of Terraform, the recipes' own logic: plan and deploy stop when the
# state has tables the missing tables file would drop; destroy lifts the
# deletion protection of what the state holds, then destroys, and protects
# again what a failed destroy left.
#
# usage: terraform/tests/make_test.sh   (terraform/tests/run.sh runs it)
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/oops-make-test.XXXXXX")
# A DEPLOY_ENV of this run only, for a tables file at its default place.
test_env="mktest$$"
trap 'rm -rf "$work" "$repo_root/terraform/state/$test_env"' EXIT
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
    -u TF_ARGS -u TF_BACKEND_CONFIG -u TF_TABLES_FILE ${env_args[@]+"${env_args[@]}"} \
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

printf '{"table_generations": ["", "b2"], "active_table_generation": "b2"}\n' >"$work/tables.tfvars.json"

for target in plan deploy destroy; do
  name="$target: the tables file comes after the fixed variables and before TF_ARGS"
  run_make -- -n "$target" TF_TABLES_FILE="$work/tables.tfvars.json" "TF_ARGS=-var alarm_email=ops@example.com"
  if expect_success "$name"; then
    line=$(tf_line "$target" | grep -v -- "-target=" || true)
    [[ $target == deploy ]] && line=$(tf_line apply)
    if [[ $line != *"-var aws_region=us-east-1 -var-file=$work/tables.tfvars.json -var alarm_email=ops@example.com"* ]]; then not_ok "$name" "$target line: $line"
    else ok "$name"; fi
  fi
done

name="no tables file: no -var-file (one table, generation \"\")"
run_make -- -n deploy TF_TABLES_FILE="$work/absent.tfvars.json"
if expect_success "$name"; then
  if has "-var-file"; then not_ok "$name" "a -var-file without a file"; else ok "$name"; fi
fi

name="the tables file lives beside the deployment's state: state/<env>/<region>/tables.tfvars.json"
mkdir -p "$repo_root/terraform/state/$test_env/eu-west-1"
cp "$work/tables.tfvars.json" "$repo_root/terraform/state/$test_env/eu-west-1/"
run_make -- -n deploy DEPLOY_ENV="$test_env" AWS_REGION=eu-west-1
if expect_success "$name"; then
  if [[ $(tf_line apply) != *"-var-file=$repo_root/terraform/state/$test_env/eu-west-1/tables.tfvars.json"* ]]; then not_ok "$name" "$(tf_line apply)"
  else
    run_make -- -n deploy DEPLOY_ENV="$test_env" AWS_REGION=us-east-1
    if has "-var-file"; then not_ok "$name" "another region of the same DEPLOY_ENV got its file"; else ok "$name"; fi
  fi
fi

# The recipes' logic, run for real with a stub in place of tools/tf.sh: it
# logs each call (without -chdir) and answers `output -json table_names`
# ($STUB_TABLES) and `state list` ($STUB_STATE); $STUB_FAIL names a
# subcommand that fails. Neither tf-init nor the bundle runs (-o), and the
# outputs go to a file of this test: nothing of the working tree is touched.
cat >"$work/tf-stub" <<'STUB'
#!/usr/bin/env bash
shift # -chdir=terraform
printf '%s\n' "$*" >>"$STUB_LOG"
[[ $1 == "${STUB_FAIL:-none}" ]] && exit 1
case "$*" in
  "output -json table_names") [[ -n ${STUB_TABLES:-} ]] && printf '%s\n' "$STUB_TABLES" || exit 1 ;;
  "state list") printf '%b' "${STUB_STATE:-}" ;;
esac
exit 0
STUB
chmod +x "$work/tf-stub"
stub_run() {
  local env_args=()
  while [[ $# -gt 0 && $1 != -- ]]; do env_args+=("$1"); shift; done
  shift
  : >"$work/tf.log"
  run_make STUB_LOG="$work/tf.log" ${env_args[@]+"${env_args[@]}"} -- -o build -o tf-init \
    TF="$work/tf-stub -chdir=terraform" TF_OUTPUTS="$work/outputs.json" "$@"
  calls=$(cat "$work/tf.log")
}
called() { grep -E -- "$1" <<<"$calls" || true; }

for target in plan deploy; do
  name="$target stops when the state has tables the missing tables file would drop"
  stub_run 'STUB_TABLES={"": "oops-trucks", "b2": "oops-trucks-b2"}' -- "$target" TF_TABLES_FILE="$work/absent.tfvars.json"
  if expect_refusal "$name"; then
    if [[ -n $(called "^(plan|apply) ") ]]; then not_ok "$name" "terraform $target ran: $calls"
    elif ! has "tables.tfvars.json"; then not_ok "$name" "the refusal should name the tables file"
    else ok "$name"; fi
  fi
done

name="deploy goes on with one table and no file, or with the file"
stub_run 'STUB_TABLES={"":"oops-trucks"}' -- deploy TF_TABLES_FILE="$work/absent.tfvars.json"
if expect_success "$name"; then
  first=$(called "^apply ")
  stub_run 'STUB_TABLES={"":"oops-trucks","b2":"oops-trucks-b2"}' -- deploy TF_TABLES_FILE="$work/tables.tfvars.json"
  if [[ -z $first ]]; then not_ok "$name" "no apply with a single table"
  elif [[ $status -ne 0 || -z $(called "^apply .*-var-file=$work/tables.tfvars.json") ]]; then not_ok "$name" "no apply with the file: $calls"
  else ok "$name"; fi
fi

name="destroy: lifts the protection of what the state holds (targeted apply), then destroys"
stub_run 'STUB_STATE=aws_s3_bucket.archive\naws_sqs_queue.dlq\nmodule.storage.aws_dynamodb_table.trucks[""]\nmodule.storage.aws_dynamodb_table.trucks["b2"]\n' \
  -- destroy
if expect_success "$name"; then
  steps=$(grep -E "^(apply|destroy) " <<<"$calls" | cut -d' ' -f1 | tr '\n' ' ')
  unprotect=$(called "^apply ")
  if [[ $steps != "apply destroy " ]]; then not_ok "$name" "expected apply then destroy, got: $steps"
  elif [[ $unprotect != *"-var table_deletion_protection=false -var archive_force_destroy=true -target=aws_s3_bucket.archive -target=module.storage.aws_dynamodb_table.trucks" ]]; then not_ok "$name" "the targeted apply: $unprotect"
  elif [[ $unprotect == *"-auto-approve"* ]]; then not_ok "$name" "lifting the protection must ask"
  elif [[ $(called "^destroy ") != *"-var table_deletion_protection=false -var archive_force_destroy=true"* ]]; then not_ok "$name" "destroy: $(called "^destroy ")"
  else ok "$name"; fi
fi

name="destroy: nothing to unprotect when the state has no table or bucket (a targeted apply would create them)"
stub_run 'STUB_STATE=aws_sqs_queue.dlq\n' -- destroy
if expect_success "$name"; then
  if [[ -n $(called "^apply ") ]]; then not_ok "$name" "an apply ran: $calls"
  elif [[ -z $(called "^destroy ") ]]; then not_ok "$name" "no destroy"
  else ok "$name"; fi
fi

name="destroy: a failed destroy protects again what is left, and fails"
stub_run 'STUB_STATE=module.storage.aws_dynamodb_table.trucks[""]\n' STUB_FAIL=destroy -- destroy
if expect_refusal "$name"; then
  reprotect=$(called "^apply -auto-approve ")
  if [[ -z $reprotect ]]; then not_ok "$name" "no apply after the failed destroy: $calls"
  elif [[ $reprotect == *"table_deletion_protection=false"* || $reprotect != *"-target=module.storage.aws_dynamodb_table.trucks"* ]]; then not_ok "$name" "the protecting apply: $reprotect"
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
