/**
 * A Kinesis stream read back as an inspector would: every shard from its
 * start (TRIM_HORIZON), to what has arrived so far. One reader for the
 * tests' checks of the rejects stream, of what the generator put, and of
 * how far the local mapping has to go, and for the tools that read a whole
 * stream (the rejects report, the replay's truth).
 *
 * @module
 */

import { setTimeout as sleep } from "node:timers/promises";
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from "@aws-sdk/client-kinesis";

/** One record, where it sits, its data, and that data as UTF-8 text (most records are JSON). */
export interface StreamRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly data: Uint8Array;
  readonly text: string;
}

const utf8 = new TextDecoder();

/**
 * A record as read: `text` is decoded on first use, since the whole-stream
 * readers (the replay's truth) look only at `data`.
 */
class ReadRecord implements StreamRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly data: Uint8Array;
  #text: string | undefined;

  constructor(shardId: string, sequenceNumber: string, data: Uint8Array) {
    this.shardId = shardId;
    this.sequenceNumber = sequenceNumber;
    this.data = data;
  }

  get text(): string {
    this.#text ??= utf8.decode(this.data);
    return this.#text;
  }
}

/** A stream followed from its start: each `next()` returns the records that arrived since the last. */
export interface Tail {
  next(): Promise<StreamRecord[]>;
}

/** Records per GetRecords page: Kinesis' own limit. */
export const PAGE_LIMIT = 10_000;
/**
 * Empty pages in a row, still behind the tip, after which a shard is left for
 * the next call: a bound on one call, never reached on the emulators (they
 * say MillisBehindLatest 0 on every page).
 */
const MAX_EMPTY_PAGES = 100;
/** The pause after an empty page behind the tip: GetRecords allows 5 calls a second per shard. */
const EMPTY_PAGE_PAUSE_MS = 200;

/**
 * Whether a GetRecords page (its record count and `MillisBehindLatest`) is
 * the end of what the shard holds now. Caught up only at the tip: behind
 * it, an empty page can come before later records (AWS: "It might take
 * multiple calls to get to a portion of the shard that contains records").
 * A full page is never the end: kinesis-mock says MillisBehindLatest 0 on a
 * page cut at the limit. Without MillisBehindLatest, an empty page is.
 */
export function isLastPage(records: number, millisBehindLatest: number | undefined): boolean {
  if (millisBehindLatest === undefined) return records === 0;
  return millisBehindLatest === 0 && records < PAGE_LIMIT;
}

interface ShardPosition {
  readonly shardId: string;
  iterator: string | undefined;
}

/**
 * Reads each shard from its iterator to the tip, moving the iterators on.
 * `behind` names the shards left after {@link MAX_EMPTY_PAGES} empty pages
 * still behind the tip (their records so far are in `records`).
 */
async function readShards(kinesis: KinesisClient, shards: readonly ShardPosition[]) {
  const records: StreamRecord[] = [];
  const behind: string[] = [];
  for (const shard of shards) {
    let empty = 0;
    while (shard.iterator !== undefined) {
      const page = await kinesis.send(
        new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: PAGE_LIMIT }),
      );
      const got = page.Records ?? [];
      for (const { SequenceNumber = "", Data = new Uint8Array() } of got) {
        records.push(new ReadRecord(shard.shardId, SequenceNumber, Data));
      }
      shard.iterator = page.NextShardIterator;
      if (isLastPage(got.length, page.MillisBehindLatest)) break;
      if (got.length > 0) {
        empty = 0;
        continue;
      }
      if (++empty >= MAX_EMPTY_PAGES) {
        behind.push(`${shard.shardId} (${page.MillisBehindLatest} ms behind)`);
        break;
      }
      await sleep(EMPTY_PAGE_PAUSE_MS);
    }
  }
  return { records, behind };
}

/** The ids of the stream's shards, every page of ListShards. */
export async function listShards(kinesis: KinesisClient, stream: string): Promise<string[]> {
  const shards: string[] = [];
  let token: string | undefined;
  do {
    const page = await kinesis.send(
      new ListShardsCommand(token === undefined ? { StreamName: stream } : { NextToken: token }),
    );
    for (const { ShardId } of page.Shards ?? []) if (ShardId !== undefined) shards.push(ShardId);
    token = page.NextToken;
  } while (token !== undefined);
  return shards;
}

async function openShards(kinesis: KinesisClient, stream: string): Promise<ShardPosition[]> {
  return Promise.all(
    (await listShards(kinesis, stream)).map(async (ShardId) => {
      const { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: stream,
          ShardId,
          ShardIteratorType: "TRIM_HORIZON",
        }),
      );
      return { shardId: ShardId, iterator: ShardIterator };
    }),
  );
}

/**
 * Follows every shard of `stream` (as it is now) from TRIM_HORIZON. A shard
 * still behind the tip after many empty pages is carried on by the next call.
 */
export async function tailStream(kinesis: KinesisClient, stream: string): Promise<Tail> {
  const shards = await openShards(kinesis, stream);
  return { next: async () => (await readShards(kinesis, shards)).records };
}

/**
 * Every record on `stream` now, shard by shard, each shard in order. Throws
 * rather than answer short when a shard is still behind the tip after
 * {@link MAX_EMPTY_PAGES} empty pages in a row.
 */
export async function readStream(kinesis: KinesisClient, stream: string): Promise<StreamRecord[]> {
  const { records, behind } = await readShards(kinesis, await openShards(kinesis, stream));
  if (behind.length > 0) {
    const pages = `${MAX_EMPTY_PAGES} empty pages`;
    throw new Error(`${stream}: still behind the tip after ${pages}: ${behind.join(", ")}`);
  }
  return records;
}

/** Each shard's last sequence number (empty shards left out). */
export async function lastSequenceNumbers(
  kinesis: KinesisClient,
  stream: string,
): Promise<Record<string, string>> {
  const last: Record<string, string> = {};
  for (const { shardId, sequenceNumber } of await readStream(kinesis, stream)) {
    last[shardId] = sequenceNumber;
  }
  return last;
}
