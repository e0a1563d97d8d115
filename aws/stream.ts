/**
 * A Kinesis stream read back as an inspector would: every shard from its
 * start (TRIM_HORIZON), to what has arrived so far. One reader for the
 * tests' checks of the rejects stream, of what the generator put, and of
 * how far the local mapping has to go.
 *
 * @module
 */

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

/** A stream followed from its start: each `next()` returns the records that arrived since the last. */
export interface Tail {
  next(): Promise<StreamRecord[]>;
}

const utf8 = new TextDecoder();
/** Records per GetRecords page: Kinesis' own limit. */
const PAGE = 10_000;

/** Follows every shard of `stream` (as it is now) from TRIM_HORIZON. */
export async function tailStream(kinesis: KinesisClient, stream: string): Promise<Tail> {
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: stream }));
  const shards = await Promise.all(
    Shards.map(async ({ ShardId = "" }) => {
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
  return {
    async next() {
      const out: StreamRecord[] = [];
      for (const shard of shards) {
        // Pages until one is empty, or short and at the shard's end. A full page is never the
        // end: kinesis-mock says MillisBehindLatest 0 on a page cut at the limit.
        while (shard.iterator !== undefined) {
          const page = await kinesis.send(
            new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: PAGE }),
          );
          const records = page.Records ?? [];
          for (const { SequenceNumber = "", Data = new Uint8Array() } of records) {
            const { shardId } = shard;
            out.push({
              shardId,
              sequenceNumber: SequenceNumber,
              data: Data,
              text: utf8.decode(Data),
            });
          }
          shard.iterator = page.NextShardIterator;
          const atEnd = page.MillisBehindLatest === 0 && records.length < PAGE;
          if (records.length === 0 || atEnd) break;
        }
      }
      return out;
    },
  };
}

/** Every record on `stream` now, shard by shard, each shard in order. */
export async function readStream(kinesis: KinesisClient, stream: string): Promise<StreamRecord[]> {
  return (await tailStream(kinesis, stream)).next();
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
