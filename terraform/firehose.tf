# Firehose reads the event stream (a second reader beside the function's event
# source mapping, about one GetRecords per shard and second each) and writes
# every record to the archive bucket (archive.tf) byte for byte, a newline
# after each, gzipped, at most archive_buffering_seconds after it arrived.
#
# The newline is Firehose's AppendDelimiterToRecord processor. It needs
# neither a Lambda transform nor dynamic partitioning (AWS added it as an S3
# destination option of its own in 2024; the API documents it as "choose
# AppendDelimiterToRecord ... you don't have to put a processor parameter"),
# and the time prefixes below are plain !{timestamp} expressions, which are no
# dynamic partitioning either. It is given no Delimiter parameter on purpose:
# its default is "\n", and a parameter value must match ^(?!\s*$).+, which a
# bare newline does not.
#
# Firehose starts at the stream's LATEST position when it is created: events
# put before that are in the table but not in the archive.

locals {
  archive_role_name = "${local.firehose_name}-${var.aws_region}"

  # Where Firehose logs its delivery errors (it logs nothing else).
  archive_log_group_name  = "/aws/kinesisfirehose/${local.firehose_name}"
  archive_log_stream_name = "DestinationDelivery"
}

resource "aws_cloudwatch_log_group" "archive" {
  name              = local.archive_log_group_name
  retention_in_days = var.log_retention_days
}

# Firehose writes to the stream it is given, it does not create it.
resource "aws_cloudwatch_log_stream" "archive" {
  name           = local.archive_log_stream_name
  log_group_name = aws_cloudwatch_log_group.archive.name
}

resource "aws_iam_role" "archive" {
  name               = local.archive_role_name
  description        = "Firehose ${local.firehose_name} in ${var.aws_region}: reads ${local.stream_name}, writes the archive bucket"
  assume_role_policy = local.trust_policies.firehose # only Firehose, for a stream of this account (iam.tf)
}

locals {
  archive_policy_statements = concat(
    [
      local.read_event_stream, # iam.tf: what the function's mapping gets too
      {
        # What Firehose's S3 destination needs: write objects (multipart
        # included), find the bucket's region, and check its own uploads.
        Sid    = "WriteArchive"
        Effect = "Allow"
        Action = [
          "s3:AbortMultipartUpload",
          "s3:GetBucketLocation",
          "s3:GetObject",
          "s3:ListBucket",
          "s3:ListBucketMultipartUploads",
          "s3:PutObject",
        ]
        Resource = [aws_s3_bucket.archive.arn, "${aws_s3_bucket.archive.arn}/*"]
      },
      {
        # The group and stream are Terraform's: no CreateLogGroup/CreateLogStream.
        Sid      = "WriteOwnLogs"
        Effect   = "Allow"
        Action   = ["logs:PutLogEvents"]
        Resource = aws_cloudwatch_log_stream.archive.arn
      },
    ],
    # A customer managed key on the streams (kinesis_kms_key_arn): read the
    # event stream through Kinesis only, as the function does (iam.tf).
    local.decrypt_event_stream,
    # A customer managed key on the bucket (archive_kms_key_arn): encrypt new
    # objects (and read back the parts of a multipart upload) through S3 of
    # this region, for this bucket only (the encryption context is the
    # object's ARN, or the bucket's with an S3 Bucket Key).
    var.archive_kms_key_arn == null ? [] : [
      {
        Sid      = "EncryptArchive"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = var.archive_kms_key_arn
        Condition = {
          StringEquals = { "kms:ViaService" = "s3.${var.aws_region}.${data.aws_partition.current.dns_suffix}" }
          StringLike   = { "kms:EncryptionContext:aws:s3:arn" = [aws_s3_bucket.archive.arn, "${aws_s3_bucket.archive.arn}/*"] }
        }
      },
    ],
  )

  archive_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.archive_policy_statements
  })
}

resource "aws_iam_role_policy" "archive" {
  name   = "${local.firehose_name}-least-privilege"
  role   = aws_iam_role.archive.id
  policy = local.archive_policy
}

resource "aws_kinesis_firehose_delivery_stream" "archive" {
  name        = local.firehose_name
  destination = "extended_s3"

  # No server_side_encryption block: with a Kinesis stream as the source the
  # records stay encrypted by the stream, and Firehose refuses its own SSE.
  kinesis_source_configuration {
    kinesis_stream_arn = module.storage.stream_arn
    role_arn           = aws_iam_role.archive.arn
  }

  extended_s3_configuration {
    role_arn   = aws_iam_role.archive.arn
    bucket_arn = aws_s3_bucket.archive.arn

    # events/year=2018/month=01/day=12/hour=12/<name>-<version>-<time>-<uuid>.gz
    # by the UTC hour the records reached Firehose (not their event time).
    prefix              = "${local.archive_prefix}${local.archive_time_path}"
    error_output_prefix = "${local.archive_error_prefix}!{firehose:error-output-type}/${local.archive_time_path}"
    custom_time_zone    = "UTC"
    compression_format  = "GZIP"
    file_extension      = ".gz"

    # An object per archive_buffering_mb or archive_buffering_seconds,
    # whichever comes first: the interval is how far the archive lags.
    buffering_size     = var.archive_buffering_mb
    buffering_interval = var.archive_buffering_seconds

    processing_configuration {
      enabled = true
      processors {
        type = "AppendDelimiterToRecord" # "\n" (the default; see the top of this file)
      }
    }

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.archive.name
      log_stream_name = aws_cloudwatch_log_stream.archive.name
    }
  }

  # Firehose checks on creation that its role can read the stream and write
  # the bucket; the bucket accepts TLS only from the start.
  depends_on = [aws_iam_role_policy.archive, aws_s3_bucket_policy.archive]
}
