#!/usr/bin/env bash
# Every offline check of terraform/, no AWS account, no network (given a
# provider mirror): fmt, validate and `terraform test` with a mocked AWS
# provider (and one offline plan with the real one), for the AWS deployment
# (terraform/) and the emulator configuration
# (terraform/local/); the Makefile's AWS targets (make_test.sh: OFFLINE only
# for plan, one state per region and DEPLOY_ENV); plus the layout of the
# function zip(s).
#
# usage: [TF_PLUGIN_DIR=/opt/tf-plugins] terraform/tests/run.sh
#   TF_PLUGIN_DIR  provider mirror for `terraform init -plugin-dir` (empty: the registry)
# Exits non-zero on the first failure.
set -euo pipefail

tf_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo_root=$(cd "$tf_root/.." && pwd)

command -v terraform >/dev/null || {
  echo "run.sh: terraform is not installed (https://developer.hashicorp.com/terraform/install)" >&2
  exit 1
}

init_args=(-backend=false -input=false -lockfile=readonly -no-color)
[[ -n ${TF_PLUGIN_DIR:-} ]] && init_args+=("-plugin-dir=$TF_PLUGIN_DIR")

# The usual .terraform directories (git-ignored) are used and kept, so the
# provider is downloaded once, not on every run, where there is no mirror.
# -lockfile=readonly: a test run never rewrites the committed lock files.
work=$(mktemp -d "${TMPDIR:-/tmp}/oops-tf-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
export TF_IN_AUTOMATION=1

step() { printf -- '--> %s\n' "$*"; }

step "terraform fmt -check -recursive terraform/"
terraform -chdir="$tf_root" fmt -check -recursive -diff

for dir in . local; do
  if [[ $dir == . ]]; then name=terraform; else name=terraform/$dir; fi
  step "$name: terraform init (-lockfile=readonly${TF_PLUGIN_DIR:+, -plugin-dir=$TF_PLUGIN_DIR})"
  if ! terraform -chdir="$tf_root/$dir" init "${init_args[@]}" >"$work/init.log" 2>&1; then
    cat "$work/init.log" >&2
    echo "run.sh: terraform init failed in $name (offline? set TF_PLUGIN_DIR to a provider mirror)" >&2
    exit 1
  fi
  step "$name: terraform validate"
  terraform -chdir="$tf_root/$dir" validate -no-color
  step "$name: terraform test (mocked provider)"
  terraform -chdir="$tf_root/$dir" test -no-color
done

step "Makefile: OFFLINE only reaches plan; a state per region and DEPLOY_ENV (make -n)"
"$tf_root/tests/make_test.sh"

# The function zip must hold index.mjs at its root, exporting `handler`
# (Lambda handler "index.handler"): the test fixture always, the real zip
# when `make build` has made one.
check_zip() {
  local zip=$1 entries
  entries=$(unzip -Z1 "$zip")
  if [[ $entries != index.mjs ]]; then
    echo "run.sh: $zip must contain exactly index.mjs at its root, has: $entries" >&2
    return 1
  fi
  if ! unzip -p "$zip" index.mjs | grep -Eq 'export[[:space:]]*\{[^}]*\bhandler\b[^}]*\}|export[[:space:]]+(async[[:space:]]+)?(function\*?|const|let|var)[[:space:]]+handler\b'; then
    echo "run.sh: index.mjs in $zip does not export handler" >&2
    return 1
  fi
  echo "    $zip: index.mjs exporting handler"
}
step "function zip layout"
check_zip "$tf_root/tests/fixtures/function.zip"
if [[ -f $repo_root/handler/dist/function.zip ]]; then
  check_zip "$repo_root/handler/dist/function.zip"
fi

step "terraform checks passed"
