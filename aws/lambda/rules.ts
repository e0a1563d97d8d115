/**
 * What a shard does after an invocation, as a pure function of the batch and
 * the function's answer — Lambda's rules for Kinesis with
 * `ReportBatchItemFailures`:
 * - an empty or missing `batchItemFailures` is success: checkpoint the last record;
 * - failed items: checkpoint the record before the lowest failed one, re-read
 *   from that one (everything after it comes again, in order);
 * - an error, a malformed answer or an identifier not in the batch: the whole
 *   batch failed; retry it halved (`bisect_batch_on_function_error`).
 * Retries wait an exponential backoff and are bounded, like Terraform's
 * `maximum_retry_attempts`: after that the batch is skipped and its position
 * reported, as Lambda does to its on-failure destination. Making progress
 * (a moved checkpoint) starts the count again.
 *
 * @module
 */

import { type Backoff, backoffMs, DEFAULT_BACKOFF } from "./backoff.ts";

/** How an invocation ended. */
export type InvocationResult = { ok: true; response: unknown } | { ok: false; error: unknown };

/** Where a shard stands between batches. */
export interface ShardState {
  /** Sequence number of the last fully processed record; none = from the start. */
  readonly checkpoint: string | undefined;
  /** Retries so far without progress. */
  readonly attempts: number;
  /** GetRecords `Limit` for the next read. */
  readonly limit: number;
}

/** The retry rules. */
export interface RetryPolicy extends Backoff {
  /** Batch size (GetRecords `Limit`) when all is well. */
  readonly batchSize: number;
  /** Retries of a batch before it is skipped (Terraform `maximum_retry_attempts`). */
  readonly maxRetries: number;
}

export const DEFAULT_POLICY: RetryPolicy = { ...DEFAULT_BACKOFF, batchSize: 100, maxRetries: 10 };

/** Lambda's on-failure record of a skipped batch. */
export interface SkippedBatch {
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly batchSize: number;
  readonly retryAttempts: number;
  readonly reason: string;
}

/** What the shard does next. */
export type Step =
  /** Carry on with the `NextShardIterator`. */
  | { readonly action: "continue" }
  /** Wait `delayMs`, then re-read from `from` (`AT_SEQUENCE_NUMBER`). */
  | { readonly action: "retry"; readonly from: string; readonly delayMs: number; reason: string }
  /** Give up on the batch: report it, carry on after it. */
  | { readonly action: "skip"; readonly skipped: SkippedBatch };

/** The failure a response reports: `undefined` for success, else the failed index or a reason. */
function failedAt(
  sequenceNumbers: readonly string[],
  result: InvocationResult,
): number | string | undefined {
  if (!result.ok) return `function error: ${describe(result.error)}`;
  const { response } = result;
  if (response === undefined || response === null) return undefined;
  if (typeof response !== "object") return `malformed response: ${JSON.stringify(response)}`;
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return undefined;
  if (!Array.isArray(failures)) return "malformed response: batchItemFailures is not an array";
  let lowest: number | undefined;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof id === "string" ? sequenceNumbers.indexOf(id) : -1;
    if (index < 0) return `itemIdentifier not in the batch: ${JSON.stringify(id ?? null)}`;
    lowest = Math.min(lowest ?? index, index);
  }
  return lowest;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The shard's next state and step after invoking the function with a batch
 * whose records have `sequenceNumbers` (non-empty, in shard order).
 */
export function afterBatch(
  state: ShardState,
  sequenceNumbers: readonly string[],
  result: InvocationResult,
  policy: RetryPolicy = DEFAULT_POLICY,
): { state: ShardState; step: Step } {
  const first = sequenceNumbers[0] as string;
  const last = sequenceNumbers[sequenceNumbers.length - 1] as string;
  const failed = failedAt(sequenceNumbers, result);
  if (failed === undefined) {
    return {
      state: { checkpoint: last, attempts: 0, limit: policy.batchSize },
      step: { action: "continue" },
    };
  }
  const whole = typeof failed === "string";
  const index = whole ? 0 : failed;
  const reason = whole ? failed : `item failure at ${sequenceNumbers[index]}`;
  const progressed = index > 0;
  const checkpoint = progressed ? sequenceNumbers[index - 1] : state.checkpoint;
  const attempts = progressed ? 1 : state.attempts + 1;
  if (attempts > policy.maxRetries) {
    const skipped = {
      startSequenceNumber: sequenceNumbers[index] as string,
      endSequenceNumber: last,
      batchSize: sequenceNumbers.length - index,
      retryAttempts: attempts - 1,
      reason,
    };
    return {
      state: { checkpoint: last, attempts: 0, limit: policy.batchSize },
      step: { action: "skip", skipped },
    };
  }
  const limit = whole ? Math.max(1, Math.ceil(sequenceNumbers.length / 2)) : policy.batchSize;
  return {
    state: { checkpoint, attempts, limit },
    step: {
      action: "retry",
      from: sequenceNumbers[index] ?? first,
      delayMs: backoffMs(attempts, policy),
      reason,
    },
  };
}
