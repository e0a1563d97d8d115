terraform {
  required_version = ">= 1.9"

  # State stays out of the tree: `init -backend-config=path=/tmp/.../terraform.tfstate`
  # (without it: terraform/local/terraform.tfstate, which git ignores).
  backend "local" {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}
