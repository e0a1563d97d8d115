# The optional shapes of the deployment and the guards on its variables.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  function_zip         = "tests/fixtures/function.zip"
  alarms_notify_nobody = true # alarms_notify.tftest.hcl tests whom they notify
}

run "on_demand_streams_and_provisioned_table" {
  variables {
    stream_mode          = "ON_DEMAND"
    table_billing_mode   = "PROVISIONED"
    table_read_capacity  = 5
    table_write_capacity = 5
  }

  assert {
    condition = alltrue([for s in [module.storage.events_stream, module.storage.rejects_stream] :
    s.stream_mode_details[0].stream_mode == "ON_DEMAND" && s.shard_count == null])
    error_message = "on-demand streams have no shard count"
  }
  assert {
    condition = (module.storage.table.billing_mode == "PROVISIONED"
      && module.storage.table.read_capacity == 5
    && module.storage.table.write_capacity == 5)
    error_message = "provisioned table 5/5"
  }
}

run "name_prefix_renames_everything" {
  variables {
    name_prefix = "dev-"
  }

  assert {
    condition = (module.storage.events_stream.name == "dev-oops-events"
      && module.storage.rejects_stream.name == "dev-oops-events-rejected"
      && module.storage.table.name == "dev-oops-trucks"
      && aws_lambda_function.this.function_name == "dev-oops-truck-status"
      && aws_sqs_queue.dlq.name == "dev-oops-truck-status-dlq"
      && aws_cloudwatch_log_group.function.name == "/aws/lambda/dev-oops-truck-status"
    && aws_iam_role.function.name == "dev-oops-truck-status-exec-us-east-1")
    error_message = "every name must carry the prefix"
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables == tomap({ TABLE_NAME = "dev-oops-trucks", REJECTS_STREAM_NAME = "dev-oops-events-rejected" })
    error_message = "the function must be pointed at the prefixed table and rejects stream"
  }
  assert {
    # The Makefile turns DEPLOY_ENV=dev into name_prefix = "dev-".
    condition     = output.outputs_hint == "make outputs AWS_REGION=us-east-1 DEPLOY_ENV=dev" && output.generate_hint == "make generate STREAM=dev-oops-events AWS_REGION=us-east-1"
    error_message = "hints for the dev- copy: ${output.outputs_hint}; ${output.generate_hint}"
  }
}

run "customer_managed_stream_key_adds_kms_grants" {
  variables {
    kinesis_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition     = module.storage.events_stream.kms_key_id == var.kinesis_kms_key_arn && module.storage.rejects_stream.kms_key_id == var.kinesis_kms_key_arn
    error_message = "both streams must use the customer managed key"
  }
  assert {
    condition = {
      for s in jsondecode(aws_iam_role_policy.function.policy).Statement : s.Sid => flatten([s.Action]) if startswith(s.Sid, "Decrypt") || startswith(s.Sid, "Encrypt")
      } == {
      DecryptEventStream   = ["kms:Decrypt"]
      EncryptRejectsStream = ["kms:GenerateDataKey"]
    }
    error_message = "a CMK needs exactly kms:Decrypt (read) and kms:GenerateDataKey (write rejects)"
  }
  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_role_policy.function.policy).Statement : s.Resource == var.kinesis_kms_key_arn if startswith(s.Action[0], "kms:")])
    error_message = "KMS grants only on that key"
  }
  assert {
    condition = alltrue([for s in jsondecode(aws_iam_role_policy.function.policy).Statement :
      jsonencode(s.Condition) == jsonencode({ StringEquals = { "kms:ViaService" = "kinesis.us-east-1.amazonaws.com" } })
    if startswith(s.Action[0], "kms:")])
    error_message = "the key may be used only through Kinesis in the deploy region (kms:ViaService)"
  }
}

