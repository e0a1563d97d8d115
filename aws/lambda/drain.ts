/**
 * One shard drained in memory by the event source mapping's own rules
 * (`rules.ts`, which the local mapping also runs against kinesis-mock): the
 * handler's tests check the handler against the same mapping `make local`
 * runs. Batches of up to `batchSize` records from the checkpoint; the rules
 * decide, from the function's answer, where the checkpoint goes, what is
 * retried and halved, and what is skipped after its retries.
 *
 * No waiting between retries: the backoff is the rules' business, and a test
 * has no throttled service to give room to.
 *
 * @module
 */

import type { KinesisStreamRecord } from "aws-lambda";
import type { Handler } from "./bundle.ts";
import { kinesisEvent, lambdaContext } from "./event.ts";
import {
  afterBatch,
  DEFAULT_POLICY,
  type InvocationResult,
  type ShardState,
  type SkippedBatch,
} from "./rules.ts";

export interface Drained {
  /** Invocations made, retries included. */
  readonly invocations: number;
  /** Invocations whose batch was read again (in part or whole). */
  readonly retries: number;
  /** Batches given up on after their retries: records the table never saw. */
  readonly skipped: readonly SkippedBatch[];
}

async function invoke(handler: Handler, batch: KinesisStreamRecord[]): Promise<InvocationResult> {
  try {
    return { ok: true, response: await handler(kinesisEvent(batch), lambdaContext()) };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Feeds a shard's records to `handler` until every record is checkpointed
 * or skipped. Throws if that takes more than `maxInvocations` (the rules
 * bound retries, so it means the rules are broken).
 */
export async function drain(
  handler: Handler,
  records: readonly KinesisStreamRecord[],
  { batchSize = 100, maxInvocations = 1_000 } = {},
): Promise<Drained> {
  const policy = { ...DEFAULT_POLICY, batchSize };
  const sequenceNumbers = records.map((record) => record.kinesis.sequenceNumber);
  let state: ShardState = { checkpoint: undefined, attempts: 0, limit: batchSize };
  let next = 0;
  let invocations = 0;
  let retries = 0;
  const skipped: SkippedBatch[] = [];
  while (next < records.length) {
    if (invocations === maxInvocations) {
      throw new Error(`shard not drained after ${invocations} invocations`);
    }
    const batch = records.slice(next, next + state.limit);
    invocations++;
    const result = await invoke(handler, batch);
    const after = afterBatch(
      state,
      sequenceNumbers.slice(next, next + batch.length),
      result,
      policy,
    );
    state = after.state;
    if (after.step.action === "retry") {
      retries++;
      next = sequenceNumbers.indexOf(after.step.from);
      continue;
    }
    if (after.step.action === "skip") skipped.push(after.step.skipped);
    next += batch.length;
  }
  return { invocations, retries, skipped };
}
