import type { KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { chunks, type Entry, MAX_BYTES, MAX_ENTRIES, putRecords } from "./put_records.ts";

const entry = (bytes: number, key = "k"): Entry => ({
  data: new Uint8Array(bytes),
  partitionKey: key,
});

test("calls keep within 500 entries and 5 MiB, data and keys counted", () => {
  const sizes = (entries: Entry[]) => [...chunks(entries)].map((c) => c.length);
  assert.equal(sizes(Array.from({ length: 1201 }, () => entry(10))), [
    MAX_ENTRIES,
    MAX_ENTRIES,
    201,
  ]);
  const mebibyte = 1024 * 1024;
  assert.equal(sizes(Array.from({ length: 7 }, () => entry(mebibyte - 1))), [5, 2]);
  assert.equal(sizes([entry(MAX_BYTES - 1), entry(1)]), [1, 1]);
  assert.equal(sizes([entry(MAX_BYTES - 2, "é")]), [1], "a key counts by its UTF-8 bytes");
  assert.equal(sizes([]), []);
});

/** A client that answers PutRecords from a script of per-entry outcomes, recording the keys of each call. */
function scripted(outcome: (call: number, entry: number) => "ok" | "throttled" | Error) {
  const calls: string[][] = [];
  const client = {
    send: async (command: PutRecordsCommand) => {
      const records = command.input.Records ?? [];
      const call = calls.push(records.map((r) => r.PartitionKey ?? "")) - 1;
      return {
        Records: records.map((_, i) => {
          const o = outcome(call, i);
          if (o instanceof Error) throw o;
          return o === "ok"
            ? { SequenceNumber: `${call}${i}`, ShardId: "shardId-000000000000" }
            : { ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: "slow down" };
        }),
      };
    },
  } as unknown as KinesisClient;
  return { client, calls };
}

const keyed = (...keys: string[]) => keys.map((key) => entry(3, key));

test("only the entries that failed are sent again", async () => {
  const { client, calls } = scripted((call, i) => (call === 0 && i % 2 === 1 ? "throttled" : "ok"));
  const put = await putRecords(client, "s", keyed("a", "b", "c", "d"), { backoffMs: 1 });
  assert.equal(calls, [
    ["a", "b", "c", "d"],
    ["b", "d"],
  ]);
  assert.equal([put.undelivered, put.retried, put.calls], [[], 2, 2]);
});

test("entries that keep failing are handed back after maxAttempts, with their error", async () => {
  const { client, calls } = scripted((_, i) => (i === 0 ? "throttled" : "ok"));
  const entries = keyed("a", "b", "c");
  const put = await putRecords(client, "s", entries, { maxAttempts: 3, backoffMs: 1 });
  assert.equal(calls, [["a", "b", "c"], ["a"], ["a"]]);
  assert.equal(put.undelivered, entries.slice(0, 1));
  assert.equal(put.errorCodes, ["ProvisionedThroughputExceededException"]);
  assert.is(put.firstError, "ProvisionedThroughputExceededException: slow down");
});

test("a call that fails outright hands back its chunk, and the next chunk is still sent", async () => {
  const boom = new Error("socket hang up");
  const { client, calls } = scripted((call) => (call === 0 ? boom : "ok"));
  const entries = Array.from({ length: 501 }, (_, i) => entry(1, `k${i}`));
  const put = await putRecords(client, "s", entries);
  assert.equal([calls.length, put.undelivered.length, put.callError], [2, 500, boom]);
});

test.run();
