# The function's metrics: every batch line it logs is a CloudWatch Embedded
# Metric Format document, so CloudWatch turns it into metrics without a
# PutMetricData call. What the line holds is a contract, handler/metrics.json,
# which the handler reads too: the dashboard, the alarms and the saved queries
# name each metric through local.metric below, so a metric renamed or removed
# there stops the plan here ("This object does not have an attribute named
# ...") instead of leaving a graph or an alarm on a metric no one publishes.
locals {
  contract = jsondecode(file("${path.module}/../handler/metrics.json"))

  # local.metric.records == "records"; an unknown name is an error at plan.
  metric = { for name, _ in local.contract.metrics : name => name }

  # [namespace, metric, dimension, value]: one contract metric of this
  # deployment's function, the first four fields of a dashboard metric row.
  contract_row = { for name, _ in local.contract.metrics :
    name => [local.contract.namespace, name, local.contract.dimension, aws_lambda_function.this.function_name]
  }

  # The alarms and graphs that read durations and ages take milliseconds.
  contract_milliseconds = [local.metric.durationMs, local.metric.oldestEventAgeMs, local.metric.newestEventAgeMs]

  # `make` targets act on the deployment of terraform/outputs.json; the
  # Makefile makes name_prefix from DEPLOY_ENV ("dev" -> "dev-").
  deploy_env = trimsuffix(var.name_prefix, "-")
}
