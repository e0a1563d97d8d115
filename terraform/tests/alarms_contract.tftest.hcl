# The alarms on the function's own metrics (handler/metrics.json,
# alarms_contract.tf) and the validations of their thresholds, offline: the
# provider is mocked, nothing reaches AWS (see main.tftest.hcl for how the
# mocked apply works).

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  function_zip = "tests/fixtures/function.zip"
}

# A mocked provider keeps metric_query as a set: the queries are compared by id.
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
