# Whom the alarms notify, offline: the provider is mocked, nothing reaches
# AWS (see main.tftest.hcl for how the mocked apply works). A deploy needs
# someone to tell (alarm_email, alarm_sns_topic_arn) or says it tells no one.

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
