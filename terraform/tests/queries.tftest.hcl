# The saved Logs Insights queries, offline (provider mocked, see
# main.tftest.hcl): one folder per deployment, each on the function's log
# group, reading the fields the function's lines hold at their top level.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  function_zip         = "tests/fixtures/function.zip"
  alarms_notify_nobody = true
}

run "three_saved_queries_on_the_function_log_group" {
  variables {
    contract = jsondecode(file("../handler/metrics.json"))
  }

  assert {
    condition     = toset([for q in aws_cloudwatch_query_definition.this : q.name]) == toset(["oops-truck-status/trucks not written", "oops-truck-status/rejects by reason", "oops-truck-status/slowest batches"])
    error_message = "trucks not written, rejects by reason, slowest batches, in the oops-truck-status folder"
  }
  assert {
    condition     = output.saved_queries == tolist(["oops-truck-status/rejects by reason", "oops-truck-status/slowest batches", "oops-truck-status/trucks not written"])
    error_message = "the output lists them"
  }
  assert {
    condition     = alltrue([for q in aws_cloudwatch_query_definition.this : q.log_group_names == tolist(["/aws/lambda/oops-truck-status"])])
    error_message = "each reads the function's log group, and only it"
  }
  assert {
    condition = alltrue([for part in ["level = \"ERROR\"", "ispresent(vin)", "@timestamp", "vin", "`from`", "error", "requestId", "sort @timestamp desc"] :
    strcontains(aws_cloudwatch_query_definition.this["trucks_not_written"].query_string, part)])
    error_message = "the ERROR lines about a truck, newest first: ${aws_cloudwatch_query_definition.this["trucks_not_written"].query_string}"
  }
  assert {
    # Every group of rejects the contract has, summed per 5 minutes.
    condition = alltrue(concat(
      [for name in keys(var.contract.metrics) : strcontains(aws_cloudwatch_query_definition.this["rejects_by_reason"].query_string, "sum(${name})") if startswith(name, "rejected")],
      [for part in ["filter msg = \"batch\"", "by bin(5m)"] : strcontains(aws_cloudwatch_query_definition.this["rejects_by_reason"].query_string, part)],
    ))
    error_message = "sum of every rejected* metric of the batch lines per 5 minutes: ${aws_cloudwatch_query_definition.this["rejects_by_reason"].query_string}"
  }
  assert {
    condition = alltrue([for part in ["filter msg = \"batch\"", "sort durationMs desc", "requestId", "shardId", "records", "trucks", "writeRequests", "failures"] :
    strcontains(aws_cloudwatch_query_definition.this["slowest_batches"].query_string, part)])
    error_message = "batch lines by durationMs, with where they were: ${aws_cloudwatch_query_definition.this["slowest_batches"].query_string}"
  }
}

run "a_second_copy_has_its_own_folder" {
  variables {
    name_prefix = "dev-"
  }
  assert {
    condition = alltrue([for q in aws_cloudwatch_query_definition.this :
    startswith(q.name, "dev-oops-truck-status/") && q.log_group_names == tolist(["/aws/lambda/dev-oops-truck-status"])])
    error_message = "dev-oops-truck-status/..., on /aws/lambda/dev-oops-truck-status"
  }
}
