# The dashboard, offline (provider mocked, see main.tftest.hcl): its body is
# JSON CloudWatch can read, and every metric it graphs exists: either one the
# function publishes (handler/metrics.json, under its namespace and
# dimension) or one AWS publishes. A graph of a metric no one publishes is
# an empty graph nobody notices.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  function_zip         = "tests/fixtures/function.zip"
  alarms_notify_nobody = true
  aws_namespaces       = ["AWS/Lambda", "AWS/Kinesis", "AWS/SQS", "AWS/Firehose"]
}

run "dashboard_graphs_only_metrics_that_exist" {
  variables {
    contract = jsondecode(file("../handler/metrics.json"))
  }

  assert {
    condition     = aws_cloudwatch_dashboard.this.dashboard_name == "oops-truck-status" && output.dashboard_name == "oops-truck-status"
    error_message = "the dashboard is named after the function"
  }
  assert {
    condition     = can(jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets)
    error_message = "the body is JSON with widgets"
  }
  assert {
    # Metric rows start with the namespace; expression rows with an object.
    condition = alltrue(flatten([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : [
      for row in try(w.properties.metrics, []) : (
        row[0] == var.contract.namespace
        ? contains(keys(var.contract.metrics), row[1]) && row[2] == var.contract.dimension && row[3] == "oops-truck-status"
        : contains(var.aws_namespaces, row[0])
      ) if can(tostring(row[0]))
    ]]))
    error_message = "a metric that is neither in handler/metrics.json (namespace ${var.contract.namespace}, dimension ${var.contract.dimension} = the function) nor in ${jsonencode(var.aws_namespaces)}"
  }
  assert {
    # A metric added to the contract gets a graph.
    condition = toset(flatten([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : [
      for row in try(w.properties.metrics, []) : row[1] if can(tostring(row[0])) && try(row[0] == var.contract.namespace, false)
    ]])) == toset(keys(var.contract.metrics))
    error_message = "every metric of handler/metrics.json is on the dashboard"
  }
  assert {
    # Every id an expression uses is a metric of the same graph (upper case
    # words are functions: PERIOD, FILL).
    condition = alltrue(flatten([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : [
      for row in try(w.properties.metrics, []) : [
        for id in regexall("\\b[a-z][A-Za-z0-9_]*\\b", row[0].expression) :
        contains([for r in w.properties.metrics : r[length(r) - 1].id if can(r[length(r) - 1].id)], id)
      ] if can(row[0].expression)
    ]]))
    error_message = "an expression refers to an id its graph does not have"
  }
  assert {
    condition = alltrue([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets :
    w.x >= 0 && w.x + w.width <= 24 && w.height > 0 && (w.type == "metric" ? w.properties.region == "us-east-1" : true)])
    error_message = "widgets fit the 24 columns; every graph reads the deploy region"
  }
  assert {
    condition = alltrue([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets :
    strcontains(w.properties.markdown, "Running it in AWS") if w.type == "text"])
    error_message = "the text widget points to the README section"
  }
  assert {
    condition = [for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets :
    toset(w.properties.alarms) if w.type == "alarm"] == [toset([for a in aws_cloudwatch_metric_alarm.this : a.arn])]
    error_message = "one alarm widget, with every alarm"
  }
  assert {
    condition = toset([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.title if w.type == "metric"]) == toset([
      "Events per second: arriving on oops-events, read by the function",
      "Freshness: age of a batch's oldest and newest record when the batch ends",
      "Lambda iterator age: how far the function is behind the stream",
      "Rejected records by group (stacked)",
      "Reject ratio: rejected / records, per 5 minutes",
      "Writes per event: UpdateItem requests and trucks per record read",
      "Writes refused and skipped; trucks not written",
      "Lambda invocations, errors, throttles",
      "Duration: Lambda's per invocation, the function's per batch",
      "DLQ depth: failed batches waiting in oops-truck-status-dlq",
      "Archive: oops-events-archive to S3",
      "Streams: reads of oops-events, records put on oops-events-rejected",
    ])
    error_message = "the graphs README: Running it in AWS describes"
  }
}

run "graph_thresholds_are_the_alarms" {
  variables {
    freshness_alarm_seconds      = 120
    reject_ratio_alarm_threshold = 0.2
  }
  assert {
    condition = {
      for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : w.properties.title => w.properties.annotations.horizontal[0].value
      if can(w.properties.annotations.horizontal[0].value) && w.type == "metric"
      } == {
      "Freshness: age of a batch's oldest and newest record when the batch ends" = 120000
      "Lambda iterator age: how far the function is behind the stream"           = 60000
      "Reject ratio: rejected / records, per 5 minutes"                          = 0.2
      "Duration: Lambda's per invocation, the function's per batch"              = 60000
      "Archive: oops-events-archive to S3"                                       = 900
    }
    error_message = "the lines on the graphs are the alarms' thresholds (and the function's timeout)"
  }
}

run "a_second_copy_has_its_own_dashboard" {
  variables {
    name_prefix = "dev-"
    aws_region  = "eu-west-1"
  }
  assert {
    condition     = aws_cloudwatch_dashboard.this.dashboard_name == "dev-oops-truck-status"
    error_message = "named after the prefixed function"
  }
  assert {
    condition = alltrue(flatten([for w in jsondecode(aws_cloudwatch_dashboard.this.dashboard_body).widgets : [
      for row in try(w.properties.metrics, []) : !strcontains(jsonencode(row), "\"oops-") if can(tostring(row[0]))
    ] if w.type == "metric"]))
    error_message = "every graph reads the dev- copy's stream, function, queue and Firehose"
  }
  assert {
    condition     = output.dashboard_url == "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=dev-oops-truck-status"
    error_message = "console URL: ${output.dashboard_url}"
  }
}
