import type {
  KinesisClient,
  PutRecordsCommand,
  PutRecordsCommandOutput,
} from "@aws-sdk/client-kinesis";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { kinesisClient } from "../../aws/clients.ts";
import { startKinesisMock } from "../../aws/emulators/kinesis_mock.ts";
import { createStream } from "../../aws/resources.ts";
import { readStream } from "../../aws/stream.ts";
import type { OopsEvent } from "../../core/mod.ts";
import { PARTITION_KEYS, PutError, putEvents } from "./put.ts";
import { events } from "./world.ts";

test("vin partition keys keep a truck's events together; random ones spread", () => {
  const sample = [...events({ seed: 1, count: 50 })];
  for (const e of sample) {
    const key = PARTITION_KEYS.vin(e);
    assert.is(key, "vehicle" in e ? e.vehicle.vin : e.employee.id);
  }
  assert.is(new Set(sample.map(PARTITION_KEYS.random)).size, sample.length);
});

/** A client whose PutRecords fails the entries `fails` picks, recording every call. */
function flakyClient(fails: (call: number, index: number) => boolean) {
  const calls: string[][] = [];
  const client = {
    send: async (command: PutRecordsCommand): Promise<Partial<PutRecordsCommandOutput>> => {
      const records = command.input.Records ?? [];
      calls.push(records.map((r) => r.PartitionKey ?? ""));
      const call = calls.length;
      return {
        FailedRecordCount: 0,
        Records: records.map((_, i) =>
          fails(call, i)
            ? { ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: "slow down" }
            : { SequenceNumber: "1", ShardId: "shardId-000000000000" },
        ),
      };
    },
  };
  return { client: client as unknown as KinesisClient, calls };
}

test("entries that keep failing end in a PutError after maxAttempts", async () => {
  const { client, calls } = flakyClient((_, i) => i === 0);
  try {
    const [x, y] = [...events({ seed: 3, count: 2 })] as [OopsEvent, OopsEvent];
    await putEvents(client, "s", [x, y], { maxAttempts: 3, backoffMs: 1, partitionKey: () => "k" });
    assert.unreachable("should have thrown");
  } catch (err) {
    assert.instance(err, PutError);
    assert.match(
      (err as Error).message,
      "1 of 2 records not written after 3 attempts (ProvisionedThroughputExceededException: slow down)",
    );
  }
  assert.is(calls.length, 3);
});

const byContent = (list: unknown[]) => list.map((e) => JSON.stringify(e)).sort();

test("against kinesis-mock: every event is written once and reads back intact", async () => {
  const kinesis = await startKinesisMock();
  const client = kinesisClient(kinesis.endpoint);
  try {
    await createStream(client, "put-test", 2);
    const written: OopsEvent[] = [...events({ seed: 2, count: 1_234 })];
    const result = await putEvents(client, "put-test", written);
    assert.equal([result.written, result.calls], [1_234, 3]);
    assert.equal(
      byContent((await readStream(client, "put-test")).map((record) => JSON.parse(record.text))),
      byContent(written),
    );
  } finally {
    client.destroy();
    await kinesis.stop();
  }
});

test.run();
