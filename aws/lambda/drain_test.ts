import type { KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { drain } from "./drain.ts";
import { recordsOf } from "./event.ts";

const records = recordsOf(["a", "b", "c", "d", "e", "f", "g"]);
const seq = (i: number) => records[i]?.kinesis.sequenceNumber as string;

/** A handler that answers `answer` for each batch, and notes which records it saw. */
function scripted(answer: (batch: string[], call: number) => KinesisStreamBatchResponse) {
  const seen: string[][] = [];
  const handler = async (event: KinesisStreamEvent) => {
    const batch = event.Records.map((r) => Buffer.from(r.kinesis.data, "base64").toString());
    seen.push(batch);
    return answer(batch, seen.length);
  };
  return { handler, seen };
}

test("success: batches of batchSize, each record once", async () => {
  const { handler, seen } = scripted(() => ({ batchItemFailures: [] }));
  const drained = await drain(handler, records, { batchSize: 3 });
  assert.equal(seen, [["a", "b", "c"], ["d", "e", "f"], ["g"]]);
  assert.equal(drained, { invocations: 3, retries: 0, skipped: [] });
});

test("a partial failure re-delivers from the reported record, in order", async () => {
  const { handler, seen } = scripted((_, call) =>
    call === 1 ? { batchItemFailures: [{ itemIdentifier: seq(1) }] } : { batchItemFailures: [] },
  );
  const drained = await drain(handler, records, { batchSize: 3 });
  assert.equal(seen, [
    ["a", "b", "c"],
    ["b", "c", "d"],
    ["e", "f", "g"],
  ]);
  assert.equal([drained.retries, drained.skipped], [1, []]);
});

test("an identifier outside the batch fails it whole: retried halved, as make local does", async () => {
  const { handler, seen } = scripted((_, call) =>
    call === 1 ? { batchItemFailures: [{ itemIdentifier: "1" }] } : { batchItemFailures: [] },
  );
  await drain(handler, records, { batchSize: 4 });
  assert.equal(seen.slice(0, 2), [
    ["a", "b", "c", "d"],
    ["a", "b"],
  ]);
});

test("a record that always fails is skipped after the retries, and reported", async () => {
  const { handler } = scripted((batch) =>
    batch.includes("c")
      ? { batchItemFailures: [{ itemIdentifier: seq(2) }] }
      : { batchItemFailures: [] },
  );
  const drained = await drain(handler, records, { batchSize: 7 });
  assert.equal(
    drained.skipped.map((s) => [s.startSequenceNumber, s.endSequenceNumber]),
    [[seq(2), seq(6)]],
  );
});

test.run();
