# The data plane of OOPS truck status: the event stream, the rejects stream and
# the truck table. Used by the AWS deployment (../../) and by the emulator
# configuration (../../local), which is why every feature an emulator may not
# implement (KMS encryption, point-in-time recovery, tags) can be switched off.

variable "stream_name" {
  description = "Name of the Kinesis stream the OOPS events arrive on."
  type        = string
}

variable "rejects_stream_name" {
  description = "Name of the Kinesis stream rejected records are forwarded to."
  type        = string
}

variable "table_name" {
  description = "Name of the DynamoDB table of truck status (hash key vin); generation g of it is named <table_name>-<g>."
  type        = string
}

variable "table_generations" {
  description = "The truck tables that exist, by generation: \"\" is table_name, g is table_name-g (a rebuild adds one, the operator drops the old one)."
  type        = set(string)
  default     = [""]

  validation {
    condition     = length(var.table_generations) > 0 && alltrue([for g in var.table_generations : can(regex("^[a-z0-9]{0,24}$", g))])
    error_message = "table_generations: at least one, each \"\" or 1 to 24 of a-z 0-9."
  }
}

variable "active_table_generation" {
  description = "The generation the function reads and writes (table_name output); one of table_generations."
  type        = string
  default     = ""

  validation {
    condition     = contains(var.table_generations, var.active_table_generation)
    error_message = "active_table_generation \"${var.active_table_generation}\" is not one of table_generations ${jsonencode(var.table_generations)}: add it to table_generations first."
  }
}

variable "stream_mode" {
  description = "Kinesis capacity mode of both streams: PROVISIONED (shard counts below) or ON_DEMAND."
  type        = string
  default     = "PROVISIONED"

  validation {
    condition     = contains(["PROVISIONED", "ON_DEMAND"], var.stream_mode)
    error_message = "stream_mode must be PROVISIONED or ON_DEMAND."
  }
}

variable "stream_shard_count" {
  description = "Shards of the event stream in PROVISIONED mode."
  type        = number
  default     = 2

  validation {
    condition     = var.stream_shard_count >= 1 && floor(var.stream_shard_count) == var.stream_shard_count
    error_message = "stream_shard_count must be a whole number >= 1."
  }
}

variable "rejects_shard_count" {
  description = "Shards of the rejects stream in PROVISIONED mode."
  type        = number
  default     = 1

  validation {
    condition     = var.rejects_shard_count >= 1 && floor(var.rejects_shard_count) == var.rejects_shard_count
    error_message = "rejects_shard_count must be a whole number >= 1."
  }
}

variable "stream_retention_hours" {
  description = "How long both streams keep records (24 to 8760 hours; above 24 costs extra)."
  type        = number
  default     = 24

  validation {
    condition     = var.stream_retention_hours >= 24 && var.stream_retention_hours <= 8760
    error_message = "stream_retention_hours must be between 24 and 8760."
  }
}

variable "stream_encryption" {
  description = "Encrypt both streams at rest with KMS (turn off only for emulators)."
  type        = bool
  default     = true
}

variable "stream_kms_key_id" {
  description = "KMS key for the streams: the AWS-managed alias/aws/kinesis, or a customer managed key ARN."
  type        = string
  default     = "alias/aws/kinesis"
}

variable "table_billing_mode" {
  description = "PAY_PER_REQUEST (on-demand) or PROVISIONED (table_read_capacity / table_write_capacity)."
  type        = string
  default     = "PAY_PER_REQUEST"

  validation {
    condition     = contains(["PAY_PER_REQUEST", "PROVISIONED"], var.table_billing_mode)
    error_message = "table_billing_mode must be PAY_PER_REQUEST or PROVISIONED."
  }
}

variable "table_read_capacity" {
  description = "Read capacity units in PROVISIONED mode."
  type        = number
  default     = 5
}

variable "table_write_capacity" {
  description = "Write capacity units in PROVISIONED mode."
  type        = number
  default     = 5
}

variable "enable_pitr" {
  description = "Point-in-time recovery of the table (turn off only for emulators)."
  type        = bool
  default     = true
}

variable "table_sse" {
  description = "Declare server-side encryption with KMS on the table (AWS-managed aws/dynamodb key unless table_kms_key_arn is set). Off = DynamoDB's default AWS-owned key, which is what emulators need."
  type        = bool
  default     = true
}

variable "table_kms_key_arn" {
  description = "Customer managed KMS key for the table; null = the AWS-managed aws/dynamodb key."
  type        = string
  default     = null
}

variable "table_deletion_protection" {
  description = "Refuse to delete the tables (then `terraform destroy`, or dropping a generation, fails until it is turned off). Off only for emulators."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for the streams and the table (the AWS deployment uses provider default_tags instead)."
  type        = map(string)
  default     = {}
}
