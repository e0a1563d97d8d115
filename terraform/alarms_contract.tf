# Alarms on the function's own metrics: the batch line each batch logs, an
# Embedded Metric Format document whose metrics handler/metrics.json lists
# (named through local.metric and local.contract, metrics.tf). The shape they
# share: alarms.tf.
locals {
  freshness_alarm_seconds = coalesce(var.freshness_alarm_seconds, var.maximum_batching_window_in_seconds + 300)

  # This function, as the contract's dimension names it.
  contract_dimensions = { (local.contract.dimension) = aws_lambda_function.this.function_name }

  contract_alarms = {
    # The function's batches end long after their oldest record reached the
    # stream: what a reader of the table sees as lag. p99 rather than the
    # maximum, so that one slow or retried batch does not page; with few
    # batches in 5 minutes the two are the same. IteratorAge (alarms_aws.tf) is
    # Lambda's early view of the same backlog; this one also counts the time
    # the batch took and its retries.
    freshness = {
      name               = "freshness"
      description        = "For 15 minutes, ${local.function_name}'s batches ended more than ${local.freshness_alarm_seconds} s after their oldest record reached ${local.stream_name} (p99 of ${local.metric.oldestEventAgeMs}): the table lags the events. With -iterator-age, the function is behind the stream (-throttles, -errors); alone, batches are slow or retried: the dashboard's duration and refused writes, the saved query ${local.function_name}/slowest batches. `make status` shows the table."
      namespace          = local.contract.namespace
      metric             = local.metric.oldestEventAgeMs
      dimensions         = local.contract_dimensions
      extended_statistic = "p99"
      period             = 300
      periods            = 3
      comparison         = "GreaterThanThreshold"
      threshold          = local.freshness_alarm_seconds * 1000 # the contract's unit: Milliseconds
      missing            = "notBreaching"                       # no batch line: an idle stream (a silent function is -errors, -stream-not-processed)
    }
    # A large share of the records is rejected: a producer changed its
    # format, or the decoder is wrong. rejects_arriving fires on any reject;
    # this one on a share, twice in a row, so a stray bad record at a trickle
    # (1 of 3 records) does not count twice. No batch, no data: notBreaching.
    # Metric math: queries, the last one the expression alarmed on.
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
  }
}
