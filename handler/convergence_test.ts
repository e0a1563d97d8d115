/**
 * The design card's guarantee, end to end through the bundle: the table is a
 * pure function of the set of valid events delivered, whatever the order,
 * duplication, batching and concurrency of invocations across containers.
 * The containers stay warm across cases, each with its floor (one that holds
 * every truck, and two that keep evicting), so what one container learned
 * in earlier batches shapes its next writes while the others race it; each
 * case has trucks of its own (`newFleet`), since emptying the table between
 * cases deletes items behind the containers' backs.
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
import { delivery, event } from "../core/testing/arbitraries.ts";
import { newFleet } from "../core/testing/fleet.ts";
import { oracleTable } from "../core/testing/oracle.ts";
import { check } from "../core/testing/property.ts";

/** Containers of the function running at once, by how many trucks each one's floor holds. */
const FLOOR_SIZES = ["10000", "3", "1"];

let sandbox: Sandbox;
let containers: Handler[];
let logs: Captured;

test.before(async () => {
  sandbox = await startSandbox();
  logs = captureLogs();
  containers = [];
  for (const size of FLOOR_SIZES) containers.push(await sandbox.load({ FLOOR_MAX_TRUCKS: size }));
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
    fc.asyncProperty(deliveries, async ([generated, delivered]) => {
      const fleet = newFleet();
      const events = generated.map(fleet.rename);
      const batches = delivered.map((batch) => batch.map(fleet.rename));
      logs.lines.length = 0;
      try {
        const next = sequencer();
        const responses = await Promise.all(
          batches.map((batch, i) => {
            const handler = containers[i % containers.length] as Handler;
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
      } finally {
        await clearTable(sandbox.dynamo, NAMES.table, fleet.vins);
      }
    }),
    200,
  );
});

test.run();
