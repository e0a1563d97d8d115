# OOPS truck status on AWS: events arrive on a Kinesis stream, a Lambda
# function folds each micro-batch into one DynamoDB row per truck, rejected
# records go to a second stream, batches that keep failing leave their position
# in an SQS dead-letter queue, Firehose archives every event in S3, and
# CloudWatch alarms watch all of it.
#
#   storage.tf   the two streams and the truck tables (modules/storage, shared with ./local)
#   archive.tf   the S3 bucket every event is archived in
#   firehose.tf  the Firehose stream that archives the event stream, its role and logs
#   sqs.tf       the on-failure destination of the event source mapping
#   iam.tf       the function's role and its least-privilege policy; the
#                trust policy of both roles (the function's, the archive's)
#   lambda.tf    the function, its log group, the event source mapping
#   metrics.tf   the function's own metrics: handler/metrics.json, read once
#   alarms.tf    the alarms, one resource for all; what each watches:
#                alarms_aws.tf (what AWS publishes for the function, the
#                streams, the DLQ), alarms_contract.tf (the function's own
#                metrics), alarms_archive.tf (the archive's delivery);
#                alarms_notify.tf whom they notify (a deploy needs someone)
#   dashboard.tf the CloudWatch dashboard; queries.tf the saved Logs Insights queries

locals {
  stream_name         = "${var.name_prefix}${var.stream_name}"
  rejects_stream_name = "${var.name_prefix}${var.rejects_stream_name}"
  table_name          = "${var.name_prefix}${var.table_name}"
  function_name       = "${var.name_prefix}${var.function_name}"
  dlq_name            = "${var.name_prefix}${var.function_name}-dlq"
  log_group_name      = "/aws/lambda/${local.function_name}"
  firehose_name       = "${local.stream_name}-archive"

  # Bucket names are global to S3: the account and region make the default
  # unique (local.account_id, iam.tf, needs no STS call).
  archive_bucket_name = coalesce(var.archive_bucket_name, "${var.name_prefix}oops-events-archive-${local.account_id}-${var.aws_region}")

  # handler/dist/function.zip holds index.mjs (the bundle, exporting
  # `handler`) at its root; `make build` writes it (rollup.config.mjs),
  # reproducibly, so an unchanged bundle is no change here.
  function_zip     = coalesce(var.function_zip, "${path.module}/../handler/dist/function.zip")
  function_handler = "index.handler"

  tags = merge(var.tags, {
    Project   = "oops-truck-status"
    ManagedBy = "terraform"
  })
}
