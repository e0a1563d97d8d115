import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { addObject, addRecord, addUnreadable, newTally, truth } from "./tally.ts";
import { delivery, event } from "./testing/arbitraries.ts";
import { oracleTable } from "./testing/oracle.ts";
import { check } from "./testing/property.ts";

const utf8 = new TextEncoder();
const objectOf = (texts: readonly string[]) => utf8.encode(texts.map((t) => `${t}\n`).join(""));

test("the truth of any archive of the events is the oracle's table, however split and repeated", async () => {
  const cases = fc
    .array(event(), { maxLength: 40 })
    .chain((events) => fc.tuple(fc.constant(events), delivery(events)));
  await check(
    fc.property(cases, ([events, objects]) => {
      const tally = newTally();
      for (const [i, object] of objects.entries()) {
        addObject(tally, `events/o${i}.gz`, objectOf(object.map((e) => JSON.stringify(e))));
      }
      assert.equal(truth(tally), oracleTable(events));
      assert.is(tally.valid, tally.events);
    }),
    500,
  );
});

test("rejects are counted by field with where they are; unreadable objects are listed", () => {
  const tally = newTally();
  const truck = (mileage: unknown) =>
    JSON.stringify({
      event: "MECHANIC_CHANGES_OIL",
      timestamp: "2018-01-12T12:00:00Z",
      employee: { id: "6f5a1a7e-0f47-4b5b-9d3b-2d3a5b1c9e10", jobRole: "JNR_MECHANIC" },
      vehicle: { vin: "1HGCM82633A004352", mileage },
    });
  addObject(
    tally,
    "k1",
    objectOf([truck(-1), "garbage", truck(7), truck(-2), truck(-3), truck(-4)]),
  );
  addRecord(tally, "shardId-000000000000/42", utf8.encode(truck(1.5)));
  addUnreadable(tally, "k2", "not gzip");
  assert.equal([tally.events, tally.valid], [7, 1]);
  const mileage = tally.rejected.get("vehicle.mileage");
  assert.is(mileage?.count, 5);
  assert.equal(
    mileage?.examples.map((e) => e.split(": ")[0]),
    ["k1:1", "k1:4", "k1:5"],
    "the first three, by place",
  );
  assert.match(
    tally.rejected.get("record")?.examples[0] ?? "",
    /^k1:2: record: expected one JSON document/,
  );
  assert.equal(tally.unreadable, [{ key: "k2", problem: "not gzip" }]);
  assert.equal(truth(tally), [
    { vin: "1HGCM82633A004352", mileage: 7, "mileage-at-oil-change": 7 },
  ]);
});

test.run();
