/**
 * The batch line of a handful of records, as the handler writes it, without
 * running a batch: for the tests of the summary, its metrics, and the tools
 * that read the line back.
 *
 * @module
 */

import type { KinesisStreamRecord } from "aws-lambda";
import { withMetrics } from "../metrics.ts";
import { readBatch } from "../records.ts";
import { type Outcome, summarize } from "../summary.ts";
import { noWrites } from "../write.ts";

/** What happened to `records` when nothing failed and nothing was written, unless `extra` says so. */
export function outcomeOf(records: KinesisStreamRecord[], extra: Partial<Outcome> = {}): Outcome {
  const batch = readBatch(records);
  return {
    records,
    batch,
    counts: noWrites(),
    rejects: batch.rejects,
    failures: 0,
    retryFrom: undefined,
    durationMs: 0,
    now: 0,
    ...extra,
  };
}

/** The line `log.info` receives for that outcome, from the function `functionName`. */
export function batchLine(outcome: Outcome, functionName = "oops-truck-status") {
  return withMetrics(summarize(outcome), functionName, outcome.now);
}
