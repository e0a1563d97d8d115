# The event archive: every record put on the event stream, as put, one per
# line, gzipped, under events/year=YYYY/month=MM/day=DD/hour=HH/ (UTC hour of
# arrival); what Firehose could not process under errors/ (firehose.tf writes
# both). The table is a pure function of the set of valid events, so replay
# and rebuild start from here: the bucket keeps objects forever by default and
# makes deleting them hard.

locals {
  # The contract with the local archiver, replay and rebuild (the archive_*
  # outputs): these prefixes, "\n" after each record, GZIP.
  archive_prefix       = "events/"
  archive_error_prefix = "errors/"
  archive_time_path    = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
}

resource "aws_s3_bucket" "archive" {
  bucket = local.archive_bucket_name

  # Off by default: an apply that would replace or remove the bucket fails on
  # its objects instead of deleting them. `make destroy` turns it on, in a
  # confirmed step of its own, before it destroys.
  force_destroy = var.archive_force_destroy
}

# ACLs off: the bucket owner owns every object, access is by policy only.
resource "aws_s3_bucket_ownership_controls" "archive" {
  bucket = aws_s3_bucket.archive.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "archive" {
  bucket                  = aws_s3_bucket.archive.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# A deleted object stays recoverable as a noncurrent version for
# archive_noncurrent_days (lifecycle below). Firehose never overwrites.
resource "aws_s3_bucket_versioning" "archive" {
  bucket = aws_s3_bucket.archive.id
  versioning_configuration {
    status = "Enabled"
  }
}

# SSE-S3 unless a customer managed key is given; with one, an S3 Bucket Key
# cuts the KMS requests (and their cost) to about one per object batch.
resource "aws_s3_bucket_server_side_encryption_configuration" "archive" {
  bucket = aws_s3_bucket.archive.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.archive_kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.archive_kms_key_arn
    }
    bucket_key_enabled = var.archive_kms_key_arn != null
  }
}

locals {
  # TLS only, for everyone (Firehose and the tools use HTTPS anyway). A
  # jsonencode'd local, like the IAM policies, so tests can read it.
  archive_bucket_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.archive.arn, "${aws_s3_bucket.archive.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_s3_bucket_policy" "archive" {
  bucket = aws_s3_bucket.archive.id
  policy = local.archive_bucket_policy

  # S3 refuses a policy while the public access block is being written.
  depends_on = [aws_s3_bucket_public_access_block.archive]
}

# Kept forever by default (no expiration). After archive_transition_days the
# objects move to archive_storage_class: GLACIER_IR by default, because replay
# and rebuild read every object directly, and Glacier Instant Retrieval does
# that in milliseconds at about a sixth of Standard's storage price (plus
# $0.03/GB read, and 90 days minimum). Deep Archive is cheaper still but each
# object would need a restore of up to 48 hours before a rebuild could read
# it. S3 does not transition objects under 128 KB (the default minimum object
# size), which is just as well: Glacier IR bills each object as at least 128 KB.
resource "aws_s3_bucket_lifecycle_configuration" "archive" {
  bucket = aws_s3_bucket.archive.id

  rule {
    id     = "archive"
    status = "Enabled"
    filter {}

    dynamic "transition" {
      for_each = var.archive_transition_days == null ? [] : [var.archive_transition_days]
      content {
        days          = transition.value
        storage_class = var.archive_storage_class
      }
    }

    dynamic "expiration" {
      for_each = var.archive_expiration_days == null ? [] : [var.archive_expiration_days]
      content {
        days = expiration.value
      }
    }

    dynamic "noncurrent_version_expiration" {
      for_each = var.archive_noncurrent_days == null ? [] : [var.archive_noncurrent_days]
      content {
        noncurrent_days = noncurrent_version_expiration.value
      }
    }

    # Parts of a multipart upload Firehose could not finish cost storage and
    # are never an object: gone after a week.
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  # Versioning first, as the provider's documentation advises for rules on
  # noncurrent versions.
  depends_on = [aws_s3_bucket_versioning.archive]
}
