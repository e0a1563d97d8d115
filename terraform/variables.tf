# ---------------------------------------------------------------- where / how
variable "aws_region" {
  description = "AWS region to deploy to (the Makefile passes $AWS_REGION). It is part of the IAM role's name, so the same stack can live in several regions of one account."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.aws_region))
    error_message = "aws_region must be a region name such as us-east-1 or eu-west-1."
  }
}

variable "allowed_account_ids" {
  description = "AWS account ids this stack may be deployed to; the provider refuses any other account before changing anything. Empty = no check (not recommended for a real account)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.allowed_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "allowed_account_ids: each entry must be a 12-digit AWS account id."
  }
}

variable "offline_plan" {
  description = "Plan without AWS: fixed fake keys, no credential validation, account-id lookup, account check or metadata API. For `make plan OFFLINE=1` only; the Makefile never passes it to apply or destroy."
  type        = bool
  default     = false
}

variable "name_prefix" {
  description = "Prefix for every resource name (e.g. \"dev-\"), so several copies can share an account; `make DEPLOY_ENV=dev` sets it to dev-."
  type        = string
  default     = ""

  # The prefix starts the name of a Kinesis stream, a DynamoDB table, a Lambda
  # function, an SQS queue, IAM roles and policies, log groups, a Firehose
  # stream, CloudWatch alarms, a dashboard and saved queries, and an SNS topic.
  # Their common alphabet is A-Z a-z 0-9 _ -: SQS and Lambda refuse '.', which
  # Kinesis, DynamoDB and IAM would accept. (S3 is stricter: the archive
  # bucket's default name has a check of its own, archive_bucket_name.)
  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{0,20}$", var.name_prefix))
    error_message = "name_prefix: at most 20 of A-Z a-z 0-9 _ - (no '.': SQS queue and Lambda function names do not allow it)."
  }
}

variable "tags" {
  description = "Extra tags for every resource (added to Project and ManagedBy)."
  type        = map(string)
  default     = {}
}

# ---------------------------------------------------------------- names
variable "stream_name" {
  description = "Kinesis stream of OOPS events."
  type        = string
  default     = "oops-events"

  # The archive's Firehose stream and its IAM role are named after it
  # (local.firehose_name in main.tf, local.archive_role_name in firehose.tf);
  # the role's name is the longer, and IAM allows 64 characters.
  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+$", var.stream_name)) && length("${var.name_prefix}${var.stream_name}-archive-${var.aws_region}") <= 64
    error_message = "stream_name: A-Z a-z 0-9 _ . - only, and the archive's IAM role ${var.name_prefix}${var.stream_name}-archive-${var.aws_region} must fit in 64 characters."
  }
}

variable "rejects_stream_name" {
  description = "Kinesis stream of rejected records (REJECTS_STREAM_NAME of the function)."
  type        = string
  default     = "oops-events-rejected"
}

variable "table_name" {
  description = "DynamoDB table of truck status (TABLE_NAME of the function)."
  type        = string
  default     = "oops-trucks"
}

variable "function_name" {
  description = "Lambda function that folds the events into the table."
  type        = string
  default     = "oops-truck-status"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "function_name: 1 to 64 of A-Z a-z 0-9 _ -"
  }

  # The longest name built from it is the IAM role's, local.role_name in
  # iam.tf (a validation cannot refer to the local: it depends on this variable).
  validation {
    condition     = length("${var.name_prefix}${var.function_name}-exec-${var.aws_region}") <= 64
    error_message = "The IAM role name ${var.name_prefix}${var.function_name}-exec-${var.aws_region} is longer than the 64 characters IAM allows: shorten name_prefix (DEPLOY_ENV) or function_name."
  }
}

# ---------------------------------------------------------------- Kinesis
variable "stream_mode" {
  description = "PROVISIONED (stream_shard_count / rejects_shard_count) or ON_DEMAND, for both streams."
  type        = string
  default     = "PROVISIONED"

  validation {
    condition     = contains(["PROVISIONED", "ON_DEMAND"], var.stream_mode)
    error_message = "stream_mode must be PROVISIONED or ON_DEMAND."
  }
}

