# Shared by the mock_provider "aws" blocks of tests/*.tftest.hcl. The provider
# validates ARN-typed arguments (a role, a DLQ) even when mocked, so computed
# ARNs must look like ARNs; the random strings a mock makes by default do not.
# Per-instance ARNs (two streams, one table ...) are set with override_resource
# in the test files.

mock_resource "aws_iam_role" {
  defaults = {
    arn = "arn:aws:iam::123456789012:role/mock-role"
  }
}

mock_resource "aws_lambda_function" {
  defaults = {
    arn        = "arn:aws:lambda:us-east-1:123456789012:function:mock"
    invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:mock/invocations"
  }
}

mock_resource "aws_kinesis_stream" {
  defaults = {
    arn = "arn:aws:kinesis:us-east-1:123456789012:stream/mock"
  }
}

mock_resource "aws_dynamodb_table" {
  defaults = {
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/mock"
  }
}

mock_resource "aws_sqs_queue" {
  defaults = {
    arn = "arn:aws:sqs:us-east-1:123456789012:mock"
    url = "https://sqs.us-east-1.amazonaws.com/123456789012/mock"
  }
}

mock_resource "aws_sns_topic" {
  defaults = {
    arn = "arn:aws:sns:us-east-1:123456789012:mock"
  }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = {
    arn = "arn:aws:logs:us-east-1:123456789012:log-group:mock"
  }
}

# The kms:ViaService condition names the Kinesis endpoint of the region.
mock_data "aws_partition" {
  defaults = {
    partition  = "aws"
    dns_suffix = "amazonaws.com"
  }
}

# The archive: Firehose validates its bucket, role and stream ARNs.
mock_resource "aws_s3_bucket" {
  defaults = {
    arn = "arn:aws:s3:::mock"
  }
}

mock_resource "aws_cloudwatch_log_stream" {
  defaults = {
    arn = "arn:aws:logs:us-east-1:123456789012:log-group:mock:log-stream:mock"
  }
}

mock_resource "aws_kinesis_firehose_delivery_stream" {
  defaults = {
    arn = "arn:aws:firehose:us-east-1:123456789012:deliverystream/mock"
  }
}
