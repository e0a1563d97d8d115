locals {
  provisioned = var.stream_mode == "PROVISIONED"
}

# The stream the OOPS trucks and drivers write to; the function reads it.
resource "aws_kinesis_stream" "events" {
  name             = var.stream_name
  shard_count      = local.provisioned ? var.stream_shard_count : null
  retention_period = var.stream_retention_hours
  encryption_type  = var.stream_encryption ? "KMS" : "NONE"
  kms_key_id       = var.stream_encryption ? var.stream_kms_key_id : null
  tags             = var.tags

  stream_mode_details {
    stream_mode = var.stream_mode
  }
}

# Records the function could not decode, with their reason: kept for
# inspection and replay, never written to the table.
resource "aws_kinesis_stream" "rejects" {
  name             = var.rejects_stream_name
  shard_count      = local.provisioned ? var.rejects_shard_count : null
  retention_period = var.stream_retention_hours
  encryption_type  = var.stream_encryption ? "KMS" : "NONE"
  kms_key_id       = var.stream_encryption ? var.stream_kms_key_id : null
  tags             = var.tags

  stream_mode_details {
    stream_mode = var.stream_mode
  }
}
