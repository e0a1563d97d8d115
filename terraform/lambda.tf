# Created before the function so Lambda never creates it itself (without a
# retention) and the role needs no logs:CreateLogGroup.
resource "aws_cloudwatch_log_group" "function" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "this" {
  function_name = local.function_name
  description   = "Folds OOPS events from ${local.stream_name} into ${local.table_name}"
  role          = aws_iam_role.function.arn

  runtime       = "nodejs22.x"
  architectures = ["arm64"]
  handler       = local.function_handler # index.mjs, export `handler`
  timeout       = 60
  memory_size   = var.function_memory_mb

  # The hash makes a new bundle a new deployment. fileexists() keeps
  # `terraform destroy` working where the zip was never built; plan and apply
  # stop at the precondition below instead.
  filename         = local.function_zip
  source_code_hash = fileexists(local.function_zip) ? filebase64sha256(local.function_zip) : null

  environment {
    variables = {
      TABLE_NAME          = module.storage.table_name
      REJECTS_STREAM_NAME = module.storage.rejects_stream_name
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.function.name
  }

  depends_on = [aws_iam_role_policy.function]

  lifecycle {
    precondition {
      condition     = fileexists(local.function_zip)
      error_message = "No function zip at ${local.function_zip}: run `make build` (it bundles handler/dist/index.mjs and zips it), or set function_zip."
    }
  }
}

resource "aws_lambda_event_source_mapping" "events" {
  event_source_arn  = module.storage.stream_arn
  function_name     = aws_lambda_function.this.arn
  starting_position = "TRIM_HORIZON"
  batch_size        = 100

  maximum_batching_window_in_seconds = var.maximum_batching_window_in_seconds
  parallelization_factor             = var.parallelization_factor

  # The handler reports the records it could not write; Lambda retries from
  # the first of them. A batch that throws is halved until the bad record is
  # isolated, a bounded number of times, and then skipped to the DLQ.
  function_response_types        = ["ReportBatchItemFailures"]
  bisect_batch_on_function_error = true
  maximum_retry_attempts         = var.maximum_retry_attempts
  maximum_record_age_in_seconds  = var.maximum_record_age_in_seconds

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.dlq.arn
    }
  }

  # Lambda checks the role can read the stream and write the DLQ on creation.
  depends_on = [aws_iam_role_policy.function]

  lifecycle {
    # Records skipped to the DLQ (only their position goes there) expire with
    # the stream's retention, and can be hours old when skipped: a DLQ message
    # nobody hears of leaves them out of the table unnoticed (the archive has
    # them, but only a `make redrive` someone was told to run brings them
    # back). So a deploy whose alarms would notify no one stops here, unless
    # the operator says so (alarms_notify.tf).
    precondition {
      condition     = length(local.alarm_actions) > 0 || var.alarms_notify_nobody
      error_message = "No alarm would reach anyone: set alarm_email (an address) or alarm_sns_topic_arn (an existing topic), or alarms_notify_nobody = true to deploy without notification."
    }
  }
}

# Each batch in flight is one concurrent execution: up to parallelization_factor
# per shard (an on-demand stream starts with 4 shards and adds more as it
# grows). Beyond the account's concurrency the invocations are throttled (the
# throttles alarm), the stream falls behind, and records older than
# maximum_record_age_in_seconds are skipped to the DLQ. A warning, not an
# error: only the operator knows the account's quota and what else uses it.
locals {
  event_shards           = var.stream_mode == "ON_DEMAND" ? 4 : var.stream_shard_count
  max_concurrent_batches = var.parallelization_factor * local.event_shards
}

check "lambda_concurrency" {
  assert {
    condition     = local.max_concurrent_batches <= var.lambda_concurrency_quota
    error_message = "The event source mapping can run ${local.max_concurrent_batches} invocations at once (parallelization_factor ${var.parallelization_factor} x ${local.event_shards} shards), more than lambda_concurrency_quota = ${var.lambda_concurrency_quota}. Check the account's quota (aws lambda get-account-settings) and set lambda_concurrency_quota to it, ask for more in Service Quotas, or lower parallelization_factor."
  }
}
