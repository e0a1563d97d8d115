# `make plan OFFLINE=1` with the real AWS provider, not a mock: the provider
# must plan with no account, no credentials and no network. It pins fake keys
# and skips STS and the metadata API; the account guard (allowed_account_ids),
# which needs the account id, stays off. A plan only: nothing is created.
# (That the Makefile never passes offline_plan to apply or destroy is
# tests/make_test.sh's subject.)

variables {
  function_zip        = "tests/fixtures/function.zip"
  offline_plan        = true
  aws_region          = "eu-west-1"
  alarm_email         = "ops@example.com"
  allowed_account_ids = ["123456789012"]
}

run "offline_plan_needs_no_account" {
  command = plan

  assert {
    condition     = aws_iam_role.function.name == "oops-truck-status-exec-eu-west-1"
    error_message = "planned with the real provider, offline"
  }
  assert {
    condition     = length(aws_cloudwatch_metric_alarm.this) == 12 && length(aws_sns_topic_subscription.alarm_email) == 1
    error_message = "every alarm and the e-mail subscription are planned"
  }
  assert {
    condition     = aws_cloudwatch_dashboard.this.dashboard_name == "oops-truck-status"
    error_message = "the dashboard is planned (its body, with the alarms' ARNs, is known after apply)"
  }
  assert {
    condition     = length(aws_cloudwatch_query_definition.this) == 3
    error_message = "the three saved queries are planned"
  }
}
