# The alarms and where they notify, offline: the provider is mocked, nothing
# reaches AWS (see main.tftest.hcl for how the mocked apply works).

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  function_zip = "tests/fixtures/function.zip"
}

run "no_recipient_stops_the_deploy" {
  # Neither alarm_email nor alarm_sns_topic_arn, and no explicit opt-out.
  command         = plan
  expect_failures = [aws_lambda_event_source_mapping.events]
}

run "alarms_without_notification_when_asked_for" {
  variables {
    alarms_notify_nobody = true
  }

  assert {
    condition     = keys(aws_cloudwatch_metric_alarm.this) == ["archive_delivery", "archive_freshness", "dlq_delivery_failures", "dlq_depth", "freshness", "function_errors", "iterator_age", "reject_ratio", "rejects", "stream_not_processed", "stream_not_read", "throttles"]
    error_message = "twelve alarms: iterator age, stream not read, stream not processed, errors, throttles, DLQ delivery failures, DLQ depth, rejects arriving, reject ratio, freshness, archive behind, archive delivery failing"
  }
  assert {
    condition     = length(aws_sns_topic.alarms) == 0 && length(aws_sns_topic_subscription.alarm_email) == 0
    error_message = "no topic without alarm_email"
  }
  assert {
    condition     = alltrue([for a in values(aws_cloudwatch_metric_alarm.this) : length(a.alarm_actions) == 0 && length(a.ok_actions) == 0])
    error_message = "without topic or e-mail the alarms have no actions"
  }
  assert {
    condition = (aws_cloudwatch_metric_alarm.this["iterator_age"].namespace == "AWS/Lambda"
      && aws_cloudwatch_metric_alarm.this["iterator_age"].metric_name == "IteratorAge"
    && aws_cloudwatch_metric_alarm.this["iterator_age"].dimensions == tomap({ FunctionName = "oops-truck-status" }))
    error_message = "iterator age alarm on the function's IteratorAge"
  }
  assert {
    condition = (aws_cloudwatch_metric_alarm.this["function_errors"].metric_name == "Errors"
    && aws_cloudwatch_metric_alarm.this["function_errors"].dimensions == tomap({ FunctionName = "oops-truck-status" }))
    error_message = "errors alarm on the function"
  }
  assert {
    condition = (aws_cloudwatch_metric_alarm.this["dlq_depth"].namespace == "AWS/SQS"
      && aws_cloudwatch_metric_alarm.this["dlq_depth"].metric_name == "ApproximateNumberOfMessagesVisible"
      && aws_cloudwatch_metric_alarm.this["dlq_depth"].dimensions == tomap({ QueueName = "oops-truck-status-dlq" })
    && aws_cloudwatch_metric_alarm.this["dlq_depth"].threshold == 0 && aws_cloudwatch_metric_alarm.this["dlq_depth"].comparison_operator == "GreaterThanThreshold")
    error_message = "DLQ alarm when its depth > 0"
  }
  assert {
    condition = (aws_cloudwatch_metric_alarm.this["rejects"].namespace == "AWS/Kinesis"
      && aws_cloudwatch_metric_alarm.this["rejects"].metric_name == "IncomingRecords"
      && aws_cloudwatch_metric_alarm.this["rejects"].dimensions == tomap({ StreamName = "oops-events-rejected" })
    && aws_cloudwatch_metric_alarm.this["rejects"].threshold == 0 && aws_cloudwatch_metric_alarm.this["rejects"].comparison_operator == "GreaterThanThreshold")
    error_message = "rejects alarm when IncomingRecords on the rejects stream > 0"
  }
}

