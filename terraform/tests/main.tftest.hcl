# Offline unit tests of the AWS deployment: the provider is mocked, nothing
# reaches AWS. `command = apply` on a mock provider "creates" everything with
# fake computed values, so every attribute below is known and checkable.
#
# Run from terraform/:  terraform init -backend=false && terraform test
# (or terraform/tests/run.sh, which also runs fmt and validate).

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  # A tiny zip with the same layout as handler/dist/function.zip (index.mjs
  # exporting `handler`), so filebase64sha256() has a file to hash.
  function_zip = "tests/fixtures/function.zip"
  # Whom the alarms notify is alarms_notify.tftest.hcl's subject; a deploy
  # without anyone to tell must say so.
  alarms_notify_nobody = true
}

# Realistic ARNs for what the function's policy points at, so the policy can
# be compared with exact strings. Each one is distinct: a statement wired to
# the wrong resource fails.
override_resource {
  target = module.storage.aws_kinesis_stream.events
  values = { arn = "arn:aws:kinesis:us-east-1:123456789012:stream/oops-events" }
}

override_resource {
  target = module.storage.aws_kinesis_stream.rejects
  values = { arn = "arn:aws:kinesis:us-east-1:123456789012:stream/oops-events-rejected" }
}

override_resource {
  target = module.storage.aws_dynamodb_table.trucks
  values = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/oops-trucks" }
}

override_resource {
  target = aws_sqs_queue.dlq
  values = {
    arn = "arn:aws:sqs:us-east-1:123456789012:oops-truck-status-dlq"
    url = "https://sqs.us-east-1.amazonaws.com/123456789012/oops-truck-status-dlq"
  }
}

override_resource {
  target = aws_cloudwatch_log_group.function
  values = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/oops-truck-status" }
}

override_resource {
  target = aws_lambda_function.this
  values = { arn = "arn:aws:lambda:us-east-1:123456789012:function:oops-truck-status" }
}

run "event_source_mapping" {
  assert {
    condition     = aws_lambda_event_source_mapping.events.batch_size == 100
    error_message = "batch size must be 100 (DESIGN.md), got ${aws_lambda_event_source_mapping.events.batch_size}"
  }
  assert {
    condition     = aws_lambda_event_source_mapping.events.starting_position == "TRIM_HORIZON"
    error_message = "starting position must be TRIM_HORIZON"
  }
  assert {
    condition     = aws_lambda_event_source_mapping.events.event_source_arn == "arn:aws:kinesis:us-east-1:123456789012:stream/oops-events"
    error_message = "the mapping must read the event stream"
  }
  assert {
    condition     = aws_lambda_event_source_mapping.events.function_name == aws_lambda_function.this.arn
    error_message = "the mapping must invoke the function"
  }
  assert {
    condition     = toset(aws_lambda_event_source_mapping.events.function_response_types) == toset(["ReportBatchItemFailures"])
    error_message = "function_response_types must be exactly [ReportBatchItemFailures]"
  }
  assert {
    condition     = aws_lambda_event_source_mapping.events.bisect_batch_on_function_error == true
    error_message = "bisect_batch_on_function_error must be on"
  }
  assert {
    condition     = aws_lambda_event_source_mapping.events.maximum_retry_attempts >= 0 && aws_lambda_event_source_mapping.events.maximum_retry_attempts <= 10000
    error_message = "retries must be finite (0..10000), got ${aws_lambda_event_source_mapping.events.maximum_retry_attempts}"
  }
  assert {
    condition     = aws_lambda_event_source_mapping.events.maximum_record_age_in_seconds >= 60 && aws_lambda_event_source_mapping.events.maximum_record_age_in_seconds < 24 * 3600
    error_message = "maximum record age must be bounded and below the 24 h retention"
  }
  assert {
    condition     = aws_lambda_event_source_mapping.events.destination_config[0].on_failure[0].destination_arn == "arn:aws:sqs:us-east-1:123456789012:oops-truck-status-dlq"
    error_message = "failed batches must go to the DLQ's ARN"
  }
}

