provider "aws" {
  region = var.aws_region

  # Refuse to touch any account but these (checked before anything changes).
  allowed_account_ids = length(var.allowed_account_ids) > 0 && !var.offline_plan ? var.allowed_account_ids : null

  # offline_plan = true lets `terraform plan` run with no account and no
  # network: no STS GetCallerIdentity (so ARNs that embed the account id are
  # "known after apply"), no EC2 metadata lookup. It also pins fixed fake keys,
  # whatever credentials the environment holds, so such a run can never change
  # a real account; that is why the account check above, which needs the
  # account id, can be off. The Makefile passes it to `plan` only.
  access_key                  = var.offline_plan ? "offline-plan" : null
  secret_key                  = var.offline_plan ? "offline-plan" : null
  skip_credentials_validation = var.offline_plan
  skip_requesting_account_id  = var.offline_plan
  skip_metadata_api_check     = var.offline_plan

  default_tags {
    tags = local.tags
  }
}
