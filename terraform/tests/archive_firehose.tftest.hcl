# The archive's Firehose stream, offline (provider mocked, see
# main.tftest.hcl): it reads the event stream into the bucket in the layout
# the local archiver, replay and rebuild share (prefixes, "\n" after each
# record, GZIP), and its role can do exactly that. The bucket:
# archive_bucket.tftest.hcl; the alarms on the delivery:
# alarms_archive.tftest.hcl; the variables' guards: archive_validation.tftest.hcl.

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
