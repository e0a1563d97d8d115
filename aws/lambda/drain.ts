/**
 * The event source mapping's contract for one shard, as a test double:
 * batches of up to `batchSize` records from the checkpoint; a partial batch
 * response moves the checkpoint to the reported record (everything from it
 * is delivered again), success moves it past the batch.
 *
 * @module
 */

import type { KinesisStreamRecord } from "aws-lambda";
import type { Handler } from "./bundle.ts";
import { kinesisEvent, lambdaContext } from "./event.ts";

export interface Drained {
  /** Invocations made, retries included. */
  readonly invocations: number;
  /** Invocations that reported a failure. */
  readonly retries: number;
}

/**
 * Feeds a shard's records to `handler` until all are checkpointed. Throws if
 * the handler names a record outside its batch (AWS would then retry the
 * whole batch, silently) or the shard is still not drained after
 * `maxInvocations`.
 */
export async function drainShard(
  handler: Handler,
  records: readonly KinesisStreamRecord[],
  { batchSize = 100, maxInvocations = 1_000 } = {},
): Promise<Drained> {
  let checkpoint = 0;
  let invocations = 0;
  let retries = 0;
  while (checkpoint < records.length) {
    if (invocations === maxInvocations)
      throw new Error(`shard not drained after ${invocations} invocations`);
    const batch = records.slice(checkpoint, checkpoint + batchSize);
    invocations++;
    const { batchItemFailures = [] } = (await handler(kinesisEvent(batch), lambdaContext())) ?? {};
    if (batchItemFailures.length === 0) {
      checkpoint += batch.length;
      continue;
    }
    retries++;
    const ids = batchItemFailures.map((f) => f.itemIdentifier);
    const at = batch.findIndex((r) => r.kinesis.sequenceNumber === ids[0]);
    if (ids.length !== 1 || at < 0)
      throw new Error(`bad batchItemFailures: ${JSON.stringify(ids)}`);
    checkpoint += at;
  }
  return { invocations, retries };
}
