# Alarms on what AWS publishes for the pipeline: Lambda's metrics of the
# function and its event source mapping, Kinesis's of the two streams, SQS's
# of the DLQ. The shape they share, and what a period without data means for
# each: alarms.tf.
locals {
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

  # The others, each with a metric (or metric math) and a shape of its own.
  aws_alarms = {
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
    # Records arrive on the event stream but the function is not invoked: the
    # mapping is disabled, deleted or cannot poll, while Firehose still reads
    # (so stream_not_read stays quiet). Invocations (AWS/Lambda) rather than
    # the contract's records: it depends on the mapping alone, not on the
    # handler logging its line. Three 5-minute periods: the mapping waits at
    # most maximum_batching_window_in_seconds (<= 300 s) before invoking, so a
    # working one invokes in every other period while records arrive.
    # Metric math: queries, the last one the expression alarmed on.
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
}
