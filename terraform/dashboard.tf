# One CloudWatch dashboard per deployment, named after the function: what the
# function reports in its batch lines (handler/metrics.json, local.metric) and
# what AWS publishes for the stream, the function, the DLQ and the archive. No
# other metric: nothing here needs a metric filter or a PutMetricData call.
# The README's section "Running it in AWS" says what each graph means; the
# text widget at the top says it in short.
locals {
  dashboard_name = local.function_name
  function_dims  = ["FunctionName", aws_lambda_function.this.function_name]
  stream_dims    = ["StreamName", module.storage.stream_name]
  firehose_dims  = ["DeliveryStreamName", aws_kinesis_firehose_delivery_stream.archive.name]

  # A contract metric row with its options: id, label, stat, visibility.
  #   concat(local.contract_row.records, [{ id = "records", visible = false }])
  # An AWS metric row is [namespace, metric, dimension, value, {options}].
  dashboard_graphs = [
    {
      title = "Events per second: arriving on ${module.storage.stream_name}, read by the function"
      metrics = [
        concat(["AWS/Kinesis", "IncomingRecords"], local.stream_dims, [{ id = "incoming", stat = "Sum", visible = false }]),
        concat(local.contract_row[local.metric.records], [{ id = "records", stat = "Sum", visible = false }]),
        [{ id = "in_per_s", expression = "incoming / PERIOD(incoming)", label = "arriving (Kinesis IncomingRecords)" }],
        [{ id = "read_per_s", expression = "records / PERIOD(records)", label = "read by the function (${local.metric.records})" }],
      ]
      yAxis = { left = { min = 0, label = "events/s", showUnits = false } }
    },
    {
      title  = "Freshness: age of a batch's oldest and newest record when the batch ends"
      period = 60
      metrics = [
        concat(local.contract_row[local.metric.oldestEventAgeMs], [{ stat = "p50", label = "oldest p50" }]),
        concat(local.contract_row[local.metric.oldestEventAgeMs], [{ stat = "p99", label = "oldest p99 (alarm)" }]),
        concat(local.contract_row[local.metric.oldestEventAgeMs], [{ stat = "Maximum", label = "oldest max" }]),
        concat(local.contract_row[local.metric.newestEventAgeMs], [{ stat = "p50", label = "newest p50" }]),
        concat(local.contract_row[local.metric.newestEventAgeMs], [{ stat = "p99", label = "newest p99" }]),
        concat(local.contract_row[local.metric.newestEventAgeMs], [{ stat = "Maximum", label = "newest max" }]),
      ]
      annotations = { horizontal = [{ label = "freshness alarm (p99, 5 min)", value = local.freshness_alarm_seconds * 1000 }] }
      yAxis       = { left = { min = 0, label = "ms", showUnits = false } }
    },
    {
      title       = "Lambda iterator age: how far the function is behind the stream"
      metrics     = [concat(["AWS/Lambda", "IteratorAge"], local.function_dims, [{ stat = "Maximum", label = "IteratorAge max" }])]
      annotations = { horizontal = [{ label = "iterator-age alarm", value = var.iterator_age_alarm_ms }] }
      yAxis       = { left = { min = 0, label = "ms", showUnits = false } }
    },
    {
      title   = "Rejected records by group (stacked)"
      stacked = true
      period  = 300
      metrics = [for name in [local.metric.rejectedMalformed, local.metric.rejectedUnknownEvent, local.metric.rejectedInvalidField, local.metric.rejectedUnwritable] :
        concat(local.contract_row[name], [{ stat = "Sum", label = name }])
      ]
      yAxis = { left = { min = 0, label = "records per 5 min", showUnits = false } }
    },
    {
      title  = "Reject ratio: rejected / records, per 5 minutes"
      period = 300
      metrics = [
        concat(local.contract_row[local.metric.rejected], [{ id = "rejected", stat = "Sum", visible = false }]),
        concat(local.contract_row[local.metric.records], [{ id = "records", stat = "Sum", visible = false }]),
        [{ id = "ratio", expression = "rejected / records", label = "rejected / records" }],
      ]
      annotations = { horizontal = [{ label = "reject-ratio alarm", value = var.reject_ratio_alarm_threshold }] }
      yAxis       = { left = { min = 0, max = 1, showUnits = false } }
    },
    {
      title  = "Writes per event: UpdateItem requests and trucks per record read"
      period = 300
      metrics = [
        concat(local.contract_row[local.metric.writeRequests], [{ id = "writes", stat = "Sum", visible = false }]),
        concat(local.contract_row[local.metric.trucks], [{ id = "trucks", stat = "Sum", visible = false }]),
        concat(local.contract_row[local.metric.records], [{ id = "records", stat = "Sum", visible = false }]),
        [{ id = "writes_per_event", expression = "writes / records", label = "writes per event (${local.metric.writeRequests} / ${local.metric.records})" }],
        [{ id = "trucks_per_event", expression = "trucks / records", label = "trucks per event (${local.metric.trucks} / ${local.metric.records})" }],
      ]
      yAxis = { left = { min = 0, showUnits = false } }
    },
    {
      title = "Writes refused and skipped; trucks not written"
      metrics = [
        concat(local.contract_row[local.metric.conditionFailures], [{ stat = "Sum", label = "refused: the table held newer (${local.metric.conditionFailures})" }]),
        concat(local.contract_row[local.metric.skippedByFloor], [{ stat = "Sum", label = "skipped: known to be older (${local.metric.skippedByFloor})" }]),
        concat(local.contract_row[local.metric.failures], [{ stat = "Sum", label = "not written, batch retried (${local.metric.failures})" }]),
      ]
      yAxis = { left = { min = 0, label = "per minute", showUnits = false } }
    },
    {
      title = "Lambda invocations, errors, throttles"
      metrics = [
        concat(["AWS/Lambda", "Invocations"], local.function_dims, [{ stat = "Sum" }]),
        concat(["AWS/Lambda", "Errors"], local.function_dims, [{ stat = "Sum", yAxis = "right" }]),
        concat(["AWS/Lambda", "Throttles"], local.function_dims, [{ stat = "Sum", yAxis = "right" }]),
        concat(["AWS/Lambda", "DestinationDeliveryFailures"], local.function_dims, [{ stat = "Sum", yAxis = "right" }]),
      ]
      yAxis = { left = { min = 0, label = "invocations", showUnits = false }, right = { min = 0, label = "errors, throttles", showUnits = false } }
    },
    {
      title = "Duration: Lambda's per invocation, the function's per batch"
      metrics = [
        concat(["AWS/Lambda", "Duration"], local.function_dims, [{ stat = "p50", label = "Lambda Duration p50" }]),
        concat(["AWS/Lambda", "Duration"], local.function_dims, [{ stat = "p99", label = "Lambda Duration p99" }]),
        concat(["AWS/Lambda", "Duration"], local.function_dims, [{ stat = "Maximum", label = "Lambda Duration max" }]),
        concat(local.contract_row[local.metric.durationMs], [{ stat = "p99", label = "batch ${local.metric.durationMs} p99" }]),
      ]
      annotations = { horizontal = [{ label = "timeout", value = aws_lambda_function.this.timeout * 1000 }] }
      yAxis       = { left = { min = 0, label = "ms", showUnits = false } }
    },
    {
      title   = "DLQ depth: failed batches waiting in ${aws_sqs_queue.dlq.name}"
      period  = 300
      metrics = [concat(["AWS/SQS", "ApproximateNumberOfMessagesVisible"], ["QueueName", aws_sqs_queue.dlq.name], [{ stat = "Maximum", label = "messages (make redrive)" }])]
      yAxis   = { left = { min = 0, showUnits = false } }
    },
    {
      title  = "Archive: ${aws_kinesis_firehose_delivery_stream.archive.name} to S3"
      period = 300
      metrics = [
        concat(["AWS/Firehose", "DeliveryToS3.DataFreshness"], local.firehose_dims, [{ stat = "Maximum", label = "oldest record held (s)" }]),
        concat(["AWS/Firehose", "DeliveryToS3.Success"], local.firehose_dims, [{ stat = "Minimum", label = "S3 writes succeeded (1 = all)", yAxis = "right" }]),
      ]
      annotations = { horizontal = [{ label = "archive-behind alarm", value = local.archive_freshness_alarm_seconds }] }
      yAxis       = { left = { min = 0, label = "s", showUnits = false }, right = { min = 0, max = 1, showUnits = false } }
    },
    {
      title  = "Streams: reads of ${module.storage.stream_name}, records put on ${module.storage.rejects_stream_name}"
      period = 300
      metrics = [
        concat(["AWS/Kinesis", "GetRecords.Success"], local.stream_dims, [{ stat = "Sum", label = "successful GetRecords (every reader)" }]),
        concat(["AWS/Firehose", "DataReadFromKinesisStream.Records"], local.firehose_dims, [{ stat = "Sum", label = "records read by the archive", yAxis = "right" }]),
        concat(["AWS/Kinesis", "IncomingRecords"], ["StreamName", module.storage.rejects_stream_name], [{ stat = "Sum", label = "rejects put", yAxis = "right" }]),
      ]
      yAxis = { left = { min = 0, label = "GetRecords", showUnits = false }, right = { min = 0, label = "records", showUnits = false } }
    },
  ]

  # One line per row of graphs, in their order.
  dashboard_text = <<-EOT
    ## ${local.function_name} in ${var.aws_region}: events from ${module.storage.stream_name} into ${module.storage.table_name}
    What each graph means, and what to do when an alarm fires: README.md, section **Running it in AWS**. The function's counts come from the line it logs per batch (namespace ${local.contract.namespace}, dimension ${local.contract.dimension}); the rest is what AWS publishes.

    * **Events per second** put on the stream and read by the function (the lines part when it falls behind) · **Freshness**: how old a batch's oldest and newest records are when it ends, i.e. how far the table lags the events (alarm: p99 above ${local.freshness_alarm_seconds} s) · **Iterator age**: Lambda's view of the same lag.
    * **Rejected records by group** (malformed, unknown event, invalid field; unwritable: refused by the table for good) and the **reject ratio**: `make rejects` lists them by reason · **Writes per event**: UpdateItem requests per record read, low when a batch holds the same trucks again and again.
    * **Refused and skipped**: writes the table refused because it held newer values, trucks not sent because the function knew so already, trucks not written (the batch is retried) · **Invocations, errors, throttles** · **Duration** of each invocation and batch, against the timeout.
    * **DLQ depth**: batches given up on, `make redrive` brings them back · **Archive**: the oldest record Firehose holds, its S3 writes · **Streams**: reads of the event stream by every reader, records put on the rejects stream.
  EOT

  dashboard_widgets = concat(
    [
      { type = "text", x = 0, y = 0, width = 24, height = 5, properties = { markdown = local.dashboard_text } },
      { type = "alarm", x = 0, y = 5, width = 24, height = 3, properties = {
        title  = "Alarms"
        alarms = sort([for alarm in aws_cloudwatch_metric_alarm.this : alarm.arn])
      } },
    ],
    # Three graphs a row, 8 of the 24 columns each.
    [for i, graph in local.dashboard_graphs : {
      type       = "metric"
      x          = (i % 3) * 8
      y          = 8 + floor(i / 3) * 6
      width      = 8
      height     = 6
      properties = merge({ region = var.aws_region, view = "timeSeries", stacked = false, period = 60 }, graph)
    }],
  )
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = local.dashboard_name
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })

  lifecycle {
    # The freshness and duration graphs and the freshness alarm's threshold
    # are in milliseconds.
    precondition {
      condition     = alltrue([for name in local.contract_milliseconds : local.contract.metrics[name].unit == "Milliseconds"])
      error_message = "handler/metrics.json: ${join(", ", local.contract_milliseconds)} must be in Milliseconds (the dashboard and the freshness alarm assume it)."
    }
  }
}
