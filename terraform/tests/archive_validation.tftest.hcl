# The archive variables' guards, offline (provider mocked, see
# main.tftest.hcl): values S3, Firehose or a replay would refuse stop the plan.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  function_zip         = "tests/fixtures/function.zip"
  alarms_notify_nobody = true
}

run "rejects_a_storage_class_replay_cannot_read" {
  command = plan
  variables {
    archive_storage_class = "DEEP_ARCHIVE"
  }
  expect_failures = [var.archive_storage_class]
}

run "rejects_an_illegal_bucket_name" {
  command = plan
  variables {
    archive_bucket_name = "Oops_Archive"
  }
  expect_failures = [var.archive_bucket_name]
}

run "rejects_a_default_bucket_name_s3_would_refuse" {
  # A valid DEPLOY_ENV for every other name, but S3 wants lower case.
  command = plan
  variables {
    name_prefix = "Dev-"
  }
  expect_failures = [var.archive_bucket_name]
}

run "rejects_a_default_bucket_name_beyond_63_characters" {
  command = plan
  variables {
    name_prefix = "a-twenty-char-prefix"
    aws_region  = "ap-southeast-1"
  }
  expect_failures = [var.archive_bucket_name]
}

run "rejects_an_archive_key_of_another_region" {
  command = plan
  variables {
    archive_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  expect_failures = [var.archive_kms_key_arn]
}

run "rejects_a_buffering_interval_firehose_refuses" {
  command = plan
  variables {
    archive_buffering_seconds = 901
  }
  expect_failures = [var.archive_buffering_seconds]
}