variable "stream_shard_count" {
  description = "Shards of the event stream in PROVISIONED mode (each: 1 MB/s or 1000 records/s in)."
  type        = number
  default     = 2
}

variable "rejects_shard_count" {
  description = "Shards of the rejects stream in PROVISIONED mode."
  type        = number
  default     = 1
}

variable "stream_retention_hours" {
  description = "Retention of both streams, in hours (24 to 8760; above 24 costs extra)."
  type        = number
  default     = 24
}

variable "kinesis_kms_key_arn" {
  description = "Customer managed KMS key ARN for both streams, in the deploy region; null = the AWS-managed alias/aws/kinesis (no key policy or IAM grant needed)."
  type        = string
  default     = null

  validation {
    condition     = var.kinesis_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kinesis_kms_key_arn))
    error_message = "kinesis_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias."
  }

  # Kinesis encrypts with a key of its own region only. (A malformed ARN is
  # the rule above's to report, hence the try.)
  validation {
    condition     = var.kinesis_kms_key_arn == null || try(split(":", var.kinesis_kms_key_arn)[3] == var.aws_region, true)
    error_message = "kinesis_kms_key_arn is a key in ${try(split(":", var.kinesis_kms_key_arn)[3], "?")}, but the stack deploys to ${var.aws_region}: Kinesis needs a key in the stream's region (for a multi-Region key, its replica there)."
  }
}

# ---------------------------------------------------------------- DynamoDB
variable "table_billing_mode" {
  description = "PAY_PER_REQUEST (on-demand) or PROVISIONED (table_read_capacity / table_write_capacity)."
  type        = string
  default     = "PAY_PER_REQUEST"
}

variable "table_read_capacity" {
  description = "Read capacity units when table_billing_mode = PROVISIONED."
  type        = number
  default     = 5
}

variable "table_write_capacity" {
  description = "Write capacity units when table_billing_mode = PROVISIONED."
  type        = number
  default     = 5
}

variable "enable_pitr" {
  description = "Point-in-time recovery of the table."
  type        = bool
  default     = true
}

variable "table_deletion_protection" {
  description = "Refuse to delete the truck tables, whatever asks (an apply, the console, the CLI). `make destroy` lifts it first, in a step of its own that shows the plan and asks."
  type        = bool
  default     = true
}

# The set of truck tables and the one the function writes: `make rebuild`
# keeps them in state/<env>/<region>/tables.tfvars.json, which the Makefile
# passes to plan, deploy and destroy (terraform/README.md, Truck tables).
variable "table_generations" {
  description = "Generations of the truck table that exist: \"\" is table_name (e.g. oops-trucks), g is table_name-g (oops-trucks-g). A rebuild adds one; an old one stays until the operator drops it."
  type        = set(string)
  default     = [""]

  validation {
    condition     = length(var.table_generations) > 0 && alltrue([for g in var.table_generations : can(regex("^[a-z0-9]{0,24}$", g))])
    error_message = "table_generations: at least one generation, each \"\" or 1 to 24 of a-z 0-9 (it ends the table's name: oops-trucks-<g>)."
  }
}

variable "active_table_generation" {
  description = "The generation the function writes to (its TABLE_NAME, the table_name output); must be one of table_generations."
  type        = string
  default     = ""

  validation {
    condition     = contains(var.table_generations, var.active_table_generation)
    error_message = "active_table_generation \"${var.active_table_generation}\" is not one of table_generations ${jsonencode(var.table_generations)}: the function would write to a table that does not exist. Add the generation to table_generations first (state/<env>/<region>/tables.tfvars.json)."
  }
}

