/**
 * Metrics with no API call: the batch line carries a CloudWatch Embedded
 * Metric Format (EMF) block, `_aws`, naming which of the line's own members
 * are metrics, and CloudWatch Logs extracts them from the log. The names,
 * units, namespace and dimension are in `metrics.json`, which Terraform's
 * dashboard and alarms read too.
 *
 * CloudWatch looks for `_aws` only at the top of a log event, so the line
 * must reach the log as it is: see `log.ts`.
 *
 * @module
 */

import CONTRACT from "./metrics.json" with { type: "json" };

/** A metric of the batch line. */
export type MetricName = keyof typeof CONTRACT.metrics;

/** The metrics' values; one that cannot be computed (an empty batch's ages) is left out. */
export type MetricValues = { readonly [N in MetricName]: number | undefined };

const DEFINITIONS = Object.entries(CONTRACT.metrics).map(([name, { unit }]) => ({
  Name: name as MetricName,
  Unit: unit,
}));

/**
 * `line` with the metrics block, the dimension's value and a timestamp (ms).
 * Only metrics holding a finite number are declared: the specification
 * requires each declared metric to be a number member of the line.
 */
export function withMetrics<L extends MetricValues>(
  line: L,
  functionName: string,
  timestamp: number,
): L & { readonly _aws: object } {
  const present = DEFINITIONS.filter(({ Name }) => Number.isFinite(line[Name]));
  return {
    ...line,
    [CONTRACT.dimension]: functionName,
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: CONTRACT.namespace,
          Dimensions: [[CONTRACT.dimension]],
          Metrics: present,
        },
      ],
    },
  };
}
