# Kinesis streams (modules/storage/kinesis.tf) and the DynamoDB tables, one
# per generation (modules/storage/dynamodb.tf). They live in a module so that
# ./local can create exactly the same streams and table in the emulators.
module "storage" {
  source = "./modules/storage"

  stream_name         = local.stream_name
  rejects_stream_name = local.rejects_stream_name
  table_name          = local.table_name

  stream_mode            = var.stream_mode
  stream_shard_count     = var.stream_shard_count
  rejects_shard_count    = var.rejects_shard_count
  stream_retention_hours = var.stream_retention_hours
  stream_encryption      = true
  stream_kms_key_id      = coalesce(var.kinesis_kms_key_arn, "alias/aws/kinesis")

  table_generations         = var.table_generations
  active_table_generation   = var.active_table_generation
  table_billing_mode        = var.table_billing_mode
  table_read_capacity       = var.table_read_capacity
  table_write_capacity      = var.table_write_capacity
  enable_pitr               = var.enable_pitr
  table_sse                 = true
  table_deletion_protection = var.table_deletion_protection
}
