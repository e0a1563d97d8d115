/**
 * Puts events on a Kinesis stream with PutRecords: batched within the API's
 * limits, retrying the entries Kinesis reports as failed (PutRecords is not
 * all-or-nothing: throttled entries fail one by one while the call succeeds),
 * and giving up loudly after a bounded number of attempts. Used by the
 * generator, the benchmarks and the local-stack tests.
 *
 * @module
 */

import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type KinesisClient,
  PutRecordsCommand,
  type PutRecordsRequestEntry,
} from "@aws-sdk/client-kinesis";
import type { OopsEvent } from "../../core/mod.ts";

/** One record to put: its bytes and its partition key. */
export interface Entry {
  readonly data: Uint8Array;
  readonly partitionKey: string;
}

/** Options of {@link putRecords} and {@link putEvents}. */
export interface PutOptions {
  /** Attempts per entry, the first included (default 5). */
  readonly maxAttempts?: number;
  /** Wait before the first retry, doubled for each further one (default 100 ms). */
  readonly backoffMs?: number;
  /** Stops waiting between retries; the entries not yet written are then not written. */
  readonly signal?: AbortSignal;
}

/** What a put did. */
export interface PutResult {
  /** Records written. */
  readonly written: number;
  /** Entries that had to be sent again. */
  readonly retried: number;
  /** PutRecords calls made. */
  readonly calls: number;
}

/** PutRecords limits: entries per call, and bytes of data plus partition keys per call. */
export const MAX_ENTRIES = 500;
export const MAX_BYTES = 5 * 1024 * 1024;

/** How events get their partition keys. */
export type PartitionKey = (event: OopsEvent) => string;

/**
 * `random` spreads events evenly over the shards, as the chapter's generator
 * did (and shows that the table does not depend on order). `vin` keeps each
 * truck's events on one shard, in order; driver events carry no truck and use
 * the driver's id.
 */
export const PARTITION_KEYS = {
  random: () => randomUUID(),
  vin: (event) => ("vehicle" in event ? event.vehicle.vin : event.employee.id),
} as const satisfies Record<string, PartitionKey>;

/** Thrown when some entries still failed after the last attempt. */
export class PutError extends Error {
  constructor(
    readonly failed: number,
    readonly total: number,
    readonly attempts: number,
    readonly lastError: string,
  ) {
    super(`${failed} of ${total} records not written after ${attempts} attempts (${lastError})`);
    this.name = "PutError";
  }
}

const utf8 = new TextEncoder();

/** Events as records: UTF-8 JSON, one event each. */
export function toEntries(
  events: readonly OopsEvent[],
  partitionKey: PartitionKey = PARTITION_KEYS.random,
): Entry[] {
  return events.map((event) => ({
    data: utf8.encode(JSON.stringify(event)),
    partitionKey: partitionKey(event),
  }));
}

/** Puts `events` on `stream`; see {@link putRecords}. */
export function putEvents(
  client: KinesisClient,
  stream: string,
  events: readonly OopsEvent[],
  options: PutOptions & { partitionKey?: PartitionKey } = {},
): Promise<PutResult> {
  return putRecords(client, stream, toEntries(events, options.partitionKey), options);
}

/**
 * Puts `entries` on `stream` in as few PutRecords calls as the limits allow,
 * in order except that a retried entry lands after the rest of its call.
 * Entries that fail are sent again after a backoff, up to
 * `maxAttempts` in all; then {@link PutError} is thrown. Errors of a whole call
 * (stream missing, endpoint unreachable) are thrown as the SDK raised them,
 * after the SDK's own retries.
 */
export async function putRecords(
  client: KinesisClient,
  stream: string,
  entries: readonly Entry[],
  options: PutOptions = {},
): Promise<PutResult> {
  const maxAttempts = options.maxAttempts ?? 5;
  const backoffMs = options.backoffMs ?? 100;
  let retried = 0;
  let calls = 0;
  for (const batch of batches(entries)) {
    let pending = batch.map(
      (e): PutRecordsRequestEntry => ({ Data: e.data, PartitionKey: e.partitionKey }),
    );
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) {
        retried += pending.length;
        await sleep(backoffMs * 2 ** (attempt - 2), undefined, { signal: options.signal });
      }
      calls++;
      const response = await client.send(
        new PutRecordsCommand({ StreamName: stream, Records: pending }),
      );
      const results = response.Records ?? [];
      const failed = pending.filter((_, i) => results[i]?.ErrorCode !== undefined);
      if (failed.length > 0 && attempt === maxAttempts) {
        const first = results.find((r) => r.ErrorCode !== undefined);
        throw new PutError(
          failed.length,
          entries.length,
          attempt,
          `${first?.ErrorCode}: ${first?.ErrorMessage}`,
        );
      }
      pending = failed;
    }
  }
  return { written: entries.length, retried, calls };
}

/** Splits entries into runs that fit one PutRecords call each. */
export function* batches(entries: readonly Entry[]): Generator<Entry[]> {
  let batch: Entry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entry.data.byteLength + utf8.encode(entry.partitionKey).byteLength;
    if (batch.length === MAX_ENTRIES || (batch.length > 0 && bytes + size > MAX_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(entry);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
