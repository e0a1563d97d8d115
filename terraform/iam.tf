# The function's execution role. The policy is built with jsonencode rather
# than an aws_iam_policy_document data source so that the exact JSON the role
# receives is a plain value the tests (tests/*.tftest.hcl) can decode and
# check, also under a mocked provider.
#
# No KMS statement with the default keys: the AWS-managed alias/aws/kinesis
# key's policy already lets any principal of the account use it through
# Kinesis. A customer managed key (kinesis_kms_key_arn) needs kms:Decrypt to
# read the event stream and kms:GenerateDataKey to write the rejects stream,
# and only through Kinesis in this region (kms:ViaService).

locals {
  # IAM names are global to the account, every other name here is regional:
  # the region in the role's name lets the same stack live in two regions of
  # one account (variables.tf checks the 64-character limit).
  role_name = "${local.function_name}-exec-${var.aws_region}"

  # The account the stack deploys into, for the trust policy, without an STS
  # call at plan time (nothing here uses aws_caller_identity): taken from the
  # log group's ARN. The log group depends on nothing, so the role waits only
  # for it, and the function needs it anyway; no cycle.
  account_id = split(":", aws_cloudwatch_log_group.function.arn)[4]
}

data "aws_partition" "current" {} # the DNS suffix of service endpoints; no API call

locals {
  # The trust policy of each role a service assumes, by service: the
  # function's (lambda) and the archive's Firehose's (firehose, firehose.tf).
  # aws:SourceAccount: the service may assume the role only on behalf of a
  # resource of this account (the cross-service confused-deputy protection
  # AWS recommends for roles that a service assumes).
  trust_policies = { for service, sid in { lambda = "LambdaAssumesRole", firehose = "FirehoseAssumesRole" } :
    service => jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Sid       = sid
        Effect    = "Allow"
        Principal = { Service = "${service}.amazonaws.com" }
        Action    = "sts:AssumeRole"
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
      }]
    })
  }
}

resource "aws_iam_role" "function" {
  name               = local.role_name
  description        = "Execution role of the ${local.function_name} Lambda function in ${var.aws_region}"
  assume_role_policy = local.trust_policies.lambda # only Lambda, for a function of this account
}

locals {
  # What a reader of the event stream needs, the function's event source
  # mapping as much as the archive's Firehose (firehose.tf): the same
  # statements in both roles' policies.
  read_event_stream = {
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
  }
  # With a customer managed key on the streams: decrypt what it reads.
  decrypt_event_stream = var.kinesis_kms_key_arn == null ? [] : [{
    Sid       = "DecryptEventStream"
    Effect    = "Allow"
    Action    = ["kms:Decrypt"]
    Resource  = var.kinesis_kms_key_arn
    Condition = local.kms_via_kinesis
  }]

  function_policy_statements = concat(
    [
      local.read_event_stream,
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
        # Every table of the set, not only the active one: an invocation that
        # started before a switch of active_table_generation still writes to
        # the previous table for a moment. Refusing it would only fail the
        # batch into retries (and the next attempt, with the new TABLE_NAME,
        # writes the new table); allowing it is harmless, since each write
        # only moves a row forward and a rebuild writes the new table anyway.
        Sid      = "UpdateTruckTable"
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
        Resource = [for g in sort(keys(module.storage.table_arns)) : module.storage.table_arns[g]]
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
    local.decrypt_event_stream,
    var.kinesis_kms_key_arn == null ? [] : [
      {
        Sid       = "EncryptRejectsStream"
        Effect    = "Allow"
        Action    = ["kms:GenerateDataKey"]
        Resource  = var.kinesis_kms_key_arn
        Condition = local.kms_via_kinesis
      },
    ],
  )

  # The key serves the function only through Kinesis of this region, never
  # directly (the streams call KMS on the caller's behalf).
  kms_via_kinesis = { StringEquals = { "kms:ViaService" = "kinesis.${var.aws_region}.${data.aws_partition.current.dns_suffix}" } }

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
