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

/** The data of every record on the stream, shard by shard, in order, as text. */
export async function readStream(kinesis: KinesisClient, name: string): Promise<string[]> {
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: name }));
  const out: string[] = [];
  for (const { ShardId } of Shards) {
    let { ShardIterator: iterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamName: name, ShardId, ShardIteratorType: "TRIM_HORIZON" }),
    );
    while (iterator !== undefined) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
      const records = page.Records ?? [];
      out.push(...records.map((r) => Buffer.from(r.Data ?? []).toString("utf8")));
      iterator =
        records.length === 0 || page.MillisBehindLatest === 0 ? undefined : page.NextShardIterator;
    }
  }
  return out;
}
