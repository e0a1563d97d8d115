provider "aws" {
  region = var.aws_region

  # offline_plan = true lets `terraform plan` run with fake keys and no network:
  # no STS GetCallerIdentity (so ARNs that embed the account id are "known
  # after apply"), no EC2 metadata lookup. Never apply with it.
  skip_credentials_validation = var.offline_plan
  skip_requesting_account_id  = var.offline_plan
  skip_metadata_api_check     = var.offline_plan

  default_tags {
    tags = local.tags
  }
}
