/**
 * Section 7, the live dashboard under load: the dashboard engineer's
 * `benchDashboard` (1,000 Server-Sent Events viewers and two polling crowds
 * for 30 s against the real server process and dynalite), reported beside the
 * other sections. The baseline is what the same audience would cost if each
 * viewer read the table itself once per refresh interval.
 *
 * @module
 */

import { benchDashboard, type DashboardFigures } from "../dashboard_load.ts";
import type { Report, RunOptions, Section } from "../section.ts";
import { ms, num, times } from "../stats.ts";
import { renderTable } from "../table.ts";

/** Table reads per second if every viewer read the table itself once per refresh interval. */
export function readsWithoutSharing(f: DashboardFigures): number {
  return f.viewers.connected / (f.refreshMs / 1_000);
}

/** The section's table. */
export function viewersReport(f: DashboardFigures): Report {
  const poll = (x: DashboardFigures["polling"]["plain"]) =>
    `${num(x.perSecond)} req/s, p50 ${ms(x.p50Ms)}, p99 ${ms(x.p99Ms)}, errors ${x.errors}`;
  const unshared = readsWithoutSharing(f);
  const text = [
    `${f.viewers.connected}/${f.viewers.asked} SSE viewers connected (${f.viewers.refused} refused), ` +
      `${f.trucks} trucks, ${f.writes} writes in ${f.seconds} s, refresh every ${f.refreshMs} ms`,
    renderTable(
      ["figure", "value"],
      [
        ["write → every viewer, p50", ms(f.deliveryMs.p50)],
        ["write → every viewer, p99", ms(f.deliveryMs.p99)],
        ["viewers holding the last write", `${f.viewers.upToDate}/${f.viewers.connected}`],
        ["table reads per second", num(f.tableReads.perSecond)],
        ["reads if each viewer read the table (baseline)", `${num(unshared)}/s`],
        ["ratio", times(f.tableReads.perSecond / unshared)],
        ["polling /api/trucks", poll(f.polling.plain)],
        ["polling with If-None-Match", poll(f.polling.conditional)],
        [
          "server RSS idle / with viewers / peak",
          `${f.serverRssMb.idle} / ${f.serverRssMb.withViewers} / ${f.serverRssMb.peak} MiB`,
        ],
      ],
    ),
    "delivery delay includes the server's refresh interval (up to one interval by design) and dynalite's Scan.",
  ].join("\n");
  return { figures: f, text, goals: [] };
}

export const viewers: Section = {
  name: "dashboard",
  title: "7. Dashboard: 1,000 live viewers on one table read per refresh",
  emulators: true,
  run: async ({ quick }: RunOptions) =>
    viewersReport(
      await benchDashboard(
        quick
          ? { seconds: 3, viewers: 50, pollConnections: 4, trucks: 10 }
          : { seconds: 30, viewers: 1_000 },
      ),
    ),
};