run "function" {
  assert {
    condition     = aws_lambda_function.this.runtime == "nodejs22.x"
    error_message = "runtime must be nodejs22.x"
  }
  assert {
    # handler/dist/index.mjs exports `handler`; the zip holds index.mjs at its root.
    condition     = aws_lambda_function.this.handler == "index.handler"
    error_message = "handler must be index.handler (file index.mjs, export handler)"
  }
  assert {
    condition     = aws_lambda_function.this.architectures == tolist(["arm64"])
    error_message = "architecture must be arm64"
  }
  assert {
    condition     = aws_lambda_function.this.timeout == 60 && aws_lambda_function.this.memory_size == 256
    error_message = "timeout 60 s and 256 MB by default"
  }
  assert {
    condition     = aws_lambda_function.this.source_code_hash == filebase64sha256("tests/fixtures/function.zip")
    error_message = "source_code_hash must be the hash of the zip, so a new bundle redeploys"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables == tomap({ TABLE_NAME = "oops-trucks", REJECTS_STREAM_NAME = "oops-events-rejected" })
    error_message = "environment must be exactly TABLE_NAME=oops-trucks and REJECTS_STREAM_NAME=oops-events-rejected"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables.TABLE_NAME == module.storage.table_name && aws_lambda_function.this.environment[0].variables.REJECTS_STREAM_NAME == module.storage.rejects_stream_name
    error_message = "the environment must name the table and the rejects stream that are actually created"
  }
  assert {
    condition     = aws_lambda_function.this.logging_config[0].log_format == "JSON"
    error_message = "log format must be JSON"
  }
  assert {
    condition     = aws_lambda_function.this.logging_config[0].log_group == "/aws/lambda/oops-truck-status" && aws_cloudwatch_log_group.function.name == "/aws/lambda/oops-truck-status"
    error_message = "the function must log to its own group /aws/lambda/<name>"
  }
  assert {
    condition     = aws_cloudwatch_log_group.function.retention_in_days == 14
    error_message = "log retention must default to 14 days"
  }
  assert {
    condition     = aws_lambda_function.this.role == aws_iam_role.function.arn
    error_message = "the function must run with its own role"
  }
}

run "storage" {
  assert {
    condition     = module.storage.events_stream.name == "oops-events" && module.storage.events_stream.shard_count == 2
    error_message = "event stream oops-events with 2 shards"
  }
  assert {
    condition     = module.storage.rejects_stream.name == "oops-events-rejected" && module.storage.rejects_stream.shard_count == 1
    error_message = "rejects stream oops-events-rejected with 1 shard"
  }
  assert {
    condition = alltrue([for s in [module.storage.events_stream, module.storage.rejects_stream] :
    s.encryption_type == "KMS" && s.kms_key_id == "alias/aws/kinesis" && s.stream_mode_details[0].stream_mode == "PROVISIONED"])
    error_message = "both streams must be PROVISIONED and KMS-encrypted with alias/aws/kinesis"
  }
  assert {
    condition     = module.storage.table.name == "oops-trucks" && module.storage.table.hash_key == "vin"
    error_message = "table oops-trucks with hash key vin"
  }
  assert {
    condition     = [for a in module.storage.table.attribute : "${a.name}:${a.type}"] == ["vin:S"]
    error_message = "the only declared attribute must be vin of type S"
  }
  assert {
    condition     = module.storage.table.billing_mode == "PAY_PER_REQUEST"
    error_message = "the table must be on-demand by default"
  }
  assert {
    condition     = module.storage.table.point_in_time_recovery[0].enabled == true
    error_message = "point-in-time recovery must be on"
  }
  assert {
    condition     = module.storage.table.server_side_encryption[0].enabled == true
    error_message = "server-side encryption (KMS) must be on"
  }
  assert {
    condition     = aws_sqs_queue.dlq.sqs_managed_sse_enabled == true && aws_sqs_queue.dlq.name == "oops-truck-status-dlq"
    error_message = "the DLQ must use SSE-SQS"
  }
}

