# Saved CloudWatch Logs Insights queries on the function's log group, in a
# folder named after the function (Logs Insights, Queries, Saved queries).
# The function writes each line as a top-level JSON object (not through
# console, so the JSON log format does not nest it under "message"), and Logs
# Insights discovers the fields of a JSON line by itself: no parse needed.
# The metric fields are named through the contract (handler/metrics.json).
locals {
  saved_queries = {
    # The ERROR lines about a truck: "truck not written" (the batch is retried
    # from `from`) and "truck refused by the table, records sent to the rejects".
    trucks_not_written = {
      name  = "trucks not written"
      query = <<-EOT
        fields @timestamp, msg, vin, `from`, error, requestId
        | filter level = "ERROR" and ispresent(vin)
        | sort @timestamp desc
        | limit 200
      EOT
    }
    # The rejected* counts of the batch lines, per 5 minutes.
    rejects_by_reason = {
      name  = "rejects by reason"
      query = <<-EOT
        filter msg = "batch"
        | stats sum(${local.metric.rejectedMalformed}) as malformed, sum(${local.metric.rejectedUnknownEvent}) as unknownEvent,
            sum(${local.metric.rejectedInvalidField}) as invalidField, sum(${local.metric.rejectedUnwritable}) as unwritable,
            sum(${local.metric.rejected}) as rejected, sum(${local.metric.records}) as records by bin(5m)
      EOT
    }
    # The batches that took longest, with where they were on the stream.
    slowest_batches = {
      name  = "slowest batches"
      query = <<-EOT
        fields @timestamp, ${local.metric.durationMs}, requestId, shardId, ${local.metric.records}, ${local.metric.trucks}, ${local.metric.writeRequests}, ${local.metric.failures}, retryFrom
        | filter msg = "batch"
        | sort ${local.metric.durationMs} desc
        | limit 50
      EOT
    }
  }
}

resource "aws_cloudwatch_query_definition" "this" {
  for_each = local.saved_queries

  name            = "${local.function_name}/${each.value.name}"
  query_string    = each.value.query
  log_group_names = [aws_cloudwatch_log_group.function.name]
}
