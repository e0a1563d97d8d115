# The alarms as a set, offline: the provider is mocked, nothing reaches AWS
# (see main.tftest.hcl for how the mocked apply works). What a period without
# data means for each, and what each description tells the operator. What each
# watches: alarms_aws, alarms_contract and alarms_archive .tftest.hcl; whom they
# notify: alarms_notify.tftest.hcl.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  function_zip = "tests/fixtures/function.zip"
}

run "missing_data_is_a_failure_only_where_the_metric_never_pauses" {
  # Lambda's metrics and the function's batch lines pause while the stream is
  # idle; the readers' polling (GetRecords on the event stream) does not,
  # unless they stopped.
  variables {
    alarms_notify_nobody = true
  }

  assert {
    condition = { for k, a in aws_cloudwatch_metric_alarm.this : k => a.treat_missing_data } == {
      iterator_age          = "notBreaching"
      stream_not_read       = "breaching"
      function_errors       = "notBreaching"
      throttles             = "notBreaching"
      dlq_delivery_failures = "notBreaching"
      dlq_depth             = "notBreaching"
      rejects               = "notBreaching"
      archive_freshness     = "notBreaching"
      archive_delivery      = "notBreaching"
      freshness             = "notBreaching"
      reject_ratio          = "notBreaching"
      stream_not_processed  = "notBreaching"
    }
    error_message = "treat_missing_data: breaching for stream_not_read only"
  }
}

# What an operator reads when an alarm fires: what it means, the make target
# that helps, the README section, and how to point the tools at this
# deployment. (That each backticked make command works as typed is for a
# test that runs it with `make -n`.)
run "every_alarm_says_what_to_do" {
  variables {
    alarms_notify_nobody = true
    # Long names, for the 1024 characters CloudWatch allows a description.
    name_prefix         = "abcdefghijklmnopqrs-"
    aws_region          = "ap-southeast-1"
    archive_bucket_name = "oops-archive-test"
    # What each description must tell to do (more may follow).
    expected = {
      iterator_age          = ["`make status`", "`make redrive`"]
      stream_not_read       = ["`make plan`", "`make deploy`"]
      stream_not_processed  = ["`make plan`", "`make deploy`", "`make diff ARGS=--stream`", "`make replay FROM="]
      function_errors       = ["`make redrive`"]
      throttles             = ["`make redrive`", "`make status`"]
      dlq_delivery_failures = ["`make replay FROM="]
      dlq_depth             = ["`make redrive`"]
      rejects               = ["`make rejects`", "`make rejects ARGS=--json`", "`make replay FROM="]
      reject_ratio          = ["`make rejects`", "`make replay FROM="]
      freshness             = ["`make status`"]
      archive_freshness     = ["`make plan`", "`make deploy`"]
      archive_delivery      = ["`make plan`", "`make deploy`"]
    }
  }

  assert {
    condition     = keys(var.expected) == keys(aws_cloudwatch_metric_alarm.this)
    error_message = "every alarm has its expected hints here"
  }
  assert {
    condition = alltrue([for k, hints in var.expected : alltrue([for hint in hints :
    strcontains(aws_cloudwatch_metric_alarm.this[k].alarm_description, hint)])])
    error_message = "missing hints: ${jsonencode({ for k, hints in var.expected : k => [for hint in hints : hint if !strcontains(aws_cloudwatch_metric_alarm.this[k].alarm_description, hint)] })}"
  }
  assert {
    condition = alltrue([for a in values(aws_cloudwatch_metric_alarm.this) :
      strcontains(a.alarm_description, "README: Running it in AWS, Alarms")
    && strcontains(a.alarm_description, "`make outputs AWS_REGION=ap-southeast-1 DEPLOY_ENV=abcdefghijklmnopqrs`")])
    error_message = "each description names the README section and points the tools at this deployment"
  }
  assert {
    condition     = alltrue([for a in values(aws_cloudwatch_metric_alarm.this) : length(a.alarm_description) <= 1024])
    error_message = "CloudWatch refuses descriptions over 1024 characters: ${jsonencode({ for k, a in aws_cloudwatch_metric_alarm.this : k => length(a.alarm_description) })}"
  }
}

run "the_main_copy_is_deploy_env_empty" {
  variables {
    alarms_notify_nobody = true
  }
  assert {
    condition     = alltrue([for a in values(aws_cloudwatch_metric_alarm.this) : endswith(a.alarm_description, "`make outputs AWS_REGION=us-east-1 DEPLOY_ENV=` points them at this one.")])
    error_message = "DEPLOY_ENV= (empty) for the deployment without a prefix"
  }
}
