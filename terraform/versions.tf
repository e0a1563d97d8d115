terraform {
  # 1.9: variable validations that refer to other variables.
  required_version = ">= 1.9"

  # One state per region and DEPLOY_ENV: `make tf-init` passes
  # -backend-config=path=state/<DEPLOY_ENV or default>/<region>/terraform.tfstate,
  # or, when TF_BACKEND_CONFIG names an S3 configuration, writes
  # backend_override.tf (git-ignored) to make this backend "s3" with the key
  # oops/<DEPLOY_ENV or default>/<region>/terraform.tfstate and a lock file.
  backend "local" {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}
