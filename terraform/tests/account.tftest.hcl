# The account the role trusts (aws:SourceAccount) is the one the stack is
# deployed into, known without an STS call: it is read from an ARN the stack
# creates. An account in that ARN unlike the mocks' 123456789012 must be the
# one in the condition. (A file of its own: an override_resource inside a run
# block is not applied under a mocked provider, hashicorp/terraform#35813.)

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  function_zip         = "tests/fixtures/function.zip"
  alarms_notify_nobody = true
}

override_resource {
  target = aws_cloudwatch_log_group.function
  values = { arn = "arn:aws:logs:us-east-1:210987654321:log-group:/aws/lambda/oops-truck-status" }
}

run "trust_policy_names_the_account_the_stack_is_in" {
  assert {
    condition     = jsondecode(aws_iam_role.function.assume_role_policy).Statement[0].Condition == { StringEquals = { "aws:SourceAccount" = "210987654321" } }
    error_message = "aws:SourceAccount must be the deploy account: ${aws_iam_role.function.assume_role_policy}"
  }
  assert {
    condition     = jsondecode(aws_iam_role.function.assume_role_policy).Statement[0].Principal == { Service = "lambda.amazonaws.com" }
    error_message = "the principal stays the Lambda service"
  }
}
