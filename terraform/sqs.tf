# On-failure destination of the event source mapping. For a Kinesis source
# Lambda sends only the batch's metadata (shard id, first and last sequence
# number, error), not the records: `make redrive` replays the archive (and
# the stream, while it retains them) over those batches' time range.
resource "aws_sqs_queue" "dlq" {
  name                      = local.dlq_name
  sqs_managed_sse_enabled   = true
  message_retention_seconds = 1209600 # 14 days, the maximum
}
