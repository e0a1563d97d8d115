# Notification: an existing topic (alarm_sns_topic_arn), a new topic with an
# e-mail subscription (alarm_email), both, or neither (alarms without actions,
# still visible in the console and in `aws cloudwatch describe-alarms`).
#
# The topic is not encrypted on purpose: CloudWatch cannot publish to a topic
# encrypted with the AWS-managed aws/sns key, only with a customer managed key
# whose policy grants cloudwatch.amazonaws.com access.
resource "aws_sns_topic" "alarms" {
  count = var.alarm_email == null ? 0 : 1
  name  = "${local.function_name}-alarms"
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count     = var.alarm_email == null ? 0 : 1
  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  alarm_actions = concat(
    var.alarm_sns_topic_arn == null ? [] : [var.alarm_sns_topic_arn],
    aws_sns_topic.alarms[*].arn,
  )
}

# What each alarm watches; everything else they share. The keys name the
# resources: aws_cloudwatch_metric_alarm.this["dlq_depth"].
locals {
  alarms = {
    # The function is falling behind the stream (or stuck retrying a batch).
    iterator_age = {
      name        = "iterator-age"
      description = "${local.function_name} is more than ${var.iterator_age_alarm_ms / 1000} s behind ${local.stream_name}"
      namespace   = "AWS/Lambda"
      metric      = "IteratorAge"
      dimensions  = { FunctionName = aws_lambda_function.this.function_name }
      statistic   = "Maximum"
      period      = 60
      periods     = 5
      threshold   = var.iterator_age_alarm_ms
    }
    # Invocations that threw or timed out (partial batch failures are not errors).
    function_errors = {
      name        = "errors"
      description = "${local.function_name} threw or timed out"
      namespace   = "AWS/Lambda"
      metric      = "Errors"
      dimensions  = { FunctionName = aws_lambda_function.this.function_name }
      statistic   = "Sum"
      period      = 300
      periods     = 1
      threshold   = 0
    }
    # A batch exhausted its retries or aged out: records were skipped, replay them.
    dlq_depth = {
      name        = "dlq-not-empty"
      description = "${local.dlq_name} holds failed batches: records of ${local.stream_name} were skipped"
      namespace   = "AWS/SQS"
      metric      = "ApproximateNumberOfMessagesVisible"
      dimensions  = { QueueName = aws_sqs_queue.dlq.name }
      statistic   = "Maximum"
      period      = 300
      periods     = 1
      threshold   = 0
    }
    # Records failed validation and were forwarded to the rejects stream.
    rejects = {
      name        = "rejects-arriving"
      description = "Rejected records are arriving on ${local.rejects_stream_name}"
      namespace   = "AWS/Kinesis"
      metric      = "IncomingRecords"
      dimensions  = { StreamName = module.storage.rejects_stream_name }
      statistic   = "Sum"
      period      = 300
      periods     = 1
      threshold   = 0
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${local.function_name}-${each.value.name}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = each.value.periods
  datapoints_to_alarm = each.value.periods
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value.threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}
