output "stream_name" {
  description = "Name of the event stream."
  value       = aws_kinesis_stream.events.name
}

output "stream_arn" {
  description = "ARN of the event stream."
  value       = aws_kinesis_stream.events.arn
}

output "rejects_stream_name" {
  description = "Name of the rejects stream."
  value       = aws_kinesis_stream.rejects.name
}

output "rejects_stream_arn" {
  description = "ARN of the rejects stream."
  value       = aws_kinesis_stream.rejects.arn
}

output "table_name" {
  description = "Name of the active truck table (the one the function writes)."
  value       = aws_dynamodb_table.trucks[var.active_table_generation].name
}

output "table_names" {
  description = "Every truck table by generation (\"\" is the first): name."
  value       = { for g, t in aws_dynamodb_table.trucks : g => t.name }
}

output "table_arns" {
  description = "Every truck table by generation: ARN."
  value       = { for g, t in aws_dynamodb_table.trucks : g => t.arn }
}

# The whole resources, for callers and for the root module's tests (terraform
# test can only see a child module's outputs, not its resources).
output "events_stream" {
  description = "The event stream resource."
  value       = aws_kinesis_stream.events
}

output "rejects_stream" {
  description = "The rejects stream resource."
  value       = aws_kinesis_stream.rejects
}

output "table" {
  description = "The active truck table resource."
  value       = aws_dynamodb_table.trucks[var.active_table_generation]
}

output "tables" {
  description = "Every truck table resource, by generation."
  value       = aws_dynamodb_table.trucks
}