run "throttles_failed_dlq_deliveries_and_an_unread_stream_alarm" {
  variables {
    alarms_notify_nobody = true
    name_prefix          = "dev-"
    expected = {
      throttles = {
        name       = "dev-oops-truck-status-throttles"
        metric     = "AWS/Lambda Throttles Sum"
        dimensions = { FunctionName = "dev-oops-truck-status" }
        fires      = "GreaterThanThreshold 0"
      }
      dlq_delivery_failures = {
        name       = "dev-oops-truck-status-dlq-delivery-failures"
        metric     = "AWS/Lambda DestinationDeliveryFailures Sum"
        dimensions = { FunctionName = "dev-oops-truck-status" }
        fires      = "GreaterThanThreshold 0"
      }
      stream_not_read = {
        name       = "dev-oops-truck-status-stream-not-read"
        metric     = "AWS/Kinesis GetRecords.Success Sum"
        dimensions = { StreamName = "dev-oops-events" }
        fires      = "LessThanThreshold 1"
      }
    }
  }

  # What each watches and when it fires, compared as JSON (== in Terraform
  # also compares types, object vs map).
  assert {
    condition = jsonencode({ for k, _ in var.expected : k => {
      name       = aws_cloudwatch_metric_alarm.this[k].alarm_name
      metric     = "${aws_cloudwatch_metric_alarm.this[k].namespace} ${aws_cloudwatch_metric_alarm.this[k].metric_name} ${aws_cloudwatch_metric_alarm.this[k].statistic}"
      dimensions = aws_cloudwatch_metric_alarm.this[k].dimensions
      fires      = "${aws_cloudwatch_metric_alarm.this[k].comparison_operator} ${aws_cloudwatch_metric_alarm.this[k].threshold}"
    } }) == jsonencode(var.expected)
    error_message = "throttles and DLQ delivery failures on the function, no successful GetRecords on the event stream"
  }
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

run "alarms_to_email_and_existing_topic" {
  variables {
    alarm_email         = "ops@example.com"
    alarm_sns_topic_arn = "arn:aws:sns:us-east-1:123456789012:ops"
  }

  override_resource {
    target = aws_sns_topic.alarms
    values = { arn = "arn:aws:sns:us-east-1:123456789012:oops-truck-status-alarms" }
  }

  assert {
    condition     = aws_sns_topic_subscription.alarm_email[0].protocol == "email" && aws_sns_topic_subscription.alarm_email[0].endpoint == "ops@example.com"
    error_message = "an e-mail subscription must be created"
  }
  assert {
    condition     = aws_sns_topic_subscription.alarm_email[0].topic_arn == aws_sns_topic.alarms[0].arn
    error_message = "the subscription must be on the new topic"
  }
  assert {
    condition = alltrue([for a in values(aws_cloudwatch_metric_alarm.this) :
    toset(a.alarm_actions) == toset(["arn:aws:sns:us-east-1:123456789012:ops", "arn:aws:sns:us-east-1:123456789012:oops-truck-status-alarms"])])
    error_message = "every alarm must notify both topics"
  }
  assert {
    condition     = alltrue([for a in values(aws_cloudwatch_metric_alarm.this) : toset(a.ok_actions) == toset(a.alarm_actions)])
    error_message = "every alarm tells the same topics when it recovers"
  }
}

run "alarms_to_existing_topic_only" {
  variables {
    alarm_sns_topic_arn = "arn:aws:sns:us-east-1:123456789012:ops"
  }

  assert {
    condition     = length(aws_sns_topic.alarms) == 0
    error_message = "no topic is created for an existing one"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["dlq_depth"].alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:ops"])
    error_message = "alarms must notify the given topic"
  }
}

# The alarms on the function's own metrics (handler/metrics.json) and on
# metric math. A mocked provider keeps metric_query as a set: the queries are
# compared by id.
run "reject_ratio_is_rejected_over_records_of_the_contract" {
  variables {
    alarms_notify_nobody = true
  }

  assert {
    condition = jsonencode({ for q in aws_cloudwatch_metric_alarm.this["reject_ratio"].metric_query : q.id => {
      expression = q.expression
      returned   = q.return_data
      metric     = [for m in q.metric : "${m.namespace} ${m.metric_name} ${jsonencode(m.dimensions)} ${m.stat} ${m.period}"]
      } }) == jsonencode({
      ratio    = { expression = "rejected / records", returned = true, metric = [] }
      records  = { expression = null, returned = false, metric = ["OOPS/TruckStatus records {\"FunctionName\":\"oops-truck-status\"} Sum 300"] }
      rejected = { expression = null, returned = false, metric = ["OOPS/TruckStatus rejected {\"FunctionName\":\"oops-truck-status\"} Sum 300"] }
    })
    error_message = "rejected / records of the function's batch lines, summed over 5 minutes: ${jsonencode(aws_cloudwatch_metric_alarm.this["reject_ratio"].metric_query)}"
  }
  assert {
    condition = (aws_cloudwatch_metric_alarm.this["reject_ratio"].comparison_operator == "GreaterThanThreshold"
      && aws_cloudwatch_metric_alarm.this["reject_ratio"].threshold == 0.05
      && aws_cloudwatch_metric_alarm.this["reject_ratio"].evaluation_periods == 2
      && aws_cloudwatch_metric_alarm.this["reject_ratio"].datapoints_to_alarm == 2
      && aws_cloudwatch_metric_alarm.this["reject_ratio"].metric_name == null
    && aws_cloudwatch_metric_alarm.this["reject_ratio"].alarm_name == "oops-truck-status-reject-ratio")
    error_message = "more than 5% rejected, two 5-minute periods in a row; no metric of its own"
  }
}

run "stream_not_processed_is_records_arriving_without_invocations" {
  variables {
    alarms_notify_nobody = true
  }

  assert {
    condition = jsonencode({ for q in aws_cloudwatch_metric_alarm.this["stream_not_processed"].metric_query : q.id => {
      expression = q.expression
      returned   = q.return_data
      metric     = [for m in q.metric : "${m.namespace} ${m.metric_name} ${jsonencode(m.dimensions)} ${m.stat} ${m.period}"]
      } }) == jsonencode({
      incoming    = { expression = null, returned = false, metric = ["AWS/Kinesis IncomingRecords {\"StreamName\":\"oops-events\"} Sum 300"] }
      invocations = { expression = null, returned = false, metric = ["AWS/Lambda Invocations {\"FunctionName\":\"oops-truck-status\"} Sum 300"] }
      unprocessed = { expression = "IF(FILL(incoming, 0) > 0 AND FILL(invocations, 0) == 0, 1, 0)", returned = true, metric = [] }
    })
    error_message = "records put on the event stream while the function is not invoked: ${jsonencode(aws_cloudwatch_metric_alarm.this["stream_not_processed"].metric_query)}"
  }
  assert {
    condition = (aws_cloudwatch_metric_alarm.this["stream_not_processed"].comparison_operator == "GreaterThanOrEqualToThreshold"
      && aws_cloudwatch_metric_alarm.this["stream_not_processed"].threshold == 1
    && aws_cloudwatch_metric_alarm.this["stream_not_processed"].evaluation_periods == 3 && aws_cloudwatch_metric_alarm.this["stream_not_processed"].datapoints_to_alarm == 3)
    error_message = "three 5-minute periods in a row (longer than the longest batching window)"
  }
}

run "freshness_is_the_p99_age_of_the_oldest_record" {
  variables {
    alarms_notify_nobody = true
  }

  assert {
    condition = (aws_cloudwatch_metric_alarm.this["freshness"].namespace == "OOPS/TruckStatus"
      && aws_cloudwatch_metric_alarm.this["freshness"].metric_name == "oldestEventAgeMs"
      && aws_cloudwatch_metric_alarm.this["freshness"].dimensions == tomap({ FunctionName = "oops-truck-status" })
      && aws_cloudwatch_metric_alarm.this["freshness"].extended_statistic == "p99"
    && aws_cloudwatch_metric_alarm.this["freshness"].statistic == null)
    error_message = "p99 of the contract's oldestEventAgeMs of this function"
  }
  assert {
    condition = (aws_cloudwatch_metric_alarm.this["freshness"].threshold == 300000
      && aws_cloudwatch_metric_alarm.this["freshness"].comparison_operator == "GreaterThanThreshold"
    && aws_cloudwatch_metric_alarm.this["freshness"].period == 300 && aws_cloudwatch_metric_alarm.this["freshness"].evaluation_periods == 3)
    error_message = "above 300 s (no batching window + 300 s), in milliseconds, for three 5-minute periods"
  }
}

run "freshness_threshold_follows_the_batching_window" {
  variables {
    alarms_notify_nobody               = true
    maximum_batching_window_in_seconds = 30
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["freshness"].threshold == 330000
    error_message = "30 s of batching window + 300 s"
  }
}

run "thresholds_can_be_chosen" {
  variables {
    alarms_notify_nobody         = true
    freshness_alarm_seconds      = 120
    reject_ratio_alarm_threshold = 0.2
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["freshness"].threshold == 120000 && aws_cloudwatch_metric_alarm.this["reject_ratio"].threshold == 0.2
    error_message = "freshness 120 s, reject ratio 20%"
  }
  assert {
    condition     = strcontains(aws_cloudwatch_metric_alarm.this["reject_ratio"].alarm_description, "More than 20% of the records") && strcontains(aws_cloudwatch_metric_alarm.this["freshness"].alarm_description, "more than 120 s after")
    error_message = "the descriptions say the thresholds"
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

run "rejects_a_reject_ratio_of_one" {
  command = plan
  variables {
    alarms_notify_nobody         = true
    reject_ratio_alarm_threshold = 1
  }
  expect_failures = [var.reject_ratio_alarm_threshold]
}

run "rejects_a_negative_reject_ratio" {
  command = plan
  variables {
    alarms_notify_nobody         = true
    reject_ratio_alarm_threshold = -0.1
  }
  expect_failures = [var.reject_ratio_alarm_threshold]
}

run "rejects_a_freshness_within_the_batching_window" {
  command = plan
  variables {
    alarms_notify_nobody               = true
    maximum_batching_window_in_seconds = 60
    freshness_alarm_seconds            = 60
  }
  expect_failures = [var.freshness_alarm_seconds]
}

run "rejects_a_freshness_no_batch_can_reach" {
  # Records older than maximum_record_age_in_seconds are skipped.
  command = plan
  variables {
    alarms_notify_nobody    = true
    freshness_alarm_seconds = 21600
  }
  expect_failures = [var.freshness_alarm_seconds]
}

run "rejects_a_fractional_freshness" {
  command = plan
  variables {
    alarms_notify_nobody    = true
    freshness_alarm_seconds = 90.5
  }
  expect_failures = [var.freshness_alarm_seconds]
}