run "rejects_a_stream_key_of_another_region" {
  command = plan
  variables {
    aws_region          = "us-east-1"
    kinesis_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  expect_failures = [var.kinesis_kms_key_arn]
}

# The role is the only account-wide name: the same stack in two regions of one
# account gets two roles, so neither deploy fails with EntityAlreadyExists.
run "role_name_in_us_east_1" {
  command = plan
  variables {
    aws_region = "us-east-1"
  }
  assert {
    condition     = aws_iam_role.function.name == "oops-truck-status-exec-us-east-1"
    error_message = "role name ${aws_iam_role.function.name}"
  }
}

run "role_name_in_eu_west_1" {
  command = plan
  variables {
    aws_region = "eu-west-1"
  }
  assert {
    condition     = aws_iam_role.function.name == "oops-truck-status-exec-eu-west-1"
    error_message = "role name ${aws_iam_role.function.name}"
  }
}

run "rejects_a_dot_in_name_prefix" {
  # SQS would refuse it at plan time: invalid queue name: dev.oops-truck-status-dlq
  command = plan
  variables {
    name_prefix = "dev."
  }
  expect_failures = [var.name_prefix]
}

run "rejects_a_role_name_beyond_64_characters" {
  command = plan
  variables {
    name_prefix   = "a-twenty-char-prefix"
    function_name = "oops-truck-status-folders" # the role name would be 65 characters
    aws_region    = "ap-southeast-1"
    # (the default archive bucket name would be too long as well: not this test's subject)
    archive_bucket_name = "oops-archive-test"
  }
  expect_failures = [var.function_name]
}

run "rejects_a_malformed_region" {
  command = plan
  variables {
    aws_region = "us_east_1"
  }
  expect_failures = [var.aws_region]
}

run "rejects_a_malformed_account_id" {
  command = plan
  variables {
    allowed_account_ids = ["12345"]
  }
  expect_failures = [var.allowed_account_ids]
}

run "warns_when_the_mapping_can_outrun_the_concurrency_quota" {
  # 10 batches per shard on 2 shards: 20 concurrent executions, a new
  # account's quota is 10.
  command = plan
  variables {
    parallelization_factor = 10
  }
  expect_failures = [check.lambda_concurrency]
}

run "on_demand_streams_count_four_shards_at_least" {
  command = plan
  variables {
    stream_mode            = "ON_DEMAND"
    parallelization_factor = 3
  }
  expect_failures = [check.lambda_concurrency]
}

run "a_known_quota_allows_a_high_parallelization_factor" {
  command = plan
  variables {
    parallelization_factor   = 10
    lambda_concurrency_quota = 1000
  }
  assert {
    condition     = aws_lambda_event_source_mapping.events.parallelization_factor == 10
    error_message = "parallelization factor 10 within the quota"
  }
}

run "no_kms_statement_with_the_aws_managed_key" {
  assert {
    condition     = length([for s in jsondecode(aws_iam_role_policy.function.policy).Statement : s if anytrue([for a in flatten([s.Action]) : startswith(a, "kms:")])]) == 0
    error_message = "alias/aws/kinesis needs no KMS permission in the role"
  }
}

run "pitr_can_be_turned_off" {
  variables {
    enable_pitr = false
  }

  assert {
    condition     = module.storage.table.point_in_time_recovery[0].enabled == false
    error_message = "enable_pitr = false must turn point-in-time recovery off"
  }
}

run "rejects_infinite_retries" {
  command = plan
  variables {
    maximum_retry_attempts = -1
  }
  expect_failures = [var.maximum_retry_attempts]
}

run "rejects_unbounded_record_age" {
  command = plan
  variables {
    maximum_record_age_in_seconds = -1
  }
  expect_failures = [var.maximum_record_age_in_seconds]
}

run "record_age_must_stay_within_retention" {
  command = plan
  variables {
    stream_retention_hours        = 24
    maximum_record_age_in_seconds = 86400
  }
  expect_failures = [var.maximum_record_age_in_seconds]
}

run "longer_retention_allows_longer_record_age" {
  command = plan
  variables {
    stream_retention_hours        = 48
    maximum_record_age_in_seconds = 86400
  }
  assert {
    condition     = aws_lambda_event_source_mapping.events.maximum_record_age_in_seconds == 86400
    error_message = "record age within a longer retention is accepted"
  }
}

run "rejects_unknown_stream_mode" {
  command = plan
  variables {
    stream_mode = "SERVERLESS"
  }
  expect_failures = [var.stream_mode]
}

run "rejects_kms_alias_as_key_arn" {
  command = plan
  variables {
    kinesis_kms_key_arn = "alias/my-key"
  }
  expect_failures = [var.kinesis_kms_key_arn]
}

run "missing_zip_stops_the_plan_with_a_hint" {
  command = plan
  variables {
    function_zip = "tests/fixtures/does-not-exist.zip"
  }
  expect_failures = [aws_lambda_function.this]
}