# ---------------------------------------------------------------- the archive
# Every record put on the event stream, byte for byte, one per line, gzipped,
# in S3 (archive.tf, firehose.tf): what replay and rebuild read.
variable "archive_bucket_name" {
  description = "S3 bucket of the event archive; null = <name_prefix>oops-events-archive-<account id>-<region> (bucket names are global to all of S3)."
  type        = string
  default     = null

  validation {
    condition = var.archive_bucket_name == null || try(
      can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.archive_bucket_name))
      && !anytrue([for p in ["xn--", "sthree-", "amzn-s3-demo-"] : startswith(var.archive_bucket_name, p)])
      && !anytrue([for s in ["-s3alias", "--ol-s3", "--x-s3", "--table-s3"] : endswith(var.archive_bucket_name, s)]),
      false
    )
    error_message = "archive_bucket_name must be an S3 bucket name: 3 to 63 of a-z 0-9 -, starting and ending with a letter or digit (no '.': a dotted name breaks TLS for virtual-hosted requests, and the bucket accepts TLS only)."
  }

  # The default name, with a 12-digit account id in it (the real one is only
  # known after apply: nothing here calls STS).
  validation {
    condition = var.archive_bucket_name != null || (
      length("${var.name_prefix}oops-events-archive-123456789012-${var.aws_region}") <= 63
      && can(regex("^[a-z0-9-]*$", var.name_prefix))
    )
    error_message = "The archive bucket's default name ${var.name_prefix}oops-events-archive-<12-digit account id>-${var.aws_region} is ${length("${var.name_prefix}oops-events-archive-123456789012-${var.aws_region}")} characters or has characters S3 refuses (at most 63 of a-z 0-9 -): set archive_bucket_name, or use a shorter, lower-case DEPLOY_ENV without '_'."
  }
}

variable "archive_kms_key_arn" {
  description = "Customer managed KMS key for the archive bucket, in the deploy region; null = SSE-S3 (AES256, no key to manage). With a key, whoever replays the archive needs kms:Decrypt on it too."
  type        = string
  default     = null

  validation {
    condition     = var.archive_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.archive_kms_key_arn))
    error_message = "archive_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias."
  }

  validation {
    condition     = var.archive_kms_key_arn == null || try(split(":", var.archive_kms_key_arn)[3] == var.aws_region, true)
    error_message = "archive_kms_key_arn is a key in ${try(split(":", var.archive_kms_key_arn)[3], "?")}, but the bucket is in ${var.aws_region}: S3 encrypts with keys of the bucket's region."
  }
}

variable "archive_buffering_mb" {
  description = "Firehose writes an archive object when it holds this many MB (1 to 128), or after archive_buffering_seconds, whichever comes first."
  type        = number
  default     = 64

  validation {
    condition     = var.archive_buffering_mb >= 1 && var.archive_buffering_mb <= 128 && floor(var.archive_buffering_mb) == var.archive_buffering_mb
    error_message = "archive_buffering_mb must be a whole number from 1 to 128."
  }
}

variable "archive_buffering_seconds" {
  description = "At most this many seconds between an event reaching Firehose and its archive object (0 to 900): the archive's lag. Lower means more, smaller objects (more S3 requests)."
  type        = number
  default     = 300

  validation {
    condition     = var.archive_buffering_seconds >= 0 && var.archive_buffering_seconds <= 900 && floor(var.archive_buffering_seconds) == var.archive_buffering_seconds
    error_message = "archive_buffering_seconds must be a whole number from 0 to 900."
  }
}

variable "archive_transition_days" {
  description = "Days after which archive objects move to archive_storage_class; null = never (they stay in S3 Standard)."
  type        = number
  default     = 30

  validation {
    condition     = var.archive_transition_days == null || try(var.archive_transition_days >= 0 && floor(var.archive_transition_days) == var.archive_transition_days, false)
    error_message = "archive_transition_days must be null or a whole number >= 0."
  }
}

