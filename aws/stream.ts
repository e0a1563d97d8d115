/**
 * A Kinesis stream in a local emulator, for tests: create it, and read back
 * everything on it from the start (TRIM_HORIZON), as an inspector would.
 *
 * @module
 */

import { setTimeout as sleep } from "node:timers/promises";
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from "@aws-sdk/client-kinesis";

/** Creates a provisioned stream and waits until it is ACTIVE. */
export async function createStream(
  kinesis: KinesisClient,
  name: string,
  shards = 1,
): Promise<void> {
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  for (;;) {
    const { StreamDescriptionSummary: s } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    if (s?.StreamStatus === "ACTIVE") return;
    await sleep(10);
  }
}

/** Reads a stream from TRIM_HORIZON on: each `next()` returns what arrived since the last. */
export interface Tail {
  next(): Promise<string[]>;
}

/** Follows every shard of a stream from its start, as an inspector of the rejects would. */
export async function tailStream(kinesis: KinesisClient, name: string): Promise<Tail> {
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: name }));
  const iterators = await Promise.all(
    Shards.map(async ({ ShardId }) => {
      const { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: name,
          ShardId,
          ShardIteratorType: "TRIM_HORIZON",
        }),
      );
      return ShardIterator;
    }),
  );
  return {
    async next() {
      const out: string[] = [];
      for (const [i, start] of iterators.entries()) {
        let iterator = start;
        for (;;) {
          const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
          const records = page.Records ?? [];
          out.push(...records.map((r) => Buffer.from(r.Data ?? []).toString("utf8")));
          iterator = page.NextShardIterator;
          if (records.length === 0 || page.MillisBehindLatest === 0) break;
        }
        iterators[i] = iterator;
      }
      return out;
    },
  };
}
