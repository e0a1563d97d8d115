output "stream_name" {
  description = "Kinesis stream the events go to."
  value       = module.storage.stream_name
}

output "stream_arn" {
  description = "ARN of the event stream."
  value       = module.storage.stream_arn
}

output "rejects_stream_name" {
  description = "Kinesis stream of rejected records."
  value       = module.storage.rejects_stream_name
}

output "table_name" {
  description = "DynamoDB table of truck status: the active generation's, the one the function writes."
  value       = module.storage.table_name
}

output "table_names" {
  description = "Every truck table, by generation (\"\" is the first, named table_name itself)."
  value       = module.storage.table_names
}

output "active_table_generation" {
  description = "The generation the function writes to (table_name is its table)."
  value       = var.active_table_generation
}

output "archive_bucket" {
  description = "S3 bucket of the event archive."
  value       = aws_s3_bucket.archive.bucket
}

output "archive_prefix" {
  description = "Key prefix of the archived events: <prefix>year=YYYY/month=MM/day=DD/hour=HH/<object>.gz, one record per line, UTC hour of arrival."
  value       = local.archive_prefix
}

output "archive_error_prefix" {
  description = "Key prefix of what Firehose could not process: <prefix><error type>/year=YYYY/month=MM/day=DD/hour=HH/."
  value       = local.archive_error_prefix
}

output "firehose_name" {
  description = "The Firehose stream that archives the event stream."
  value       = aws_kinesis_firehose_delivery_stream.archive.name
}

output "function_name" {
  description = "The Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "log_group_name" {
  description = "The function's log group (JSON logs)."
  value       = aws_cloudwatch_log_group.function.name
}

output "dlq_url" {
  description = "SQS queue receiving the position of batches that kept failing."
  value       = aws_sqs_queue.dlq.url
}

output "generate_hint" {
  description = "Send generated OOPS events to the deployed stream: `make generate` reads STREAM (the generator's --stream) and AWS_REGION. Without them it uses terraform/outputs.json, which `make deploy` writes."
  value       = "make generate STREAM=${module.storage.stream_name} AWS_REGION=${var.aws_region}"
}

output "outputs_hint" {
  description = "Point the tools (make generate, status, dashboard, rejects, diff, replay, redrive) back at this deployment: `make outputs` rewrites terraform/outputs.json from this state (DEPLOY_ENV= empty is the main copy)."
  value       = "make outputs AWS_REGION=${var.aws_region} DEPLOY_ENV=${local.deploy_env}"
}

output "dashboard_name" {
  description = "The CloudWatch dashboard of this deployment (README: Running it in AWS)."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "dashboard_url" {
  description = "The dashboard in the CloudWatch console (built from the region and the name, no API call)."
  value       = "https://${local.console_host}/cloudwatch/home?region=${var.aws_region}#dashboards:name=${aws_cloudwatch_dashboard.this.dashboard_name}"
}

output "saved_queries" {
  description = "The saved Logs Insights queries on the function's log group (Logs Insights, Saved queries)."
  value       = sort([for query in aws_cloudwatch_query_definition.this : query.name])
}

locals {
  # The console's address per partition (GovCloud and China have their own).
  console_host = lookup({
    "aws-us-gov" = "console.amazonaws-us-gov.com"
    "aws-cn"     = "console.amazonaws.cn"
  }, data.aws_partition.current.partition, "${var.aws_region}.console.aws.amazon.com")
}
