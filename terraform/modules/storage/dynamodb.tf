# One row per truck, keyed by VIN; every other attribute (mileage,
# mileage-at-oil-change, location-timestamp, latitude, longitude) is schemaless.
resource "aws_dynamodb_table" "trucks" {
  name                        = var.table_name
  hash_key                    = "vin"
  billing_mode                = var.table_billing_mode
  read_capacity               = var.table_billing_mode == "PROVISIONED" ? var.table_read_capacity : null
  write_capacity              = var.table_billing_mode == "PROVISIONED" ? var.table_write_capacity : null
  deletion_protection_enabled = var.table_deletion_protection
  tags                        = var.tags

  attribute {
    name = "vin"
    type = "S"
  }

  point_in_time_recovery {
    enabled = var.enable_pitr
  }

  # enabled = true: KMS, with the AWS-managed aws/dynamodb key unless a CMK is
  # given. Without the block DynamoDB still encrypts, with an AWS-owned key.
  dynamic "server_side_encryption" {
    for_each = var.table_sse ? [1] : []
    content {
      enabled     = true
      kms_key_arn = var.table_kms_key_arn
    }
  }
}
