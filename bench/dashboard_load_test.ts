/** The dashboard load benchmark, small and short: it runs, cleans up, and its figures hold. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { benchDashboard } from "./dashboard_load.ts";

test("a short run: one read per interval, every viewer served and up to date", async () => {
  const f = await benchDashboard({ seconds: 3, viewers: 50, pollConnections: 4, trucks: 10 });
  assert.equal(f.viewers, { asked: 50, connected: 50, refused: 0, upToDate: 50 });
  // One read per refresh interval; a window of a few intervals may catch one read
  // more at its edges, whatever the phase of the server's timer.
  const intervals = Math.ceil((f.seconds * 1_000) / f.refreshMs);
  assert.ok(
    f.tableReads.total <= intervals + 1,
    `${f.tableReads.total} reads in ${f.seconds} s, refresh every ${f.refreshMs} ms`,
  );
  assert.ok(f.writes >= 4, `${f.writes} writes`);
  assert.is(f.deliveryMs.samples, 50 * f.writes);
  assert.ok(f.deliveryMs.p99 < 3_000, `delivery p99 ${f.deliveryMs.p99} ms`);
  assert.ok((f.polling.conditional.statuses["304"] ?? 0) > 0, "no 304 for If-None-Match");
  assert.is(f.polling.plain.statuses["304"], undefined);
  assert.ok(f.serverRssMb.peak > 0);
});

test.run();
