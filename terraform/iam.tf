# The function's execution role. The policy is built with jsonencode rather
# than an aws_iam_policy_document data source so that the exact JSON the role
# receives is a plain value the tests (tests/*.tftest.hcl) can decode and
# check, also under a mocked provider.
#
# No KMS statement with the default keys: the AWS-managed alias/aws/kinesis
# key's policy already lets any principal of the account use it through
# Kinesis. A customer managed key (kinesis_kms_key_arn) needs kms:Decrypt to
# read the event stream and kms:GenerateDataKey to write the rejects stream.

resource "aws_iam_role" "function" {
  name        = "${local.function_name}-exec"
  description = "Execution role of the ${local.function_name} Lambda function"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "LambdaAssumesRole"
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

locals {
  function_policy_statements = concat(
    [
      {
        Sid    = "ReadEventStream"
        Effect = "Allow"
        Action = [
          "kinesis:DescribeStream",
          "kinesis:DescribeStreamSummary",
          "kinesis:GetRecords",
          "kinesis:GetShardIterator",
          "kinesis:ListShards",
        ]
        Resource = module.storage.stream_arn
      },
      {
        # ListStreams has no resource type: "*" is the only possible resource.
        Sid      = "ListStreams"
        Effect   = "Allow"
        Action   = ["kinesis:ListStreams"]
        Resource = "*"
      },
      {
        Sid      = "ForwardRejects"
        Effect   = "Allow"
        Action   = ["kinesis:PutRecords"]
        Resource = module.storage.rejects_stream_arn
      },
      {
        Sid      = "UpdateTruckTable"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
        Resource = module.storage.table_arn
      },
      {
        Sid      = "SendFailedBatchesToDlq"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = aws_sqs_queue.dlq.arn
      },
      {
        # The group is created by Terraform (lambda.tf), so no CreateLogGroup.
        Sid      = "WriteOwnLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.function.arn}:*"
      },
    ],
    var.kinesis_kms_key_arn == null ? [] : [
      {
        Sid      = "DecryptEventStream"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = var.kinesis_kms_key_arn
      },
      {
        Sid      = "EncryptRejectsStream"
        Effect   = "Allow"
        Action   = ["kms:GenerateDataKey"]
        Resource = var.kinesis_kms_key_arn
      },
    ],
  )

  function_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.function_policy_statements
  })
}

resource "aws_iam_role_policy" "function" {
  name   = "${local.function_name}-least-privilege"
  role   = aws_iam_role.function.id
  policy = local.function_policy
}
