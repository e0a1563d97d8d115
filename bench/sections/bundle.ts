/**
 * Section 4, the bundle: its size (raw, gzip, the deploy zip), what it is
 * made of (bytes by package, through a source map), and its cold start. A
 * cold start here is a fresh `node` process that imports the bundle and
 * handles one 100-event batch; the baseline is a fresh process importing an
 * empty module. The batch goes to dynalite (as the baseline was
 * measured, its round trips included) and to the round-trip model (every
 * request answered 5 ms after it was sent, as DynamoDB in the region does).
 * Runs rotate, each on a table of its own; the difference of the medians is
 * what the bundle adds to a Lambda cold start (the runtime's own start is
 * not in it).
 *
 * @module
 */

import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { constants, gzipSync } from "node:zlib";
import { startModelledDynamo } from "../../aws/emulators/round_trip.ts";
import { assertBundleFresh, BUNDLE } from "../../aws/lambda/bundle.ts";
import { bundleContents, type Share } from "../bundle_contents.ts";
import { type ColdStart, measureColdStarts } from "../cold_start.ts";
import type { Goal, Report, RunOptions, Section } from "../section.ts";
import { ms, num, showSpread, times } from "../stats.ts";
import { renderTable } from "../table.ts";
import { RTT_MS } from "./latency.ts";

const ZIP = join(dirname(BUNDLE), "function.zip");
/** The goals of the issue that set them (the last run before was 367 KB and +108 ms). */
const MAX_RAW_BYTES = 250_000;
const MAX_OVERHEAD_MS = 100;
/** Packages shown one by one in the breakdown; the rest are summed. */
const SHOWN = 12;

export interface BundleFigures {
  readonly rawBytes: number;
  readonly gzipBytes: number;
  readonly zipBytes: number | undefined;
  /** The minified bundle's bytes by package (or project folder), largest first. */
  readonly contents: readonly Share[];
  /** The first batch against dynalite, its round trips included. */
  readonly dynalite: ColdStart;
  /** The first batch against the round-trip model: every request answered `rttMs` after it was sent. */
  readonly roundTrip: ColdStart & { readonly rttMs: number };
}

/** Sizes of the built bundle. */
export function bundleSizes(): Pick<BundleFigures, "rawBytes" | "gzipBytes" | "zipBytes"> {
  const raw = readFileSync(BUNDLE);
  return {
    rawBytes: raw.byteLength,
    gzipBytes: gzipSync(raw, { level: constants.Z_BEST_COMPRESSION }).byteLength,
    zipBytes: existsSync(ZIP) ? statSync(ZIP).size : undefined,
  };
}

/** Measures sizes, contents and `runs` cold starts of each kind. */
export async function measureBundle(runs: number, seed: number): Promise<BundleFigures> {
  assertBundleFresh();
  const { dynalite, model, admin, stop } = await startModelledDynamo(RTT_MS);
  try {
    const cold = await measureColdStarts(runs, seed, admin, {
      dynalite: dynalite.endpoint,
      roundTrip: model.endpoint,
    });
    await model.verify();
    const contents = await bundleContents();
    return {
      ...bundleSizes(),
      contents,
      dynalite: cold.dynalite,
      roundTrip: { ...cold.roundTrip, rttMs: RTT_MS },
    };
  } finally {
    await stop();
  }
}

const kb = (bytes: number) => `${num(bytes / 1000)} KB`;

/** The breakdown: the largest owners, then the rest summed, with their share of the total. */
function contentsTable(f: BundleFigures): string {
  const shown = f.contents.slice(0, SHOWN);
  const rest = f.contents.slice(SHOWN).reduce((sum, share) => sum + share.bytes, 0);
  const share = (bytes: number) => `${((bytes / f.rawBytes) * 100).toFixed(1)} %`;
  return renderTable(
    ["in index.mjs (minified, by source map)", "bytes", "share"],
    [
      ...shown.map((s) => [s.owner, kb(s.bytes), share(s.bytes)]),
      [`${f.contents.length - shown.length} more`, kb(rest), share(rest)],
    ],
  );
}

/** A cold start table: the bundle against one endpoint, beside the baseline. */
function coldTable(c: ColdStart, endpoint: string): string {
  return renderTable(
    [`fresh node process, first batch to ${endpoint}`, "median (min–max, n)"],
    [
      ["import bundle + handle 1 batch of 100", showSpread(c.coldStart, ms)],
      ["import an empty module (baseline)", showSpread(c.emptyProcess, ms)],
      ["overhead (difference of medians)", ms(c.overheadMs)],
      ["ratio", times(c.ratio)],
      ["  of which import, timed in the child", showSpread(c.importMs, ms)],
      ["  of which first batch, timed in the child", showSpread(c.firstBatchMs, ms)],
    ],
  );
}

function bundleGoals(f: BundleFigures): Goal[] {
  const overhead = (c: ColdStart) =>
    `${ms(c.overheadMs)} (${ms(c.coldStart.median)} against an empty module's ${ms(c.emptyProcess.median)})`;
  return [
    {
      name: `bundle ≤ ${kb(MAX_RAW_BYTES)} (raw index.mjs)`,
      value: `${kb(f.rawBytes)} (gzip ${kb(f.gzipBytes)})`,
      met: f.rawBytes <= MAX_RAW_BYTES,
    },
    {
      name: `cold start overhead ≤ ${MAX_OVERHEAD_MS} ms, first batch to dynalite`,
      value: overhead(f.dynalite),
      met: f.dynalite.overheadMs <= MAX_OVERHEAD_MS,
    },
    {
      name: `cold start overhead ≤ ${MAX_OVERHEAD_MS} ms, first batch with a ${f.roundTrip.rttMs} ms round trip`,
      value: overhead(f.roundTrip),
      met: f.roundTrip.overheadMs <= MAX_OVERHEAD_MS,
    },
  ];
}

/** The section's tables. */
export function bundleReport(f: BundleFigures): Report {
  const text = [
    renderTable(
      ["handler/dist/index.mjs", "size"],
      [
        ["raw", kb(f.rawBytes)],
        ["gzip -9", kb(f.gzipBytes)],
        ["function.zip (deployed)", f.zipBytes === undefined ? "not built" : kb(f.zipBytes)],
      ],
    ),
    contentsTable(f),
    coldTable(f.dynalite, "dynalite"),
    coldTable(f.roundTrip, `the ${f.roundTrip.rttMs} ms round-trip model`),
    "Against dynalite the first batch includes its round trips (three combined updates, which it",
    "parses one after another); the round-trip model answers each in the time DynamoDB takes in the",
    "region, but over loopback HTTP, without TLS. Both include the SDK's first connection.",
  ].join("\n");
  return { figures: f, text, goals: bundleGoals(f) };
}

export const bundle: Section = {
  name: "bundle",
  title: "4. Bundle: size, contents and cold start of handler/dist/index.mjs",
  emulators: true,
  run: async ({ quick, seed }: RunOptions) =>
    bundleReport(await measureBundle(quick ? 3 : 15, seed)),
};
