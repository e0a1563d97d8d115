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
  archive_freshness_alarm_seconds = coalesce(var.archive_freshness_alarm_seconds, 2 * var.archive_buffering_seconds + 300)
  freshness_alarm_seconds         = coalesce(var.freshness_alarm_seconds, var.maximum_batching_window_in_seconds + 300)

  # The end of every description: where to read more, and how the tools find
  # this deployment (DEPLOY_ENV= empty is the main copy).
  alarm_help = "README: Running it in AWS, Alarms. The make targets act on the deployment in terraform/outputs.json: `make outputs AWS_REGION=${var.aws_region} DEPLOY_ENV=${local.deploy_env}` points them at this one."
  # A time as `make replay` reads it, for the examples.
  replay_example = "`make replay FROM=2026-12-01T10:00Z TO=2026-12-01T12:00Z` (UTC, around the alarm)"

  # Counts of the function that must stay at zero, over 5 minutes.
  function_counts = {
    # Invocations that threw or timed out (partial batch failures are not errors).
    function_errors = {
      name        = "errors"
      description = "${local.function_name} threw or timed out: Lambda retries the batch, halving it, up to ${var.maximum_retry_attempts} times, then skips it to ${local.dlq_name}. Read why: `aws logs tail ${local.log_group_name} --since 1h`. If -dlq-not-empty follows, `make redrive` brings the skipped records into the table."
      metric      = "Errors"
    }
    # Invocations refused for lack of concurrency: the stream falls behind, and
    # records that outlive maximum_record_age_in_seconds are skipped.
    throttles = {
      name        = "throttles"
      description = "${local.function_name} was throttled (account or function concurrency exhausted): ${local.stream_name} falls behind. Compare parallelization_factor x shards with the quota (`aws lambda get-account-settings`), then lower the factor or raise the quota. Records that age out are skipped to ${local.dlq_name}: `make redrive` after -dlq-not-empty. `make status` shows whether the table still moves."
      metric      = "Throttles"
    }
    # A batch given up on could not even be recorded in the DLQ: its position
    # is lost, so is the batch unless someone finds it in the logs.
    dlq_delivery_failures = {
      name        = "dlq-delivery-failures"
      description = "Lambda could not send the position of a failed batch of ${local.stream_name} to ${local.dlq_name}: those records were skipped and nothing says where. The saved query ${local.function_name}/trucks not written shows which trucks and from which sequence number; the archive has every record: ${local.replay_example} writes that window into the table."
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
      description = "${local.function_name} is more than ${var.iterator_age_alarm_ms / 1000} s behind ${local.stream_name} (IteratorAge, 5 minutes). If -throttles or -errors fire too, start there; otherwise batches are slow (the dashboard's duration and writes per event). Records older than ${var.maximum_record_age_in_seconds} s are skipped to ${local.dlq_name}: then -dlq-not-empty and `make redrive`. `make status` shows whether the table still moves."
      namespace   = "AWS/Lambda"
      metric      = "IteratorAge"
      dimensions  = { FunctionName = aws_lambda_function.this.function_name }
      statistic   = "Maximum"
      period      = 60
      periods     = 5
      comparison  = "GreaterThanThreshold"
      threshold   = var.iterator_age_alarm_ms
      missing     = "notBreaching" # no invocation: nothing to read, or the mapping stopped (stream_not_processed)
    }
    # Nothing has read the event stream for 15 minutes: neither the mapping
    # nor the archive's Firehose (each polls every shard about once a second,
    # idle or not). A lost permission, a key they cannot use, both stopped.
    # (The mapping alone stopping is stream_not_processed.)
    stream_not_read = {
      name        = "stream-not-read"
      description = "No successful GetRecords on ${local.stream_name} for 15 minutes: neither the event source mapping of ${local.function_name} nor the archive's Firehose ${local.firehose_name} reads it (a lost permission, a key they cannot use, both stopped). Fix it within the stream's retention (${var.stream_retention_hours} h) or those events are lost: `make plan` (with the TF_ARGS you deploy with) shows what drifted, `make deploy` puts it back; both readers then resume where they stopped."
      namespace   = "AWS/Kinesis"
      metric      = "GetRecords.Success"
      dimensions  = { StreamName = module.storage.stream_name }
      statistic   = "Sum"
      period      = 300
      periods     = 3
      comparison  = "LessThanThreshold"
      threshold   = 1
      missing     = "breaching" # the readers poll even an idle stream: no data means no reader
    }
    # A batch exhausted its retries or aged out: records were skipped, replay them.
    dlq_depth = {
      name        = "dlq-not-empty"
      description = "${local.dlq_name} holds failed batches: records of ${local.stream_name} were skipped and are not in the table. `make redrive` replays the archive over those batches' time range into the table, then removes them from the queue. If they keep coming, -errors and the saved query ${local.function_name}/trucks not written say why."
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
      description = "Rejected records are arriving on ${local.rejects_stream_name}: records of ${local.stream_name} the function refused, each with its reason. `make rejects` groups them by reason, with examples (`make rejects ARGS=--json` for scripts). They are kept there for ${var.stream_retention_hours} h and in the archive for good: after a fix, ${local.replay_example} brings them into the table."
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
      description = "${local.firehose_name} holds records older than ${local.archive_freshness_alarm_seconds} s: the event archive in S3 is falling behind. Its log group says why: `aws logs tail ${local.archive_log_group_name} --since 1h`. A bucket policy, key or role changed by hand: `make plan` shows the drift, `make deploy` puts it back; Firehose then catches up by itself."
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
      description = "${local.firehose_name} cannot write to the archive bucket; after 24 h of failures Firehose drops those events (the table keeps their effect, the archive loses them). Its log group says why: `aws logs tail ${local.archive_log_group_name} --since 1h`. A bucket policy, key or role changed by hand: `make plan` shows the drift, `make deploy` puts it back."
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
    # The function's batches end long after their oldest record reached the
    # stream: what a reader of the table sees as lag. p99 rather than the
    # maximum, so that one slow or retried batch does not page; with few
    # batches in 5 minutes the two are the same. IteratorAge (above) is
    # Lambda's early view of the same backlog; this one also counts the time
    # the batch took and its retries.
    freshness = {
      name               = "freshness"
      description        = "For 15 minutes, ${local.function_name}'s batches ended more than ${local.freshness_alarm_seconds} s after their oldest record reached ${local.stream_name} (p99 of ${local.metric.oldestEventAgeMs}): the table lags the events. With -iterator-age, the function is behind the stream (-throttles, -errors); alone, batches are slow or retried: the dashboard's duration and refused writes, the saved query ${local.function_name}/slowest batches. `make status` shows the table."
      namespace          = local.contract.namespace
      metric             = local.metric.oldestEventAgeMs
      dimensions         = { (local.contract.dimension) = aws_lambda_function.this.function_name }
      extended_statistic = "p99"
      period             = 300
      periods            = 3
      comparison         = "GreaterThanThreshold"
      threshold          = local.freshness_alarm_seconds * 1000 # the contract's unit: Milliseconds
      missing            = "notBreaching"                       # no batch line: an idle stream (a silent function is -errors, -stream-not-processed)
    }
  }

  # Alarms on metric math: queries, the last one the expression alarmed on.
  contract_dimensions = { (local.contract.dimension) = aws_lambda_function.this.function_name }
  math_alarms = {
    # A large share of the records is rejected: a producer changed its
    # format, or the decoder is wrong. rejects_arriving fires on any reject;
    # this one on a share, twice in a row, so a stray bad record at a trickle
    # (1 of 3 records) does not count twice. No batch, no data: notBreaching.
    reject_ratio = {
      name        = "reject-ratio"
      description = "More than ${var.reject_ratio_alarm_threshold * 100}% of the records ${local.function_name} read were rejected, in two 5-minute periods in a row (${local.metric.rejected} / ${local.metric.records}): a producer changed its format, or the decoder is wrong. `make rejects` groups them by reason, biggest first (`make rejects ARGS=--json` for scripts). The records are kept on ${local.rejects_stream_name} and in the archive: after a fix, ${local.replay_example} brings them into the table."
      queries = [
        { id = "records", metric = { namespace = local.contract.namespace, metric_name = local.metric.records, dimensions = local.contract_dimensions, stat = "Sum", period = 300 } },
        { id = "rejected", metric = { namespace = local.contract.namespace, metric_name = local.metric.rejected, dimensions = local.contract_dimensions, stat = "Sum", period = 300 } },
        { id = "ratio", expression = "rejected / records", label = "rejected / records" },
      ]
      periods    = 2
      comparison = "GreaterThanThreshold"
      threshold  = var.reject_ratio_alarm_threshold
      missing    = "notBreaching" # no batch line: no record read, none rejected
    }
    # Records arrive on the event stream but the function is not invoked: the
    # mapping is disabled, deleted or cannot poll, while Firehose still reads
    # (so stream_not_read stays quiet). Invocations (AWS/Lambda) rather than
    # the contract's records: it depends on the mapping alone, not on the
    # handler logging its line. Three 5-minute periods: the mapping waits at
    # most maximum_batching_window_in_seconds (<= 300 s) before invoking, so a
    # working one invokes in every other period while records arrive.
    stream_not_processed = {
      name        = "stream-not-processed"
      description = "Events arrive on ${local.stream_name} but ${local.function_name} was not invoked for 15 minutes (IncomingRecords > 0, Invocations 0): its event source mapping is disabled, deleted or cannot poll; the archive still gets the events. `make plan` (with the TF_ARGS you deploy with) shows a disabled or missing mapping, `make deploy` restores it, and it resumes where it stopped (a new one from the oldest record). Events older than ${var.stream_retention_hours} h are only in the archive: `make diff ARGS=--stream` shows what the table misses, ${local.replay_example} writes it."
      queries = [
        { id = "incoming", metric = { namespace = "AWS/Kinesis", metric_name = "IncomingRecords", dimensions = { StreamName = module.storage.stream_name }, stat = "Sum", period = 300 } },
        { id = "invocations", metric = { namespace = "AWS/Lambda", metric_name = "Invocations", dimensions = { FunctionName = aws_lambda_function.this.function_name }, stat = "Sum", period = 300 } },
        # FILL: both publish nothing while idle; 1 = records arrived, no invocation.
        { id = "unprocessed", expression = "IF(FILL(incoming, 0) > 0 AND FILL(invocations, 0) == 0, 1, 0)", label = "records arrived, function not invoked" },
      ]
      periods    = 3
      comparison = "GreaterThanOrEqualToThreshold"
      threshold  = 1
      missing    = "notBreaching" # neither metric has data: nothing arrived
    }
  }

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
  all_alarms = { for key, alarm in merge(local.function_count_alarms, local.alarms, local.math_alarms) :
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
