import { test } from "uvu";
import * as assert from "uvu/assert";
import { renderHeader, renderView, type Status } from "./view.ts";

const now = new Date("2026-01-01T12:00:05.400Z");
const status: Status = {
  readyMs: 4_210,
  stream: "oops-events",
  table: "oops-trucks",
  kinesisEndpoint: "http://127.0.0.1:4567",
  dynamodbEndpoint: "http://127.0.0.1:8000",
  dashboardUrl: "http://127.0.0.1:8080/",
  archive: {
    url: "s3://oops-events-archive-000000000000-us-east-1/events/ at http://127.0.0.1:4568",
    objects: 12,
    records: 1230,
    bytes: 20_480,
  },
  mapping: "pid 4242",
  records: 1234,
  perSecond: 1,
  lastBatchAt: Date.parse("2026-01-01T12:00:05.000Z"),
  lagMs: 120,
  figures: "last 5 min: 4.1 events/s · 0 rejected (0.0 %) · 1.02 writes/event",
  generator: "Wrote TruckArrivesEvent with timestamp 2018-01-01 00:14:00",
};

test("the header says what runs where and whether events flow", () => {
  assert.is(
    renderHeader(status, now),
    [
      "OOPS truck status · local stack, ready in 4.2 s · Ctrl-C stops everything",
      "stream oops-events → mapping (pid 4242) → handler bundle → table oops-trucks",
      "kinesis http://127.0.0.1:4567 · dynamodb http://127.0.0.1:8000 · dashboard http://127.0.0.1:8080/",
      "archive s3://oops-events-archive-000000000000-us-east-1/events/ at http://127.0.0.1:4568 · 12 objects, 1230 records, 20 KiB",
      "events seen 1234 · 1/s · last batch 12:00:05 UTC (0.4 s ago) · lag 120 ms",
      "last 5 min: 4.1 events/s · 0 rejected (0.0 %) · 1.02 writes/event",
      "generator: Wrote TruckArrivesEvent with timestamp 2018-01-01 00:14:00",
    ].join("\n"),
  );
});

test("before the first batch, and without a dashboard", () => {
  const header = renderHeader(
    {
      ...status,
      records: 0,
      perSecond: undefined,
      lastBatchAt: undefined,
      lagMs: undefined,
      dashboardUrl: undefined,
    },
    now,
  );
  assert.match(header, "events seen 0 · last batch none yet\n");
  assert.match(header, "dashboard off");
});

test("the table follows the header; an empty table says so", () => {
  assert.match(renderView(status, [], now), /\n\n\(no trucks yet\)\n$/);
  const view = renderView(
    status,
    [{ vin: "1HGCM82633A004352", mileage: 12453, "mileage-at-oil-change": 12418 }],
    now,
  );
  assert.match(view, /\n\nVIN +latitude/);
  assert.match(view, /1HGCM82633A004352 .* 12453 +35\n$/);
});

test.run();
