# The data plane of OOPS truck status — the same two Kinesis streams and the
# same DynamoDB table as the AWS deployment (both use ../modules/storage) —
# created in local emulators: kinesis-mock for Kinesis, dynalite for DynamoDB.
# Lambda, IAM, SQS and CloudWatch have no emulator here; locally the handler
# bundle is driven by the project's own event source mapping (tools/local/).
#
#   terraform -chdir=terraform/local init -backend-config=path=/tmp/oops/terraform.tfstate \
#     [-plugin-dir=/opt/tf-plugins]
#   terraform -chdir=terraform/local apply -auto-approve \
#     -var kinesis_endpoint=$AWS_ENDPOINT_URL_KINESIS \
#     -var dynamodb_endpoint=$AWS_ENDPOINT_URL_DYNAMODB
#   ... and the same with destroy.
#
# terraform/tests/emulators_test.ts does exactly this against freshly
# started emulators and checks the result.

provider "aws" {
  region = var.aws_region

  # Emulators accept any key; fixed fake keys mean a real AWS profile in the
  # environment is never used, and the skips mean nothing calls STS or IMDS.
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true

  endpoints {
    kinesis  = var.kinesis_endpoint
    dynamodb = var.dynamodb_endpoint
  }
}

module "storage" {
  source = "../modules/storage"

  stream_name         = var.stream_name
  rejects_stream_name = var.rejects_stream_name
  table_name          = var.table_name
  stream_mode         = "PROVISIONED"
  stream_shard_count  = var.stream_shard_count
  rejects_shard_count = 1

  # kinesis-mock accepts everything the AWS deployment asks of a stream
  # (StartStreamEncryption with alias/aws/kinesis, stream mode, retention,
  # tags), so the streams are declared exactly as in AWS. dynalite does not:
  enable_pitr               = false # UpdateContinuousBackups -> UnknownOperationException
  table_sse                 = false # SSESpecification accepted but never reported back: endless diff
  table_deletion_protection = false # not kept, and an UpdateTable with it alone is refused: endless diff
  tags                      = {}    # tags on the table are not kept: endless diff (hence no default_tags above)
}
