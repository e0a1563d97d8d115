# Notification: an existing topic (alarm_sns_topic_arn), a new topic with an
# e-mail subscription (alarm_email), or both. Neither stops the deploy (the
# precondition on the event source mapping, lambda.tf) unless
# alarms_notify_nobody = true: then the alarms have no actions, visible only in
# the console and in `aws cloudwatch describe-alarms`.
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
