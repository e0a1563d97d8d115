# The alarms on what AWS publishes for the function, the streams and the DLQ
# (alarms_aws.tf), offline: the provider is mocked, nothing reaches AWS (see
# main.tftest.hcl for how the mocked apply works). The iterator age, errors,
# DLQ depth and rejects alarms' metrics are checked in alarms_notify.tftest.hcl
# (run alarms_without_notification_when_asked_for).

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  function_zip = "tests/fixtures/function.zip"
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

# Metric math. A mocked provider keeps metric_query as a set: the queries are
# compared by id.
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
