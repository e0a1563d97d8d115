/** The replay section, small: it runs, its table equals the oracle's, and its figures hold. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { measureReplay, replayReport } from "./replay.ts";

test("a small replay: one write per truck, against about one per truck per batch re-put", async () => {
  const f = await measureReplay(3_000, 40, 400, 1);
  assert.equal([f.events, f.trucks, f.writeRequests], [3_000, 40, 40]);
  assert.ok(
    f.baselineWritesPer1000 > 10 * f.writesPer1000,
    "re-putting writes per batch, not once",
  );
  const report = replayReport(f);
  assert.equal(
    report.goals.map((g) => [g.name, g.met]),
    [
      ["replay of 1,000,000 archived events ≤ 60 s", false],
      ["replay write requests = trucks", true],
    ],
  );
});

test.run();