variable "archive_storage_class" {
  description = "Where archive objects go after archive_transition_days: GLACIER_IR (default: cheapest that still reads in milliseconds), STANDARD_IA or INTELLIGENT_TIERING. Replay and rebuild read objects directly, so classes that need a restore first (GLACIER, DEEP_ARCHIVE) are refused."
  type        = string
  default     = "GLACIER_IR"

  validation {
    condition     = contains(["GLACIER_IR", "STANDARD_IA", "INTELLIGENT_TIERING"], var.archive_storage_class)
    error_message = "archive_storage_class must be GLACIER_IR, STANDARD_IA or INTELLIGENT_TIERING: GLACIER and DEEP_ARCHIVE objects must be restored (hours) before replay or rebuild can read them."
  }
}

variable "archive_expiration_days" {
  description = "Days after which archive objects are deleted; null (default) = never: the archive is the truth a rebuild starts from."
  type        = number
  default     = null

  validation {
    condition     = var.archive_expiration_days == null || try(var.archive_expiration_days >= 1 && floor(var.archive_expiration_days) == var.archive_expiration_days, false)
    error_message = "archive_expiration_days must be null (never) or a whole number >= 1."
  }
}

variable "archive_noncurrent_days" {
  description = "Days a deleted or overwritten archive object stays recoverable (its noncurrent version) before S3 removes it; null = forever. Firehose never overwrites, so only a deletion makes one."
  type        = number
  default     = 90

  validation {
    condition     = var.archive_noncurrent_days == null || try(var.archive_noncurrent_days >= 1 && floor(var.archive_noncurrent_days) == var.archive_noncurrent_days, false)
    error_message = "archive_noncurrent_days must be null (forever) or a whole number >= 1."
  }
}

variable "archive_force_destroy" {
  description = "Let Terraform delete the archive bucket with every object version in it. Off: an apply that would replace or remove the bucket fails instead. `make destroy` turns it on in its first, confirmed step."
  type        = bool
  default     = false
}

variable "archive_freshness_alarm_seconds" {
  description = "Alarm when Firehose holds a record longer than this (DeliveryToS3.DataFreshness); null = 2 x archive_buffering_seconds + 300."
  type        = number
  default     = null
}

# ---------------------------------------------------------------- the function
variable "function_zip" {
  description = "Zip with index.mjs (the handler bundle) at its root; null = ../handler/dist/function.zip, made by `make build`."
  type        = string
  default     = null
}

variable "function_memory_mb" {
  description = "Memory of the function in MB (CPU grows with it)."
  type        = number
  default     = 256

  validation {
    condition     = var.function_memory_mb >= 128 && var.function_memory_mb <= 10240
    error_message = "function_memory_mb must be between 128 and 10240."
  }
}

