# The alarms on the archive's delivery (alarms_archive.tf), offline (provider
# mocked, see main.tftest.hcl).

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  function_zip         = "tests/fixtures/function.zip"
  alarms_notify_nobody = true
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
