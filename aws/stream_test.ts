/**
 * The stream reader's paging, without an emulator: when a GetRecords page
 * is the end of a shard, and a scripted shard read through it.
 */
import {
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  type KinesisClient,
  ListShardsCommand,
} from "@aws-sdk/client-kinesis";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isLastPage, listShards, PAGE_LIMIT, readStream } from "./stream.ts";

test("a page is the end only when caught up (or, without MillisBehindLatest, empty)", () => {
  const table: [records: number, millisBehindLatest: number | undefined, last: boolean][] = [
    [0, 0, true],
    [1, 0, true],
    [PAGE_LIMIT - 1, 0, true],
    [PAGE_LIMIT, 0, false], // kinesis-mock says 0 on a page cut at the limit
    [0, 5_000, false], // behind the tip, an empty page can come before records
    [3, 5_000, false],
    [PAGE_LIMIT, 5_000, false],
    [0, undefined, true],
    [1, undefined, false],
    [PAGE_LIMIT, undefined, false],
  ];
  for (const [records, behind, last] of table) {
    assert.is(isLastPage(records, behind), last, `${records} records, ${behind} ms behind`);
  }
});

type Page = Pick<GetRecordsCommandOutput, "MillisBehindLatest"> & { records: number };

/** A one-shard stream whose GetRecords answers are `pages`, in order; counts the calls. */
function scriptedShard(pages: readonly Page[]) {
  let calls = 0;
  let sequence = 0;
  const client = {
    send: async (command: unknown) => {
      if (command instanceof ListShardsCommand) return { Shards: [{ ShardId: "shard-0" }] };
      if (!(command instanceof GetRecordsCommand)) return { ShardIterator: "it-0" };
      const page = pages[calls++];
      if (page === undefined) throw new Error("read past the script");
      return {
        MillisBehindLatest: page.MillisBehindLatest,
        NextShardIterator: `it-${calls}`,
        Records: Array.from({ length: page.records }, () => ({
          SequenceNumber: String(++sequence),
          Data: new TextEncoder().encode(`r${sequence}`),
        })),
      };
    },
  };
  return { client: client as unknown as KinesisClient, calls: () => calls };
}

test("an empty page behind the tip is read past, up to the caught-up page", async () => {
  const shard = scriptedShard([
    { records: 0, MillisBehindLatest: 60_000 },
    { records: 2, MillisBehindLatest: 1_000 },
    { records: 0, MillisBehindLatest: 0 },
  ]);
  const records = await readStream(shard.client, "s");
  assert.equal(
    records.map((r) => [r.shardId, r.sequenceNumber, r.text]),
    [
      ["shard-0", "1", "r1"],
      ["shard-0", "2", "r2"],
    ],
  );
  assert.is(shard.calls(), 3);
});

test("without MillisBehindLatest, the first empty page ends the shard", async () => {
  const shard = scriptedShard([{ records: 1 }, { records: 0 }, { records: 1 }]);
  assert.is((await readStream(shard.client, "s")).length, 1);
  assert.is(shard.calls(), 2);
});

test("a full page at the tip is not the end", async () => {
  const shard = scriptedShard([
    { records: PAGE_LIMIT, MillisBehindLatest: 0 },
    { records: 5, MillisBehindLatest: 0 },
  ]);
  assert.is((await readStream(shard.client, "s")).length, PAGE_LIMIT + 5);
  assert.is(shard.calls(), 2);
});

test("listShards follows NextToken to the last page, the stream named only on the first", async () => {
  const asked: unknown[] = [];
  const pages = [
    { Shards: [{ ShardId: "a" }, { ShardId: "b" }], NextToken: "t1" },
    { Shards: [{ ShardId: "c" }] },
  ];
  const client = {
    send: async (command: ListShardsCommand) => {
      asked.push(command.input);
      return pages[asked.length - 1];
    },
  } as unknown as KinesisClient;
  assert.equal(await listShards(client, "s"), ["a", "b", "c"]);
  assert.equal(asked, [{ StreamName: "s" }, { NextToken: "t1" }]);
});

test.run();
