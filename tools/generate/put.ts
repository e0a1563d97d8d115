/**
 * Events onto a Kinesis stream: UTF-8 JSON, one event a record, with the
 * partition keys of the generator's choice, put by the handler's own
 * `putRecords` (the API's limits, retries of the entries Kinesis reports as
 * failed) and giving up loudly after a bounded number of attempts. Used by
 * the generator, the benchmarks and the local-stack tests.
 *
 * @module
 */

import { randomUUID } from "node:crypto";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { OopsEvent } from "../../core/mod.ts";
import { type Entry, type PutOptions, putRecords } from "../../handler/put_records.ts";

/** What a put did. */
export interface PutResult {
  /** Records written. */
  readonly written: number;
  /** Entries that had to be sent again. */
  readonly retried: number;
  /** PutRecords calls made. */
  readonly calls: number;
}

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

/**
 * Puts `events` on `stream` with the handler's `putRecords` (limits, retries
 * of failed entries). A call that failed outright (stream missing, endpoint
 * unreachable) is thrown as the SDK raised it, so that the CLI can explain
 * it; entries that still failed after the last attempt throw a
 * {@link PutError}.
 */
export async function putEvents(
  client: KinesisClient,
  stream: string,
  events: readonly OopsEvent[],
  options: PutOptions & { partitionKey?: PartitionKey } = {},
): Promise<PutResult> {
  const entries = toEntries(events, options.partitionKey);
  const put = await putRecords(client, stream, entries, { maxAttempts: 5, ...options });
  if (put.callError !== undefined) throw put.callError;
  if (put.undelivered.length > 0) {
    const attempts = options.maxAttempts ?? 5;
    throw new PutError(put.undelivered.length, entries.length, attempts, put.firstError ?? "");
  }
  return { written: entries.length, retried: put.retried, calls: put.calls };
}
