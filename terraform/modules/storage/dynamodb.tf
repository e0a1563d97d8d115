# One row per truck, keyed by VIN; every other attribute (mileage,
# mileage-at-oil-change, location-timestamp, latitude, longitude) is schemaless.
#
# A set of tables, one per generation: "" is table_name itself, g is
# table_name-g. A rebuild writes a new generation while the active one keeps
# serving, then the function is switched to it (active_table_generation);
# nothing about the tables depends on which one is active, so a switch
# changes no table. A generation leaves the set only when the operator drops
# it, and deletion protection (on by default) makes even that fail until its
# protection has been lifted on purpose.
locals {
  table_names = { for g in var.table_generations : g => g == "" ? var.table_name : "${var.table_name}-${g}" }
}

resource "aws_dynamodb_table" "trucks" {
  for_each = local.table_names

  name                        = each.value
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

# The single table of before the generations is generation "": an existing
# deployment keeps its table (and its data) instead of replacing it.
moved {
  from = aws_dynamodb_table.trucks
  to   = aws_dynamodb_table.trucks[""]
}
