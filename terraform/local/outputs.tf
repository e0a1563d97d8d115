output "stream_name" {
  description = "Event stream in kinesis-mock."
  value       = module.storage.stream_name
}

output "stream_arn" {
  description = "ARN kinesis-mock gave the event stream (what a local event source mapping reads)."
  value       = module.storage.stream_arn
}

output "rejects_stream_name" {
  description = "Rejects stream in kinesis-mock (REJECTS_STREAM_NAME)."
  value       = module.storage.rejects_stream_name
}

output "table_name" {
  description = "Truck table in dynalite (TABLE_NAME)."
  value       = module.storage.table_name
}
