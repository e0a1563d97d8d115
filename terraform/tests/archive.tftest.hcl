# The event archive, offline (provider mocked, see main.tftest.hcl): Firehose
# reads the event stream into the bucket in the layout the local archiver,
# replay and rebuild share (prefixes, "\n" after each record, GZIP); the
# bucket keeps everything, privately, over TLS only; the role can do exactly
# that; the alarms watch the delivery.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  function_zip         = "tests/fixtures/function.zip"
  alarms_notify_nobody = true
}

# Distinct, realistic ARNs, so that a statement or a setting wired to the
# wrong resource fails. The account comes from the function's log group (iam.tf).
override_resource {
  target = aws_cloudwatch_log_group.function
  values = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/oops-truck-status" }
}

override_resource {
  target = module.storage.aws_kinesis_stream.events
  values = { arn = "arn:aws:kinesis:us-east-1:123456789012:stream/oops-events" }
}

override_resource {
  target = aws_s3_bucket.archive
  values = { arn = "arn:aws:s3:::oops-events-archive-123456789012-us-east-1" }
}

override_resource {
  target = aws_cloudwatch_log_stream.archive
  values = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/kinesisfirehose/oops-events-archive:log-stream:DestinationDelivery" }
}

override_resource {
  target = aws_iam_role.archive
  values = { arn = "arn:aws:iam::123456789012:role/oops-events-archive-us-east-1" }
}

run "firehose_archives_the_event_stream_as_put" {
  assert {
    condition = (aws_kinesis_firehose_delivery_stream.archive.name == "oops-events-archive"
      && aws_kinesis_firehose_delivery_stream.archive.destination == "extended_s3"
    && aws_kinesis_firehose_delivery_stream.archive.kinesis_source_configuration[0].kinesis_stream_arn == "arn:aws:kinesis:us-east-1:123456789012:stream/oops-events")
    error_message = "Firehose oops-events-archive must read the event stream into S3"
  }
  assert {
    condition = (aws_kinesis_firehose_delivery_stream.archive.kinesis_source_configuration[0].role_arn == "arn:aws:iam::123456789012:role/oops-events-archive-us-east-1"
    && aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].role_arn == "arn:aws:iam::123456789012:role/oops-events-archive-us-east-1")
    error_message = "source and destination use the archive's own role"
  }
  assert {
    condition     = aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].bucket_arn == "arn:aws:s3:::oops-events-archive-123456789012-us-east-1"
    error_message = "Firehose writes the archive bucket"
  }
  assert {
    condition = (aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].prefix == "events/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
    && aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].error_output_prefix == "errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/")
    error_message = "prefixes differ from the archive layout the tools share"
  }
  assert {
    condition = (aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].compression_format == "GZIP"
      && aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].file_extension == ".gz"
    && aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].custom_time_zone == "UTC")
    error_message = "GZIP objects named .gz, partitioned by UTC hour"
  }
  assert {
    # One processor, no parameter: its default delimiter is "\n". No Lambda,
    # no format conversion, no dynamic partitioning: records stay as put.
    condition = (aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].processing_configuration[0].enabled == true
      && jsonencode(aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].processing_configuration[0].processors) == jsonencode([{ type = "AppendDelimiterToRecord", parameters = [] }])
      && length(aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].data_format_conversion_configuration) == 0
    && length(aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].dynamic_partitioning_configuration) == 0)
    error_message = "exactly the AppendDelimiterToRecord processor, nothing that changes the records"
  }
  assert {
    condition     = !anytrue([for e in aws_kinesis_firehose_delivery_stream.archive.server_side_encryption : e.enabled])
    error_message = "no Firehose SSE with a Kinesis source (the stream encrypts)"
  }
  assert {
    condition = (aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].buffering_size == 64
    && aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].buffering_interval == 300)
    error_message = "buffering 64 MB / 300 s by default"
  }
  assert {
    condition = (aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].cloudwatch_logging_options[0].enabled == true
      && aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].cloudwatch_logging_options[0].log_group_name == "/aws/kinesisfirehose/oops-events-archive"
      && aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].cloudwatch_logging_options[0].log_stream_name == "DestinationDelivery"
    && aws_cloudwatch_log_group.archive.retention_in_days == 14)
    error_message = "delivery errors logged to the archive's own log group (14 days)"
  }
}

