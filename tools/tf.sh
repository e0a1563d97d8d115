#!/usr/bin/env bash
# Run terraform with the given arguments; when it fails because AWS cannot be
# reached with valid credentials, print Terraform's own error and then one
# line saying what to do. Output and exit code are otherwise Terraform's.
#
# usage: tools/tf.sh [terraform arguments]   e.g. tools/tf.sh -chdir=terraform plan
set -uo pipefail

if ! command -v terraform >/dev/null 2>&1; then
  echo "tf.sh: terraform is not installed: https://developer.hashicorp.com/terraform/install" >&2
  exit 127
fi

errors=$(mktemp "${TMPDIR:-/tmp}/tf-stderr.XXXXXX")
trap 'rm -f "$errors"' EXIT

# stdout goes straight through (prompts such as apply's "Enter a value" keep
# working); stderr is shown as it comes and kept for the checks below.
{ terraform "$@" 2>&1 1>&3 3>&- | tee "$errors" >&2 3>&-; } 3>&1
status=$?
[[ $status -eq 0 ]] && exit 0

hint() { printf '\ntf.sh: %s\n' "$*" >&2; }
if grep -Eq 'No valid credential sources found|NoCredentialProviders|failed to refresh cached credentials|InvalidClientTokenId|UnrecognizedClientException|InvalidAccessKeyId|SignatureDoesNotMatch|security token included in the request is (invalid|expired)|ExpiredToken|[Tt]oken has expired|SSO session .*(expired|invalid)|failed to get shared config profile|SharedConfigProfileNotExist' "$errors"; then
  hint "no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (see README, Deploy to AWS)"
elif grep -Eq 'retrieving caller identity from STS.*(no such host|dial tcp|i/o timeout|connection refused|request send failed)' "$errors"; then
  hint "AWS (STS) is unreachable from here; to preview without AWS: make plan OFFLINE=1 (see README, Deploy to AWS)"
elif grep -Eq 'AccessDenied|not authorized to perform' "$errors"; then
  hint "the AWS identity in use lacks a permission named above (see README, Deploy to AWS, prerequisites)"
fi
exit "$status"
