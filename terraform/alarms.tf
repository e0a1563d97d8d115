# The alarms: one aws_cloudwatch_metric_alarm per entry of local.all_alarms.
# What each alarm watches is in the file of what it watches; everything else
# they share is here.
#   alarms_aws.tf       what AWS publishes for the function, the streams, the DLQ
#   alarms_contract.tf  the function's own metrics (handler/metrics.json)
#   alarms_archive.tf   the archive's delivery to S3 (Firehose)
#   alarms_notify.tf    whom they notify (local.alarm_actions)
#
# The keys name the resources: aws_cloudwatch_metric_alarm.this["dlq_depth"], ["throttles"].
# Every description says what the alarm means and what to do, with the make
# target as typed (backticked, so a test can run each with `make -n`) and the
# README section; the make targets act on the deployment in
# terraform/outputs.json, so each description also says how to point them here.
#
# missing: what a period without data points means. Lambda publishes its
# metrics only when the function runs (or tries to deliver a failed batch), and
# the function's own metrics (handler/metrics.json) come from the line each
# batch logs, so for them no data is an idle stream, not a failure:
# notBreaching. That alone would hide a mapping that stopped invoking, so two
# alarms watch the stream side: stream_not_read (no one reads it: GetRecords
# goes on even when idle, so there no data is breaching) and
# stream_not_processed (records arrive while the function is not invoked; the
# archive's Firehose reads the stream too, so GetRecords alone cannot tell).
# Firehose publishes its delivery metrics only while it has records to
# deliver: for the archive alarms no data is an idle stream (notBreaching).
locals {
  # The end of every description: where to read more, and how the tools find
  # this deployment (DEPLOY_ENV= empty is the main copy).
  alarm_help = "README: Running it in AWS, Alarms. The make targets act on the deployment in terraform/outputs.json: `make outputs AWS_REGION=${var.aws_region} DEPLOY_ENV=${local.deploy_env}` points them at this one."
  # A time as `make replay` reads it, for the examples.
  replay_example = "`make replay FROM=2026-12-01T10:00Z TO=2026-12-01T12:00Z` (UTC, around the alarm)"

  # One shape for all: what an alarm does not use is null.
  alarm_defaults = {
    namespace          = null
    metric             = null
    dimensions         = null
    statistic          = null
    extended_statistic = null
    period             = null
    queries            = []
  }
  all_alarms = { for key, alarm in merge(local.function_count_alarms, local.aws_alarms, local.contract_alarms, local.archive_alarms) :
    key => merge(local.alarm_defaults, alarm, { description = "${alarm.description} ${local.alarm_help}" })
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.all_alarms

  alarm_name          = "${local.function_name}-${each.value.name}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  extended_statistic  = each.value.extended_statistic
  period              = each.value.period
  evaluation_periods  = each.value.periods
  datapoints_to_alarm = each.value.periods
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  treat_missing_data  = each.value.missing
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  # Metric math: the metrics read (not alarmed on) and the expression (the
  # last query, alarmed on).
  dynamic "metric_query" {
    for_each = each.value.queries
    content {
      id          = metric_query.value.id
      expression  = try(metric_query.value.expression, null)
      label       = try(metric_query.value.label, null)
      return_data = metric_query.key == length(each.value.queries) - 1

      dynamic "metric" {
        for_each = can(metric_query.value.metric) ? [metric_query.value.metric] : []
        content {
          namespace   = metric.value.namespace
          metric_name = metric.value.metric_name
          dimensions  = metric.value.dimensions
          stat        = metric.value.stat
          period      = metric.value.period
        }
      }
    }
  }

  # Created once the mapping polls, so that stream_not_read does not start by
  # counting the minutes before the mapping existed as "not read".
  depends_on = [aws_lambda_event_source_mapping.events]
}