run "firehose_role_is_least_privilege" {
  variables {
    expected = {
      ReadEventStream = {
        actions   = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"]
        resources = ["arn:aws:kinesis:us-east-1:123456789012:stream/oops-events"]
      }
      WriteArchive = {
        actions   = ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"]
        resources = ["arn:aws:s3:::oops-events-archive-123456789012-us-east-1", "arn:aws:s3:::oops-events-archive-123456789012-us-east-1/*"]
      }
      WriteOwnLogs = {
        actions   = ["logs:PutLogEvents"]
        resources = ["arn:aws:logs:us-east-1:123456789012:log-group:/aws/kinesisfirehose/oops-events-archive:log-stream:DestinationDelivery"]
      }
    }
  }

  # The JSON the role actually gets, normalised to {Sid => sorted actions, resources}.
  assert {
    condition = jsonencode({
      for s in jsondecode(aws_iam_role_policy.archive.policy).Statement : s.Sid => {
        actions   = sort(flatten([s.Action]))
        resources = sort(flatten([s.Resource]))
      }
    }) == jsonencode(var.expected)
    error_message = "archive policy differs from the expected least-privilege set: ${aws_iam_role_policy.archive.policy}"
  }
  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_role_policy.archive.policy).Statement : s.Effect == "Allow" && !can(s.NotAction) && !can(s.NotResource) && !can(s.Condition)])
    error_message = "only plain Allow statements with the default keys"
  }
  assert {
    condition     = alltrue([for r in flatten([for s in jsondecode(aws_iam_role_policy.archive.policy).Statement : s.Resource]) : r != "*"]) && alltrue([for a in flatten([for s in jsondecode(aws_iam_role_policy.archive.policy).Statement : s.Action]) : !strcontains(a, "*")])
    error_message = "no wildcard action or resource"
  }
  assert {
    condition = jsonencode(jsondecode(aws_iam_role.archive.assume_role_policy).Statement) == jsonencode([{
      Sid       = "FirehoseAssumesRole"
      Effect    = "Allow"
      Principal = { Service = "firehose.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = "123456789012" } }
    }])
    error_message = "only Firehose may assume the role, for a stream of this account: ${aws_iam_role.archive.assume_role_policy}"
  }
  assert {
    condition     = aws_iam_role.archive.name == "oops-events-archive-us-east-1" && aws_iam_role_policy.archive.role == aws_iam_role.archive.id
    error_message = "the archive's own role (the region in its name: IAM is global), with the policy attached"
  }
}

