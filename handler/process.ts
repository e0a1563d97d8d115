/**
 * One Kinesis micro-batch, end to end, with its dependencies passed in (the
 * real ones are wired by `index.ts`, tests pass their own): decode, map and
 * reduce per truck, write the trucks with bounded concurrency, forward the
 * rejects (records that did not decode, and those of a truck whose write the
 * table refused for good), and answer with a partial batch response.
 *
 * Failures are reported as ONE item, the lowest sequence number among the
 * records behind every failed write or undelivered reject. The event source
 * mapping replays a shard from the lowest item it is given (everything after
 * it is re-sent anyway, in order), so further items would add nothing; one
 * item is also unambiguous: it is the checkpoint. Replaying records that did
 * land is harmless, since every write is conditional and idempotent.
 *
 * @module
 */

import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import type { Config } from "./config.ts";
import type { Floor } from "./floor.ts";
import type { Log } from "./log.ts";
import { withMetrics } from "./metrics.ts";
import { settleAll } from "./pool.ts";
import { type Reject, readBatch, replayFrom, type Truck } from "./records.ts";
import { forwardRejects } from "./rejects.ts";
import { lowest } from "./sequence.ts";
import { summarize } from "./summary.ts";
import { noWrites, refusedForGood, writeRow } from "./write.ts";

/** What a batch needs from the world. */
export interface Deps {
  readonly dynamo: DynamoDBClient;
  /** Needed only with `config.rejectsStreamName`. */
  readonly kinesis?: KinesisClient | undefined;
  readonly config: Config;
  readonly log: Log;
  /** The container's knowledge of the table, kept across its batches; none: plan every part. */
  readonly floor?: Floor | undefined;
}

/** One invocation's own: the function (the metrics' dimension), and when to give up. */
export interface Invocation {
  readonly functionName: string;
  /** Aborts the AWS requests still in flight, which then count as failed. */
  readonly signal?: AbortSignal | undefined;
}

/** The records of a truck whose write the table refused for good, as rejects with its error. */
function refused(truck: Truck, error: unknown): Reject[] {
  const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const reason = `the table refused the write of truck ${truck.row.vin}: ${why}`;
  return truck.records.map((record) => ({ record, path: "", group: "unwritable", reason }));
}

/**
 * Processes one batch. Never rejects for a bad record or a failed write (those
 * become the partial batch response).
 */
export async function processBatch(
  event: KinesisStreamEvent,
  { dynamo, kinesis, config, log, floor }: Deps,
  { functionName, signal }: Invocation,
): Promise<KinesisStreamBatchResponse> {
  const started = performance.now();
  const records = event.Records ?? [];
  const batch = readBatch(records);
  const counts = noWrites();
  const table = { dynamo, tableName: config.tableName, signal, floor };
  const outlet = { kinesis, streamName: config.rejectsStreamName, log, signal };
  const [written, undelivered] = await Promise.all([
    settleAll(batch.trucks, config.maxConcurrentWrites, (truck) =>
      writeRow(table, truck.row, counts),
    ),
    forwardRejects(batch.rejects, outlet),
  ]);
  const failed: Truck[] = [];
  const unwritable: Reject[] = [];
  for (const [i, truck] of batch.trucks.entries()) {
    const result = written[i];
    if (result?.status !== "rejected") continue;
    const forGood = refusedForGood(result.reason);
    if (forGood) unwritable.push(...refused(truck, result.reason));
    else failed.push(truck);
    log.error({
      msg: forGood
        ? "truck refused by the table, records sent to the rejects"
        : "truck not written",
      vin: truck.row.vin,
      from: replayFrom(truck),
      error: String(result.reason),
    });
  }
  // Rare: a second put, after the writes, rather than holding every batch's rejects until then.
  undelivered.push(...(await forwardRejects(unwritable, outlet)));
  const retryFrom = lowest([
    ...failed.map(replayFrom),
    ...undelivered.map((reject) => reject.record.kinesis.sequenceNumber),
  ]);
  const failures = failed.length + undelivered.length;
  const durationMs = performance.now() - started;
  const rejects = [...batch.rejects, ...unwritable];
  const now = Date.now();
  const summary = summarize({
    records,
    batch,
    counts,
    rejects,
    failures,
    retryFrom,
    durationMs,
    now,
  });
  log.info(withMetrics(summary, functionName, now));
  return { batchItemFailures: retryFrom === undefined ? [] : [{ itemIdentifier: retryFrom }] };
}