run "iam_policy" {
  variables {
    expected = {
      ReadEventStream = {
        actions   = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"]
        resources = ["arn:aws:kinesis:us-east-1:123456789012:stream/oops-events"]
      }
      ListStreams = {
        actions   = ["kinesis:ListStreams"]
        resources = ["*"]
      }
      ForwardRejects = {
        actions   = ["kinesis:PutRecords"]
        resources = ["arn:aws:kinesis:us-east-1:123456789012:stream/oops-events-rejected"]
      }
      UpdateTruckTable = {
        actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
        resources = ["arn:aws:dynamodb:us-east-1:123456789012:table/oops-trucks"]
      }
      SendFailedBatchesToDlq = {
        actions   = ["sqs:SendMessage"]
        resources = ["arn:aws:sqs:us-east-1:123456789012:oops-truck-status-dlq"]
      }
      WriteOwnLogs = {
        actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        resources = ["arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/oops-truck-status:*"]
      }
    }
  }

  # The JSON the role actually gets, normalised to {Sid => sorted actions, resources}.
  # (compared as JSON: == in Terraform also compares types, object vs map)
  assert {
    condition = jsonencode({
      for s in jsondecode(aws_iam_role_policy.function.policy).Statement : s.Sid => {
        actions   = sort(flatten([s.Action]))
        resources = sort(flatten([s.Resource]))
      }
    }) == jsonencode(var.expected)
    error_message = "policy statements differ from the expected least-privilege set: ${aws_iam_role_policy.function.policy}"
  }
  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_role_policy.function.policy).Statement : s.Effect == "Allow" && !can(s.NotAction) && !can(s.NotResource) && !can(s.Condition)])
    error_message = "only plain Allow statements are expected"
  }
  assert {
    condition = alltrue([for s in jsondecode(aws_iam_role_policy.function.policy).Statement :
    flatten([s.Action]) == ["kinesis:ListStreams"] if contains(flatten([s.Resource]), "*")])
    error_message = "only kinesis:ListStreams may use Resource \"*\""
  }
  assert {
    condition     = alltrue([for a in flatten([for s in jsondecode(aws_iam_role_policy.function.policy).Statement : s.Action]) : !strcontains(a, "*")])
    error_message = "no wildcard actions"
  }
  assert {
    condition     = length(distinct([for s in jsondecode(aws_iam_role_policy.function.policy).Statement : s.Sid])) == length(jsondecode(aws_iam_role_policy.function.policy).Statement)
    error_message = "statement ids must be unique (the check above keys on them)"
  }
  assert {
    condition = jsonencode(jsondecode(aws_iam_role.function.assume_role_policy).Statement) == jsonencode([{
      Sid       = "LambdaAssumesRole"
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = "123456789012" } }
    }])
    error_message = "only Lambda may assume the role, for a function of this account: ${aws_iam_role.function.assume_role_policy}"
  }
  assert {
    condition     = aws_iam_role_policy.function.role == aws_iam_role.function.id
    error_message = "the policy must be attached to the function's role"
  }
}

run "outputs" {
  variables {
    aws_region = "eu-west-1"
  }

  assert {
    # As the Makefile reads them: `make generate` passes STREAM as --stream.
    condition     = output.generate_hint == "make generate STREAM=oops-events AWS_REGION=eu-west-1"
    error_message = "generate hint: ${output.generate_hint}"
  }
  assert {
    condition     = output.outputs_hint == "make outputs AWS_REGION=eu-west-1 DEPLOY_ENV="
    error_message = "outputs hint (DEPLOY_ENV empty: the main copy): ${output.outputs_hint}"
  }
  assert {
    condition = (output.stream_name == "oops-events" && output.rejects_stream_name == "oops-events-rejected"
    && output.table_name == "oops-trucks" && output.function_name == "oops-truck-status")
    error_message = "names in the outputs"
  }
  assert {
    condition     = output.stream_arn == "arn:aws:kinesis:us-east-1:123456789012:stream/oops-events" && output.dlq_url == "https://sqs.us-east-1.amazonaws.com/123456789012/oops-truck-status-dlq"
    error_message = "stream ARN and DLQ URL in the outputs"
  }
}
