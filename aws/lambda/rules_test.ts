import { test } from "uvu";
import * as assert from "uvu/assert";
import { afterBatch, type InvocationResult, type RetryPolicy, type ShardState } from "./rules.ts";

const policy: RetryPolicy = { baseMs: 100, capMs: 1_000, batchSize: 100, maxRetries: 3 };
const fresh: ShardState = { checkpoint: undefined, attempts: 0, limit: 100 };
const batch = ["11", "12", "13", "14"];
const ok = (response: unknown): InvocationResult => ({ ok: true, response });
const failing = (...ids: unknown[]) =>
  ok({ batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })) });

/**
 * AWS's documented behaviour ("Configuring partial batch response with
 * Kinesis Data Streams and Lambda", and the event source mapping's
 * BisectBatchOnFunctionError), one row a statement, against a batch 11..14.
 */
const DOCUMENTED: [
  statement: string,
  result: InvocationResult,
  checkpoint: string | undefined,
  next: string,
][] = [
  [
    "an empty batchItemFailures list is complete success",
    ok({ batchItemFailures: [] }),
    "14",
    "continue",
  ],
  [
    "a null batchItemFailures list is complete success",
    ok({ batchItemFailures: null }),
    "14",
    "continue",
  ],
  ["an empty EventResponse is complete success", ok({}), "14", "continue"],
  ["a null EventResponse is complete success", ok(null), "14", "continue"],
  [
    "an empty string itemIdentifier is complete failure",
    failing(""),
    undefined,
    "retry 11, halved",
  ],
  ["a null itemIdentifier is complete failure", failing(null), undefined, "retry 11, halved"],
  [
    "an itemIdentifier with a bad key name is complete failure",
    ok({ batchItemFailures: [{ id: "12" }] }),
    undefined,
    "retry 11, halved",
  ],
  [
    "several items: the lowest sequence number is the checkpoint, retry from it",
    failing("14", "12"),
    "11",
    "retry 12",
  ],
  [
    "with bisect on, a partial response retries only the records from the returned one",
    failing("13"),
    "12",
    "retry 13",
  ],
  [
    "a function error bisects the batch, whatever the response type",
    { ok: false, error: new Error("x") },
    undefined,
    "retry 11, halved",
  ],
  [
    "(not documented) an identifier outside the batch: complete failure",
    failing("99"),
    undefined,
    "retry 11, halved",
  ],
];

test("the documented rules, row by row", () => {
  for (const [statement, result, checkpoint, next] of DOCUMENTED) {
    const { state, step } = afterBatch(fresh, batch, result, policy);
    const did =
      step.action === "retry"
        ? `retry ${step.from}${state.limit < policy.batchSize ? ", halved" : ""}`
        : step.action;
    assert.equal([state.checkpoint, did], [checkpoint, next], statement);
  }
});

test("success in every form Lambda accepts checkpoints the last record", () => {
  for (const response of [
    undefined,
    null,
    {},
    { batchItemFailures: [] },
    { batchItemFailures: null },
  ]) {
    const { state, step } = afterBatch(fresh, batch, ok(response), policy);
    assert.equal(state, { checkpoint: "14", attempts: 0, limit: 100 });
    assert.equal(step, { action: "continue" });
  }
});

test("item failures: checkpoint before the lowest, re-read from it, whatever their order", () => {
  const { state, step } = afterBatch(fresh, batch, failing("14", "13"), policy);
  assert.equal(state, { checkpoint: "12", attempts: 1, limit: 100 });
  assert.equal(step, { action: "retry", from: "13", delayMs: 100, reason: "item failure at 13" });
});

test("sequence numbers are compared by position, not as strings", () => {
  const long = ["9", "10", "11"];
  const { state, step } = afterBatch(fresh, long, failing("11", "10"), policy);
  assert.is(state.checkpoint, "9");
  assert.is(step.action === "retry" && step.from, "10");
});

test("a failure at the first record keeps the old checkpoint and counts an attempt", () => {
  const before: ShardState = { checkpoint: "10", attempts: 1, limit: 100 };
  const { state, step } = afterBatch(before, batch, failing("11"), policy);
  assert.equal(state, { checkpoint: "10", attempts: 2, limit: 100 });
  assert.is(step.action === "retry" && step.delayMs, 200);
});

test("an error retries the whole batch, halved, with growing backoff", () => {
  const error = { ok: false, error: new TypeError("boom") } as const;
  const first = afterBatch(fresh, batch, error, policy);
  assert.equal(first.state, { checkpoint: undefined, attempts: 1, limit: 2 });
  assert.equal(first.step, {
    action: "retry",
    from: "11",
    delayMs: 100,
    reason: "function error: TypeError: boom",
  });
  const second = afterBatch(first.state, ["11", "12"], error, policy);
  assert.equal(second.state, { checkpoint: undefined, attempts: 2, limit: 1 });
  const third = afterBatch(second.state, ["11"], error, policy);
  assert.is(third.state.limit, 1, "never below one record");
});

test("malformed answers and unknown identifiers fail the whole batch", () => {
  for (const response of [
    "yes",
    { batchItemFailures: "13" },
    { batchItemFailures: [{ itemIdentifier: "99" }] },
    { batchItemFailures: [{ itemIdentifier: "" }] },
    { batchItemFailures: [{}] },
    { batchItemFailures: [null] },
  ]) {
    const { state, step } = afterBatch(fresh, batch, ok(response), policy);
    assert.is(state.checkpoint, undefined, JSON.stringify(response));
    assert.is(step.action === "retry" && step.from, "11");
  }
});

test("retries are bounded: the batch is then skipped and reported, and the shard moves on", () => {
  const before: ShardState = { checkpoint: "10", attempts: 3, limit: 100 };
  const { state, step } = afterBatch(before, batch, failing("12"), policy);
  assert.equal(state, { checkpoint: "11", attempts: 1, limit: 100 }, "progress resets the count");
  assert.is(step.action, "retry");
  const stuck: ShardState = { checkpoint: "10", attempts: 3, limit: 100 };
  const gaveUp = afterBatch(stuck, batch, failing("11"), policy);
  assert.equal(gaveUp.state, { checkpoint: "14", attempts: 0, limit: 100 });
  assert.equal(gaveUp.step, {
    action: "skip",
    skipped: {
      startSequenceNumber: "11",
      endSequenceNumber: "14",
      batchSize: 4,
      retryAttempts: 3,
      reason: "item failure at 11",
    },
  });
});

test("success after failures restores the batch size and the count", () => {
  const before: ShardState = { checkpoint: "10", attempts: 2, limit: 1 };
  const { state } = afterBatch(before, ["11"], ok({ batchItemFailures: [] }), policy);
  assert.equal(state, { checkpoint: "11", attempts: 0, limit: 100 });
});

test.run();
