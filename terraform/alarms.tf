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

# What each alarm watches; everything else they share. The keys name the
# resources: aws_cloudwatch_metric_alarm.this["dlq_depth"], ["throttles"].
#
# missing: what a period without data points means. Lambda publishes its
# metrics only when the function runs (or tries to deliver a failed batch), so
# for them no data is an idle stream, not a failure: notBreaching. That alone
# would hide a mapping that stopped invoking, so stream_not_read watches the
# stream side instead: the mapping polls every shard about once a second, idle
# or not, so there no data means no one reads the stream: breaching. (The
# archive's Firehose polls the same way and counts in the same metric, so
# stream_not_read now fires only when neither reads; see stream_not_read.)
# Firehose publishes its delivery metrics only while it has records to
# deliver: for the archive alarms no data is an idle stream (notBreaching).
locals {
  archive_freshness_alarm_seconds = coalesce(var.archive_freshness_alarm_seconds, 2 * var.archive_buffering_seconds + 300)

  # Counts of the function that must stay at zero, over 5 minutes.
  function_counts = {
    # Invocations that threw or timed out (partial batch failures are not errors).
    function_errors = {
      name        = "errors"
      description = "${local.function_name} threw or timed out"
      metric      = "Errors"
    }
    # Invocations refused for lack of concurrency: the stream falls behind, and
    # records that outlive maximum_record_age_in_seconds are skipped.
    throttles = {
      name        = "throttles"
      description = "${local.function_name} was throttled (account or function concurrency exhausted)"
      metric      = "Throttles"
    }
    # A batch given up on could not even be recorded in the DLQ: its position
    # is lost, so is the batch unless someone finds it in the logs.
    dlq_delivery_failures = {
      name        = "dlq-delivery-failures"
      description = "Lambda could not send the position of a failed batch of ${local.stream_name} to ${local.dlq_name}: those records are lost unless replayed by hand"
      metric      = "DestinationDeliveryFailures"
    }
  }

  function_count_alarms = { for key, alarm in local.function_counts : key => merge(alarm, {
    namespace  = "AWS/Lambda"
    dimensions = { FunctionName = aws_lambda_function.this.function_name }
    statistic  = "Sum"
    period     = 300
    periods    = 1
    comparison = "GreaterThanThreshold"
    threshold  = 0
    missing    = "notBreaching" # published only when the function runs or a delivery is attempted
  }) }

  # The others, each with a metric and a shape of its own.
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
      comparison  = "GreaterThanThreshold"
      threshold   = var.iterator_age_alarm_ms
      missing     = "notBreaching" # no invocation: nothing to read, or the mapping stopped (stream_not_read)
    }
    # Nothing has read the event stream for 15 minutes: the mapping is
    # disabled, deleted or failing to poll (a lost permission, a key it
    # cannot use). GetRecords.Success counts every reader of the stream, and
    # the archive's Firehose is one: while it reads, a stopped mapping no
    # longer shows here, only as a table that stops changing (the archive
    # keeps the events for a replay). Telling the two readers apart needs
    # metric math (IncomingRecords > 0 while the function is not invoked).
    stream_not_read = {
      name        = "stream-not-read"
      description = "No successful GetRecords on ${local.stream_name} for 15 minutes: the event source mapping of ${local.function_name} is not reading it"
      namespace   = "AWS/Kinesis"
      metric      = "GetRecords.Success"
      dimensions  = { StreamName = module.storage.stream_name }
      statistic   = "Sum"
      period      = 300
      periods     = 3
      comparison  = "LessThanThreshold"
      threshold   = 1
      missing     = "breaching" # the mapping polls even an idle stream: no data means no reader
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
      comparison  = "GreaterThanThreshold"
      threshold   = 0
      missing     = "notBreaching" # SQS stops publishing for a queue left empty and unused for 6 hours
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
      comparison  = "GreaterThanThreshold"
      threshold   = 0
      missing     = "notBreaching" # no record put on the rejects stream
    }
    # The oldest record Firehose holds is older than the buffering interval
    # allows: the archive is falling behind (S3 refusing writes: a bucket or
    # key policy, a lost permission; or more data than one delivery can take).
    archive_freshness = {
      name        = "archive-behind"
      description = "${local.firehose_name} holds records older than ${local.archive_freshness_alarm_seconds} s: the event archive in S3 is falling behind; its log group ${local.archive_log_group_name} says why (README: Deploy to AWS, Watching it)"
      namespace   = "AWS/Firehose"
      metric      = "DeliveryToS3.DataFreshness"
      dimensions  = { DeliveryStreamName = aws_kinesis_firehose_delivery_stream.archive.name }
      statistic   = "Maximum"
      period      = 300
      periods     = 1
      comparison  = "GreaterThanThreshold"
      threshold   = local.archive_freshness_alarm_seconds
      missing     = "notBreaching" # published while Firehose holds records; none = nothing waiting
    }
    # S3 writes failing for 15 minutes in a row (a failed write is retried
    # every few seconds, so one blip does not last that long). Firehose keeps
    # retrying for 24 hours, then drops the data: fix it before then.
    archive_delivery = {
      name        = "archive-delivery-failing"
      description = "${local.firehose_name} cannot write to the archive bucket: after 24 h of failures Firehose drops those events; its log group ${local.archive_log_group_name} says why (README: Deploy to AWS, Watching it)"
      namespace   = "AWS/Firehose"
      metric      = "DeliveryToS3.Success"
      dimensions  = { DeliveryStreamName = aws_kinesis_firehose_delivery_stream.archive.name }
      statistic   = "Minimum"
      period      = 300
      periods     = 3
      comparison  = "LessThanThreshold"
      threshold   = 1
      missing     = "notBreaching" # published only when Firehose writes (or tries to)
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = merge(local.function_count_alarms, local.alarms)

  alarm_name          = "${local.function_name}-${each.value.name}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = each.value.periods
  datapoints_to_alarm = each.value.periods
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  treat_missing_data  = each.value.missing
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  # Created once the mapping polls, so that stream_not_read does not start by
  # counting the minutes before the mapping existed as "not read".
  depends_on = [aws_lambda_event_source_mapping.events]
}
