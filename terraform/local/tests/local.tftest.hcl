# The emulator configuration, with the provider mocked: the same streams and
# table as the AWS deployment minus what dynalite cannot do. The real thing is
# terraform/tests/emulators_test.ts (kinesis-mock + dynalite).

mock_provider "aws" {
  mock_resource "aws_kinesis_stream" {
    defaults = { arn = "arn:aws:kinesis:us-east-1:000000000000:stream/mock" }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:us-east-1:000000000000:table/mock" }
  }
}

variables {
  kinesis_endpoint  = "http://127.0.0.1:4568"
  dynamodb_endpoint = "http://127.0.0.1:4567"
}

run "same_names_and_shapes_as_aws" {
  assert {
    condition     = output.stream_name == "oops-events" && output.rejects_stream_name == "oops-events-rejected" && output.table_name == "oops-trucks"
    error_message = "the emulators get the default names the handler and tools expect"
  }
  assert {
    condition     = module.storage.events_stream.shard_count == 2 && module.storage.rejects_stream.shard_count == 1
    error_message = "2 + 1 shards, as in AWS"
  }
  assert {
    condition     = module.storage.events_stream.encryption_type == "KMS" && module.storage.rejects_stream.encryption_type == "KMS"
    error_message = "kinesis-mock supports stream encryption, so it stays on"
  }
  assert {
    condition     = module.storage.table.hash_key == "vin" && module.storage.table.billing_mode == "PAY_PER_REQUEST"
    error_message = "table keyed by vin, on-demand"
  }
}

run "without_what_dynalite_lacks" {
  assert {
    condition     = module.storage.table.point_in_time_recovery[0].enabled == false
    error_message = "dynalite has no point-in-time recovery"
  }
  assert {
    condition     = length(module.storage.table.server_side_encryption) == 0
    error_message = "no SSE block for dynalite"
  }
  assert {
    condition     = length(module.storage.table.tags) == 0
    error_message = "no tags for dynalite"
  }
  assert {
    condition     = module.storage.table.deletion_protection_enabled == false && keys(module.storage.tables) == [""]
    error_message = "one table, without deletion protection (dynalite does not keep it)"
  }
}

run "endpoints_must_be_urls" {
  command = plan
  variables {
    kinesis_endpoint = "localhost:4568"
  }
  expect_failures = [var.kinesis_endpoint]
}
