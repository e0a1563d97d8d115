variable "kinesis_endpoint" {
  description = "Kinesis emulator URL (kinesis-mock), e.g. http://127.0.0.1:4567 — usually $AWS_ENDPOINT_URL_KINESIS."
  type        = string

  validation {
    condition     = can(regex("^https?://", var.kinesis_endpoint))
    error_message = "kinesis_endpoint must be an http(s) URL."
  }
}

variable "dynamodb_endpoint" {
  description = "DynamoDB emulator URL (dynalite), e.g. http://127.0.0.1:4568 — usually $AWS_ENDPOINT_URL_DYNAMODB."
  type        = string

  validation {
    condition     = can(regex("^https?://", var.dynamodb_endpoint))
    error_message = "dynamodb_endpoint must be an http(s) URL."
  }
}

variable "aws_region" {
  description = "Region the emulators pretend to be in (kinesis-mock puts it in the stream ARNs)."
  type        = string
  default     = "us-east-1"
}

variable "stream_name" {
  description = "Kinesis stream of OOPS events."
  type        = string
  default     = "oops-events"
}

variable "rejects_stream_name" {
  description = "Kinesis stream of rejected records."
  type        = string
  default     = "oops-events-rejected"
}

variable "table_name" {
  description = "DynamoDB table of truck status."
  type        = string
  default     = "oops-trucks"
}

variable "stream_shard_count" {
  description = "Shards of the event stream (2 as in AWS; more shards exercise more concurrency)."
  type        = number
  default     = 2
}
