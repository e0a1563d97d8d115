import { test } from "uvu";
import * as assert from "uvu/assert";
import { recordsOf } from "../../aws/lambda/event.ts";
import { readBatch } from "../../handler/records.ts";
import { envelope } from "../../handler/rejects.ts";
import { groupRejects, reasonOf } from "./group.ts";

/** The envelopes the handler would put on the rejects stream for these payloads. */
const onStream = (payloads: string[]) =>
  readBatch(recordsOf(payloads)).rejects.map((reject) => JSON.stringify(envelope(reject)));

const oil = (mileage: string) =>
  `{"event":"MECHANIC_CHANGES_OIL","timestamp":"2018-01-12T12:00:00Z","employee":{"id":"6f5a1a7e-0f47-4b5b-9d3b-2d3a5b1c9e10","jobRole":"JNR_MECHANIC"},"vehicle":{"vin":"1HGCM82633A004352","mileage":${mileage}}}`;

test("the value found is not part of the group", () => {
  assert.is(
    reasonOf("vehicle.mileage: expected a non-negative integer, got -3"),
    "vehicle.mileage: expected a non-negative integer",
  );
  assert.is(reasonOf("colour: unexpected field"), "colour: unexpected field");
});

test("rejects grouped by reason, biggest first, with the first examples; foreign records counted", () => {
  const records = [
    ...onStream([oil("-1"), "nope", oil("-2"), oil("1.5"), oil("-4")]),
    "not an envelope",
  ];
  const report = groupRejects(records, 2);
  assert.is(report.total, 6);
  assert.is(report.foreign, 1);
  assert.equal(
    report.reasons.map((g) => [g.count, g.reason, g.group]),
    [
      [4, "vehicle.mileage: expected a non-negative integer", "invalid-field"],
      [1, "record: expected one JSON document", "malformed"],
    ],
  );
  assert.equal(report.byGroup, { "invalid-field": 4, malformed: 1 });
  const [mileage] = report.reasons;
  assert.equal(
    mileage?.examples.map((e) => e.reason),
    [
      "vehicle.mileage: expected a non-negative integer, got -1",
      "vehicle.mileage: expected a non-negative integer, got -2",
    ],
  );
  assert.ok(mileage?.examples[0]?.data.startsWith('{"event":"MECHANIC_CHANGES_OIL"'));
  assert.ok((mileage?.examples[0]?.data.length ?? 0) <= 80);
});

test("an envelope without a known group is still grouped by reason, and counted in no group", () => {
  const [withGroup, withoutGroup, withOther] = onStream([oil("-1"), oil("-2"), oil("-3")]).map(
    (text) => JSON.parse(text),
  );
  delete withoutGroup.group;
  withOther.group = "rejectedInvalidField";
  const report = groupRejects([withoutGroup, withOther, withGroup].map((e) => JSON.stringify(e)));
  assert.equal(
    report.reasons.map((g) => [g.count, g.group]),
    [[3, "invalid-field"]],
  );
  assert.equal(report.byGroup, { "invalid-field": 1 });
});

test.run();