variable "log_retention_days" {
  description = "Days the function's log group keeps its logs."
  type        = number
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

# ---------------------------------------------------------------- event source mapping
variable "maximum_retry_attempts" {
  description = "Retries of a failing batch before its position goes to the DLQ (0 to 10000; never -1 = forever, which would block the shard)."
  type        = number
  default     = 10

  validation {
    condition     = var.maximum_retry_attempts >= 0 && var.maximum_retry_attempts <= 10000 && floor(var.maximum_retry_attempts) == var.maximum_retry_attempts
    error_message = "maximum_retry_attempts must be a whole number from 0 to 10000 (-1, retry forever, is not allowed)."
  }
}

variable "maximum_record_age_in_seconds" {
  description = "Records older than this are skipped (their position goes to the DLQ). 60 to 604800, and below the stream retention so the skipped records can still be replayed."
  type        = number
  default     = 21600

  validation {
    condition     = var.maximum_record_age_in_seconds >= 60 && var.maximum_record_age_in_seconds <= 604800
    error_message = "maximum_record_age_in_seconds must be between 60 and 604800 (-1, no limit, is not allowed)."
  }

  validation {
    condition     = var.maximum_record_age_in_seconds < var.stream_retention_hours * 3600
    error_message = "maximum_record_age_in_seconds must be below the stream retention (stream_retention_hours * 3600), or skipped records expire before they can be replayed."
  }
}

variable "parallelization_factor" {
  description = "Concurrent batches per shard (1 to 10). Safe at any value for the table (it is order-independent), but each batch is a concurrent execution: see lambda_concurrency_quota."
  type        = number
  default     = 1

  validation {
    condition     = var.parallelization_factor >= 1 && var.parallelization_factor <= 10
    error_message = "parallelization_factor must be between 1 and 10."
  }
}

variable "lambda_concurrency_quota" {
  description = "The account's Lambda concurrent executions in this region (`aws lambda get-account-settings`, AccountLimit.ConcurrentExecutions). New accounts may have 10 instead of the usual 1000; a plan warns when the mapping could need more (check lambda_concurrency in lambda.tf)."
  type        = number
  default     = 10

  validation {
    condition     = var.lambda_concurrency_quota >= 1 && floor(var.lambda_concurrency_quota) == var.lambda_concurrency_quota
    error_message = "lambda_concurrency_quota must be a whole number >= 1."
  }
}

variable "maximum_batching_window_in_seconds" {
  description = "How long Lambda may wait to fill a batch of 100 (0 to 300); higher = fewer, fuller invocations, more latency."
  type        = number
  default     = 0

  validation {
    condition     = var.maximum_batching_window_in_seconds >= 0 && var.maximum_batching_window_in_seconds <= 300
    error_message = "maximum_batching_window_in_seconds must be between 0 and 300."
  }
}

# ---------------------------------------------------------------- alarms
# A deploy needs alarm_email or alarm_sns_topic_arn, or alarms_notify_nobody
# = true: the precondition on the event source mapping (lambda.tf) stops it.
variable "alarm_sns_topic_arn" {
  description = "Existing SNS topic to notify on alarm and recovery; null = none."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:", var.alarm_sns_topic_arn))
    error_message = "alarm_sns_topic_arn must be an SNS topic ARN."
  }
}

variable "alarm_email" {
  description = "E-mail address to notify (creates a topic and a subscription the recipient must confirm); null = none."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must look like an e-mail address."
  }
}

variable "alarms_notify_nobody" {
  description = "Deploy even though no alarm_email or alarm_sns_topic_arn is set: the alarms then notify no one, and a batch skipped to the DLQ stays out of the table unnoticed (the archive keeps its records, but nobody is told to run `make redrive`). Say so explicitly, e.g. for a throwaway copy."
  type        = bool
  default     = false
}

variable "iterator_age_alarm_ms" {
  description = "Alarm when the function falls this far behind the stream (IteratorAge, milliseconds) for 5 minutes."
  type        = number
  default     = 60000
}

variable "reject_ratio_alarm_threshold" {
  description = "Alarm when more than this share of the records the function read was rejected (rejected / records of its batch lines), in two 5-minute periods in a row. From 0 (any reject, like the rejects-arriving alarm) to below 1."
  type        = number
  default     = 0.05

  # A ratio above 1 cannot happen: a threshold of 1 or more would never fire.
  validation {
    condition     = var.reject_ratio_alarm_threshold >= 0 && var.reject_ratio_alarm_threshold < 1
    error_message = "reject_ratio_alarm_threshold is a share of the records: at least 0 and below 1 (0.05 = 5%)."
  }
}

variable "freshness_alarm_seconds" {
  description = "Alarm when the function's batches end more than this many seconds after their oldest record reached the stream (p99 of oldestEventAgeMs) for 15 minutes; null = maximum_batching_window_in_seconds + 300."
  type        = number
  default     = null

  # Above the batching window, which delays every batch on purpose; below the
  # record age at which the mapping skips records, which no batch can exceed.
  validation {
    condition = var.freshness_alarm_seconds == null || try(
      floor(var.freshness_alarm_seconds) == var.freshness_alarm_seconds
      && var.freshness_alarm_seconds > var.maximum_batching_window_in_seconds
      && var.freshness_alarm_seconds < var.maximum_record_age_in_seconds,
      false
    )
    error_message = "freshness_alarm_seconds must be null or a whole number of seconds above maximum_batching_window_in_seconds (${var.maximum_batching_window_in_seconds}) and below maximum_record_age_in_seconds (${var.maximum_record_age_in_seconds})."
  }
}
