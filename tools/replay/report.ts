/**
 * What a replay prints: a progress line while it reads (objects, events/s,
 * ETA) and a summary at the end (events read, rejected by field, unreadable
 * objects, trucks, write requests, duration). Pure, so that the wording is
 * tested and shared by `make replay`, `make diff` and `make rebuild`.
 *
 * @module
 */

import type { Difference } from "../../core/diff.ts";
import type { Tally } from "../../core/tally.ts";
import type { ReadProgress } from "./truth.ts";
import type { Written } from "./write.ts";

const count = (n: number) => n.toLocaleString("en");
const mebibytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** `12/40 objects (3.1 of 9.9 MiB), 310,000 events, 52,000 events/s, about 8 s left`. */
export function progressLine(p: ReadProgress, elapsedMs: number): string {
  const rate = p.events / Math.max(elapsedMs / 1000, 0.001);
  const left = p.bytes === 0 ? undefined : (elapsedMs * (p.bytesTotal - p.bytes)) / p.bytes;
  return [
    `${p.objects}/${p.objectsTotal} objects (${mebibytes(p.bytes)} of ${mebibytes(p.bytesTotal)})`,
    `${count(p.events)} events`,
    `${count(Math.round(rate))} events/s`,
    left === undefined ? "" : `about ${seconds(left)} left`,
  ]
    .filter(Boolean)
    .join(", ");
}

/** The lines on what was read: totals, then each reject group and unreadable object. */
export function readSummary(tally: Tally & { objects: number }, elapsedMs: number): string[] {
  const rate = Math.round(tally.events / Math.max(elapsedMs / 1000, 0.001));
  const rejected = [...tally.rejected.values()].reduce((n, g) => n + g.count, 0);
  const lines = [
    `read ${count(tally.objects)} objects, ${count(tally.events)} events in ${seconds(elapsedMs)} ` +
      `(${count(rate)} events/s): ${count(tally.valid)} valid, ${count(rejected)} rejected, ` +
      `${count(tally.rows.size)} trucks`,
  ];
  for (const [field, group] of [...tally.rejected].sort(([, a], [, b]) => b.count - a.count)) {
    lines.push(`  rejected at ${field}: ${count(group.count)}, e.g.`);
    lines.push(...group.examples.map((example) => `    ${example}`));
  }
  for (const { key, problem } of tally.unreadable) lines.push(`  unreadable ${key}: ${problem}`);
  return lines;
}

/** The line on what was written. */
export function writeSummary(written: Written, table: string, elapsedMs: number): string {
  const refused =
    written.conditionFailures === 0 ? "" : `, ${count(written.conditionFailures)} refused`;
  const reads = written.storedReads === 0 ? "" : `, ${count(written.storedReads)} stored reads`;
  const failed = written.failed.length === 0 ? "" : `; ${written.failed.length} trucks NOT written`;
  return (
    `wrote ${count(written.trucks)} trucks into ${table}: ${count(written.writeRequests)} write requests` +
    `${refused}${reads}${failed} in ${seconds(elapsedMs)}`
  );
}

/** The differences as aligned lines under a header naming both sides, or one line saying there are none. */
export function diffLines(
  differences: readonly Difference[],
  left: string,
  right: string,
): string[] {
  if (differences.length === 0) return [`no differences between ${left} and ${right}`];
  const show = (value: unknown) => (value === undefined ? "(absent)" : String(value));
  const rows = [
    ["VIN", "attribute", left, right],
    ...differences.map((d) => [d.vin, d.attribute, show(d.left), show(d.right)]),
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));
  const trucks = new Set(differences.map((d) => d.vin)).size;
  return [
    `${differences.length} differences in ${trucks} trucks between ${left} and ${right}:`,
    ...rows.map(
      (row) =>
        `  ${row
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join("  ")
          .trimEnd()}`,
    ),
  ];
}
