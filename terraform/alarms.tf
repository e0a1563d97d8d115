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

# The function is falling behind the stream (or stuck retrying a batch).
resource "aws_cloudwatch_metric_alarm" "iterator_age" {
  alarm_name          = "${local.function_name}-iterator-age"
  alarm_description   = "${local.function_name} is more than ${var.iterator_age_alarm_ms / 1000} s behind ${local.stream_name}"
  namespace           = "AWS/Lambda"
  metric_name         = "IteratorAge"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.iterator_age_alarm_ms
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# Invocations that threw or timed out (partial batch failures are not errors).
resource "aws_cloudwatch_metric_alarm" "function_errors" {
  alarm_name          = "${local.function_name}-errors"
  alarm_description   = "${local.function_name} threw or timed out"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# A batch exhausted its retries or aged out: records were skipped, replay them.
resource "aws_cloudwatch_metric_alarm" "dlq_depth" {
  alarm_name          = "${local.function_name}-dlq-not-empty"
  alarm_description   = "${local.dlq_name} holds failed batches: records of ${local.stream_name} were skipped"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dlq.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# Records failed validation and were forwarded to the rejects stream.
resource "aws_cloudwatch_metric_alarm" "rejects" {
  alarm_name          = "${local.function_name}-rejects-arriving"
  alarm_description   = "Rejected records are arriving on ${local.rejects_stream_name}"
  namespace           = "AWS/Kinesis"
  metric_name         = "IncomingRecords"
  dimensions          = { StreamName = module.storage.rejects_stream_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}
