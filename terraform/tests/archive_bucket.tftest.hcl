# The archive bucket, offline (provider mocked, see main.tftest.hcl): it keeps
# everything, privately, over TLS only; its lifecycle and encryption options.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  function_zip         = "tests/fixtures/function.zip"
  alarms_notify_nobody = true
}

# Distinct, realistic ARNs, so that a setting wired to the wrong resource
# fails. The account comes from the function's log group (iam.tf).
override_resource {
  target = aws_cloudwatch_log_group.function
  values = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/oops-truck-status" }
}

override_resource {
  target = aws_s3_bucket.archive
  values = { arn = "arn:aws:s3:::oops-events-archive-123456789012-us-east-1" }
}

run "bucket_keeps_everything_privately" {
  assert {
    condition     = aws_s3_bucket.archive.bucket == "oops-events-archive-123456789012-us-east-1" && aws_s3_bucket.archive.force_destroy == false
    error_message = "bucket <prefix>oops-events-archive-<account>-<region>, never deleted with its objects by an apply"
  }
  assert {
    condition = (aws_s3_bucket_public_access_block.archive.block_public_acls && aws_s3_bucket_public_access_block.archive.block_public_policy
    && aws_s3_bucket_public_access_block.archive.ignore_public_acls && aws_s3_bucket_public_access_block.archive.restrict_public_buckets)
    error_message = "every public access block setting on"
  }
  assert {
    condition     = aws_s3_bucket_ownership_controls.archive.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs off (BucketOwnerEnforced)"
  }
  assert {
    condition     = aws_s3_bucket_versioning.archive.versioning_configuration[0].status == "Enabled"
    error_message = "versioning on: a deleted object stays recoverable"
  }
  assert {
    condition = (one(aws_s3_bucket_server_side_encryption_configuration.archive.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256"
    && one(aws_s3_bucket_server_side_encryption_configuration.archive.rule).apply_server_side_encryption_by_default[0].kms_master_key_id == null)
    error_message = "SSE-S3 by default"
  }
  assert {
    condition = jsonencode(jsondecode(aws_s3_bucket_policy.archive.policy).Statement) == jsonencode([{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::oops-events-archive-123456789012-us-east-1", "arn:aws:s3:::oops-events-archive-123456789012-us-east-1/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }])
    error_message = "the bucket policy must refuse everything but TLS: ${aws_s3_bucket_policy.archive.policy}"
  }
  assert {
    condition     = aws_s3_bucket_policy.archive.bucket == aws_s3_bucket.archive.id
    error_message = "the policy is on the archive bucket"
  }
}

run "lifecycle_defaults_keep_every_event" {
  assert {
    condition     = length(aws_s3_bucket_lifecycle_configuration.archive.rule) == 1 && one(aws_s3_bucket_lifecycle_configuration.archive.rule).status == "Enabled"
    error_message = "one lifecycle rule, enabled"
  }
  assert {
    condition     = length(one(aws_s3_bucket_lifecycle_configuration.archive.rule).expiration) == 0
    error_message = "no expiration by default: the archive is the truth"
  }
  assert {
    condition     = jsonencode([for t in one(aws_s3_bucket_lifecycle_configuration.archive.rule).transition : { days = t.days, class = t.storage_class }]) == jsonencode([{ days = 30, class = "GLACIER_IR" }])
    error_message = "to Glacier Instant Retrieval after 30 days (replay reads objects directly)"
  }
  assert {
    condition = (one(one(aws_s3_bucket_lifecycle_configuration.archive.rule).noncurrent_version_expiration).noncurrent_days == 90
    && one(one(aws_s3_bucket_lifecycle_configuration.archive.rule).abort_incomplete_multipart_upload).days_after_initiation == 7)
    error_message = "deleted objects recoverable for 90 days; unfinished uploads cleaned after 7"
  }
}

run "lifecycle_options" {
  variables {
    archive_transition_days = null
    archive_expiration_days = 3650
    archive_noncurrent_days = null
  }
  assert {
    condition = (length(one(aws_s3_bucket_lifecycle_configuration.archive.rule).transition) == 0
      && one(one(aws_s3_bucket_lifecycle_configuration.archive.rule).expiration).days == 3650
    && length(one(aws_s3_bucket_lifecycle_configuration.archive.rule).noncurrent_version_expiration) == 0)
    error_message = "null transition and noncurrent days leave them out; an expiration when asked for"
  }
}

run "customer_managed_keys" {
  variables {
    kinesis_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    archive_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/9999abcd-12ab-34cd-56ef-1234567890ab"
  }
  assert {
    condition = (one(aws_s3_bucket_server_side_encryption_configuration.archive.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms"
      && one(aws_s3_bucket_server_side_encryption_configuration.archive.rule).apply_server_side_encryption_by_default[0].kms_master_key_id == var.archive_kms_key_arn
    && one(aws_s3_bucket_server_side_encryption_configuration.archive.rule).bucket_key_enabled == true)
    error_message = "SSE-KMS with the given key and an S3 Bucket Key"
  }
  assert {
    condition = jsonencode({
      for s in jsondecode(aws_iam_role_policy.archive.policy).Statement : s.Sid => { actions = sort(s.Action), resource = s.Resource, condition = s.Condition } if can(s.Condition)
      }) == jsonencode({
      DecryptEventStream = {
        actions   = ["kms:Decrypt"]
        resource  = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        condition = { StringEquals = { "kms:ViaService" = "kinesis.us-east-1.amazonaws.com" } }
      }
      EncryptArchive = {
        actions  = ["kms:Decrypt", "kms:GenerateDataKey"]
        resource = "arn:aws:kms:us-east-1:123456789012:key/9999abcd-12ab-34cd-56ef-1234567890ab"
        condition = {
          StringEquals = { "kms:ViaService" = "s3.us-east-1.amazonaws.com" }
          StringLike   = { "kms:EncryptionContext:aws:s3:arn" = ["arn:aws:s3:::oops-events-archive-123456789012-us-east-1", "arn:aws:s3:::oops-events-archive-123456789012-us-east-1/*"] }
        }
      }
    })
    error_message = "each key only through its service, the archive key only for this bucket: ${aws_iam_role_policy.archive.policy}"
  }
}

run "a_chosen_bucket_name" {
  variables {
    archive_bucket_name = "acme-oops-archive"
  }
  override_resource {
    target = aws_s3_bucket.archive
    values = { arn = "arn:aws:s3:::acme-oops-archive" }
  }
  assert {
    condition     = aws_s3_bucket.archive.bucket == "acme-oops-archive" && output.archive_bucket == "acme-oops-archive"
    error_message = "archive_bucket_name replaces the default"
  }
}