run "bucket_keeps_everything_privately" {
  assert {
    condition     = aws_s3_bucket.archive.bucket == "oops-events-archive-123456789012-us-east-1" && aws_s3_bucket.archive.force_destroy == false
    error_message = "bucket <prefix>oops-events-archive-<account>-<region>, never deleted with its objects by an apply"
  }
  assert {
    condition = (aws_s3_bucket_public_access_block.archive.block_public_acls && aws_s3_bucket_public_access_block.archive.block_public_policy
    && aws_s3_bucket_public_access_block.archive.ignore_public_acls && aws_s3_bucket_public_access_block.archive.restrict_public_buckets)
    error_message = "every public access block setting on"
  }
  assert {
    condition     = aws_s3_bucket_ownership_controls.archive.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs off (BucketOwnerEnforced)"
  }
  assert {
    condition     = aws_s3_bucket_versioning.archive.versioning_configuration[0].status == "Enabled"
    error_message = "versioning on: a deleted object stays recoverable"
  }
  assert {
    condition = (one(aws_s3_bucket_server_side_encryption_configuration.archive.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256"
    && one(aws_s3_bucket_server_side_encryption_configuration.archive.rule).apply_server_side_encryption_by_default[0].kms_master_key_id == null)
    error_message = "SSE-S3 by default"
  }
  assert {
    condition = jsonencode(jsondecode(aws_s3_bucket_policy.archive.policy).Statement) == jsonencode([{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::oops-events-archive-123456789012-us-east-1", "arn:aws:s3:::oops-events-archive-123456789012-us-east-1/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }])
    error_message = "the bucket policy must refuse everything but TLS: ${aws_s3_bucket_policy.archive.policy}"
  }
  assert {
    condition     = aws_s3_bucket_policy.archive.bucket == aws_s3_bucket.archive.id
    error_message = "the policy is on the archive bucket"
  }
}

run "lifecycle_defaults_keep_every_event" {
  assert {
    condition     = length(aws_s3_bucket_lifecycle_configuration.archive.rule) == 1 && one(aws_s3_bucket_lifecycle_configuration.archive.rule).status == "Enabled"
    error_message = "one lifecycle rule, enabled"
  }
  assert {
    condition     = length(one(aws_s3_bucket_lifecycle_configuration.archive.rule).expiration) == 0
    error_message = "no expiration by default: the archive is the truth"
  }
  assert {
    condition     = jsonencode([for t in one(aws_s3_bucket_lifecycle_configuration.archive.rule).transition : { days = t.days, class = t.storage_class }]) == jsonencode([{ days = 30, class = "GLACIER_IR" }])
    error_message = "to Glacier Instant Retrieval after 30 days (replay reads objects directly)"
  }
  assert {
    condition = (one(one(aws_s3_bucket_lifecycle_configuration.archive.rule).noncurrent_version_expiration).noncurrent_days == 90
    && one(one(aws_s3_bucket_lifecycle_configuration.archive.rule).abort_incomplete_multipart_upload).days_after_initiation == 7)
    error_message = "deleted objects recoverable for 90 days; unfinished uploads cleaned after 7"
  }
}

run "lifecycle_options" {
  variables {
    archive_transition_days = null
    archive_expiration_days = 3650
    archive_noncurrent_days = null
  }
  assert {
    condition = (length(one(aws_s3_bucket_lifecycle_configuration.archive.rule).transition) == 0
      && one(one(aws_s3_bucket_lifecycle_configuration.archive.rule).expiration).days == 3650
    && length(one(aws_s3_bucket_lifecycle_configuration.archive.rule).noncurrent_version_expiration) == 0)
    error_message = "null transition and noncurrent days leave them out; an expiration when asked for"
  }
}

run "outputs_name_the_archive" {
  assert {
    condition = (output.archive_bucket == "oops-events-archive-123456789012-us-east-1"
      && output.archive_prefix == "events/" && output.archive_error_prefix == "errors/"
    && output.firehose_name == "oops-events-archive")
    error_message = "archive outputs: bucket, events/, errors/, the Firehose stream"
  }
  assert {
    condition = (startswith(aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].prefix, output.archive_prefix)
    && startswith(aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].error_output_prefix, output.archive_error_prefix))
    error_message = "the prefix outputs are where Firehose writes"
  }
}

run "archive_alarms" {
  variables {
    expected = {
      archive_freshness = {
        name       = "oops-truck-status-archive-behind"
        metric     = "AWS/Firehose DeliveryToS3.DataFreshness Maximum"
        dimensions = { DeliveryStreamName = "oops-events-archive" }
        fires      = "GreaterThanThreshold 900 after 1 x 300 s"
        missing    = "notBreaching"
      }
      archive_delivery = {
        name       = "oops-truck-status-archive-delivery-failing"
        metric     = "AWS/Firehose DeliveryToS3.Success Minimum"
        dimensions = { DeliveryStreamName = "oops-events-archive" }
        fires      = "LessThanThreshold 1 after 3 x 300 s"
        missing    = "notBreaching"
      }
    }
  }

  assert {
    condition = jsonencode({ for k, _ in var.expected : k => {
      name       = aws_cloudwatch_metric_alarm.this[k].alarm_name
      metric     = "${aws_cloudwatch_metric_alarm.this[k].namespace} ${aws_cloudwatch_metric_alarm.this[k].metric_name} ${aws_cloudwatch_metric_alarm.this[k].statistic}"
      dimensions = aws_cloudwatch_metric_alarm.this[k].dimensions
      fires      = "${aws_cloudwatch_metric_alarm.this[k].comparison_operator} ${aws_cloudwatch_metric_alarm.this[k].threshold} after ${aws_cloudwatch_metric_alarm.this[k].evaluation_periods} x ${aws_cloudwatch_metric_alarm.this[k].period} s"
      missing    = aws_cloudwatch_metric_alarm.this[k].treat_missing_data
    } }) == jsonencode(var.expected)
    error_message = "archive alarms: freshness above 2 x 300 + 300 s, S3 delivery failing for 15 minutes"
  }
  assert {
    condition     = alltrue([for k in ["archive_freshness", "archive_delivery"] : strcontains(aws_cloudwatch_metric_alarm.this[k].alarm_description, "README: Running it in AWS")])
    error_message = "the descriptions point to the README section that says what to do"
  }
}

run "freshness_threshold_follows_the_buffering_interval" {
  variables {
    archive_buffering_seconds = 60
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["archive_freshness"].threshold == 420 && aws_kinesis_firehose_delivery_stream.archive.extended_s3_configuration[0].buffering_interval == 60
    error_message = "2 x 60 + 300 s"
  }
}

