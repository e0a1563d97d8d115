/**
 * The design card's guarantee, end to end through the bundle: the table is a
 * pure function of the set of valid events delivered, whatever the order,
 * duplication, batching and concurrency of invocations across containers.
 */
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Sandbox, startSandbox } from "../aws/emulators/sandbox.ts";
import type { Handler } from "../aws/lambda/bundle.ts";
import { kinesisEvent, lambdaContext, recordsOf, sequencer } from "../aws/lambda/event.ts";
import { type Captured, captureLogs } from "../aws/lambda/logs.ts";
import { NAMES } from "../aws/names.ts";
import { clearTable, readTable } from "../aws/table.ts";
import { delivery, event, VINS } from "../core/testing/arbitraries.ts";
import { oracleTable } from "../core/testing/oracle.ts";
import { check } from "../core/testing/property.ts";

/** Containers of the function running at once. */
const CONTAINERS = 3;

let sandbox: Sandbox;
let containers: Handler[];
let logs: Captured;

test.before(async () => {
  sandbox = await startSandbox();
  logs = captureLogs();
  containers = [];
  for (let i = 0; i < CONTAINERS; i++) containers.push(await sandbox.load());
});

test.after(async () => {
  logs?.restore();
  await sandbox?.stop();
});

const deliveries = fc
  .array(event(), { maxLength: 24 })
  .chain((events) => fc.tuple(fc.constant(events), delivery(events)));

test("every delivery of the same events, all batches at once, gives the oracle's table", async () => {
  await check(
    fc.asyncProperty(deliveries, async ([events, batches]) => {
      await clearTable(sandbox.dynamo, NAMES.table, VINS);
      logs.lines.length = 0;
      const next = sequencer();
      const responses = await Promise.all(
        batches.map((batch, i) => {
          const handler = containers[i % CONTAINERS] as Handler;
          return handler(kinesisEvent(recordsOf(batch, next)), lambdaContext());
        }),
      );
      for (const response of responses) assert.equal(response, { batchItemFailures: [] });
      assert.equal(await readTable(sandbox.dynamo, NAMES.table), oracleTable(events));
      for (const summary of logs.summaries()) {
        assert.ok(
          Number(summary.writeRequests) <= 3 * Number(summary.trucks),
          "over three writes a truck",
        );
      }
    }),
    200,
  );
});

test.run();
