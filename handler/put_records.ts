/**
 * PutRecords done properly, for the rejects stream and for the generator:
 * entries cut into calls within the API's limits, and the entries Kinesis
 * reports as failed sent again with backoff (PutRecords is not
 * all-or-nothing: throttled entries fail one by one while the call succeeds,
 * so the SDK's own retries never see them). Bounded: what still fails after
 * `maxAttempts` is handed back, never retried forever.
 *
 * @module
 */

import { setTimeout as sleep } from "node:timers/promises";
import { type KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";

/** One record to put: its bytes and its partition key. */
export interface Entry {
  readonly data: Uint8Array;
  readonly partitionKey: string;
}

/** PutRecords limits: entries per call, and bytes of data plus partition keys per call. */
export const MAX_ENTRIES = 500;
export const MAX_BYTES = 5 * 1024 * 1024;

const utf8 = new TextEncoder();

/** What an entry counts against a call's byte limit. */
const size = (entry: Entry) => entry.data.byteLength + utf8.encode(entry.partitionKey).byteLength;

/** Splits entries, in order, into runs that fit one PutRecords call each. */
export function* chunks<E extends Entry>(entries: readonly E[]): Generator<E[]> {
  let chunk: E[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const bytesOfEntry = size(entry);
    if (chunk.length === MAX_ENTRIES || (chunk.length > 0 && bytes + bytesOfEntry > MAX_BYTES)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(entry);
    bytes += bytesOfEntry;
  }
  if (chunk.length > 0) yield chunk;
}

export interface PutOptions {
  /** Attempts per entry, the first included (default 4). */
  readonly maxAttempts?: number;
  /** Wait before the first retry, doubled for each further one, with jitter (default 100 ms). */
  readonly backoffMs?: number;
  /** Aborts the calls in flight and the waits between them; what is not yet written is handed back. */
  readonly signal?: AbortSignal | undefined;
}

/** What a put did. */
export interface PutResult<E extends Entry> {
  /** Entries not written: still failing after the last attempt, or in a call that failed outright. */
  readonly undelivered: E[];
  /** The error codes of the entries still failing (e.g. `ProvisionedThroughputExceededException`). */
  readonly errorCodes: string[];
  /** `code: message` of the first entry still failing, for a one-line report. */
  readonly firstError: string | undefined;
  /** The error of the first call that failed outright (stream missing, endpoint unreachable), as raised. */
  readonly callError: unknown;
  /** Entries that had to be sent again. */
  readonly retried: number;
  /** PutRecords calls made. */
  readonly calls: number;
}

/**
 * Puts `entries` on `stream` in as few calls as the limits allow, in order
 * except that a retried entry lands after the rest of its call. Never
 * throws: a call that fails outright (after the SDK's own retries) hands
 * back its chunk, and the put goes on with the next.
 */
export async function putRecords<E extends Entry>(
  kinesis: KinesisClient,
  stream: string,
  entries: readonly E[],
  { maxAttempts = 4, backoffMs = 100, signal }: PutOptions = {},
): Promise<PutResult<E>> {
  const result = {
    undelivered: [] as E[],
    errorCodes: new Set<string>(),
    firstError: undefined as string | undefined,
    callError: undefined as unknown,
    retried: 0,
    calls: 0,
  };
  for (const chunk of chunks(entries)) {
    let pending = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) {
        result.retried += pending.length;
        const jitter = 0.5 + Math.random() / 2;
        await sleep(backoffMs * 2 ** (attempt - 2) * jitter, undefined, { signal }).catch(() => {});
      }
      result.calls++;
      let answers: {
        SequenceNumber?: string | undefined;
        ErrorCode?: string | undefined;
        ErrorMessage?: string | undefined;
      }[];
      try {
        const records = pending.map((e) => ({ Data: e.data, PartitionKey: e.partitionKey }));
        const response = await kinesis.send(
          new PutRecordsCommand({ StreamName: stream, Records: records }),
          { abortSignal: signal },
        );
        answers = response.Records ?? [];
      } catch (error) {
        result.callError ??= error;
        result.undelivered.push(...pending);
        break;
      }
      // An entry is written when it got a sequence number; otherwise it has an ErrorCode.
      const failed = pending.filter((_, i) => answers[i]?.SequenceNumber === undefined);
      if (failed.length > 0 && (attempt === maxAttempts || signal?.aborted)) {
        const codes = answers.flatMap((a) => (a.ErrorCode === undefined ? [] : [a.ErrorCode]));
        for (const code of codes) result.errorCodes.add(code);
        const first = answers.find((a) => a.ErrorCode !== undefined);
        result.firstError ??= `${first?.ErrorCode}: ${first?.ErrorMessage}`;
        result.undelivered.push(...failed);
        break;
      }
      pending = failed;
    }
  }
  return { ...result, errorCodes: [...result.errorCodes] };
}