run "name_prefix_renames_the_archive" {
  variables {
    name_prefix = "dev-"
  }
  override_resource {
    target = aws_iam_role.archive
    values = { arn = "arn:aws:iam::123456789012:role/dev-oops-events-archive-us-east-1" }
  }
  assert {
    condition = (aws_s3_bucket.archive.bucket == "dev-oops-events-archive-123456789012-us-east-1"
      && aws_kinesis_firehose_delivery_stream.archive.name == "dev-oops-events-archive"
      && aws_iam_role.archive.name == "dev-oops-events-archive-us-east-1"
    && aws_cloudwatch_log_group.archive.name == "/aws/kinesisfirehose/dev-oops-events-archive")
    error_message = "every archive name carries the prefix"
  }
}

run "customer_managed_keys" {
  variables {
    kinesis_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    archive_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/9999abcd-12ab-34cd-56ef-1234567890ab"
  }
  assert {
    condition = (one(aws_s3_bucket_server_side_encryption_configuration.archive.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms"
      && one(aws_s3_bucket_server_side_encryption_configuration.archive.rule).apply_server_side_encryption_by_default[0].kms_master_key_id == var.archive_kms_key_arn
    && one(aws_s3_bucket_server_side_encryption_configuration.archive.rule).bucket_key_enabled == true)
    error_message = "SSE-KMS with the given key and an S3 Bucket Key"
  }
  assert {
    condition = jsonencode({
      for s in jsondecode(aws_iam_role_policy.archive.policy).Statement : s.Sid => { actions = sort(s.Action), resource = s.Resource, condition = s.Condition } if can(s.Condition)
      }) == jsonencode({
      DecryptEventStream = {
        actions   = ["kms:Decrypt"]
        resource  = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        condition = { StringEquals = { "kms:ViaService" = "kinesis.us-east-1.amazonaws.com" } }
      }
      EncryptArchive = {
        actions  = ["kms:Decrypt", "kms:GenerateDataKey"]
        resource = "arn:aws:kms:us-east-1:123456789012:key/9999abcd-12ab-34cd-56ef-1234567890ab"
        condition = {
          StringEquals = { "kms:ViaService" = "s3.us-east-1.amazonaws.com" }
          StringLike   = { "kms:EncryptionContext:aws:s3:arn" = ["arn:aws:s3:::oops-events-archive-123456789012-us-east-1", "arn:aws:s3:::oops-events-archive-123456789012-us-east-1/*"] }
        }
      }
    })
    error_message = "each key only through its service, the archive key only for this bucket: ${aws_iam_role_policy.archive.policy}"
  }
}

run "a_chosen_bucket_name" {
  variables {
    archive_bucket_name = "acme-oops-archive"
  }
  override_resource {
    target = aws_s3_bucket.archive
    values = { arn = "arn:aws:s3:::acme-oops-archive" }
  }
  assert {
    condition     = aws_s3_bucket.archive.bucket == "acme-oops-archive" && output.archive_bucket == "acme-oops-archive"
    error_message = "archive_bucket_name replaces the default"
  }
}

run "rejects_a_storage_class_replay_cannot_read" {
  command = plan
  variables {
    archive_storage_class = "DEEP_ARCHIVE"
  }
  expect_failures = [var.archive_storage_class]
}

run "rejects_an_illegal_bucket_name" {
  command = plan
  variables {
    archive_bucket_name = "Oops_Archive"
  }
  expect_failures = [var.archive_bucket_name]
}

run "rejects_a_default_bucket_name_s3_would_refuse" {
  # A valid DEPLOY_ENV for every other name, but S3 wants lower case.
  command = plan
  variables {
    name_prefix = "Dev-"
  }
  expect_failures = [var.archive_bucket_name]
}

run "rejects_a_default_bucket_name_beyond_63_characters" {
  command = plan
  variables {
    name_prefix = "a-twenty-char-prefix"
    aws_region  = "ap-southeast-1"
  }
  expect_failures = [var.archive_bucket_name]
}

run "rejects_an_archive_key_of_another_region" {
  command = plan
  variables {
    archive_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  expect_failures = [var.archive_kms_key_arn]
}

run "rejects_a_buffering_interval_firehose_refuses" {
  command = plan
  variables {
    archive_buffering_seconds = 901
  }
  expect_failures = [var.archive_buffering_seconds]
}
