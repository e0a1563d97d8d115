/**
 * Section 2, core throughput: what our pure core costs per event, against
 * the least any JSON consumer must do. The same pre-encoded UTF-8 records go
 * through decode + map + reduce per batch of 100 (the handler's CPU work) and
 * through a bare `JSON.parse(TextDecoder.decode(bytes))`; passes alternate,
 * after a warm-up, so both see the same JIT, GC and thermal state.
 *
 * @module
 */

import { count, mayRepeatKeys } from "../../core/json.ts";
import { decode, map, type OopsEvent, type Row, reduce } from "../../core/mod.ts";
import { events as worldEvents } from "../../tools/generate/world.ts";
import type { Report, RunOptions, Section } from "../section.ts";
import { num, type Spread, showSpread, spread, times } from "../stats.ts";
import { renderTable } from "../table.ts";

/** One batch of records: their bytes back to back, and where each ends. */
interface EncodedBatch {
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
}

export interface CoreFigures {
  readonly events: number;
  readonly batchSize: number;
  readonly megabytes: number;
  /** Events per second of decode + map + reduce, one sample per pass. */
  readonly ours: Spread;
  /** Events per second of JSON.parse(TextDecoder.decode(bytes)). */
  readonly bare: Spread;
  /** ours / bare, per pair of passes run back to back. */
  readonly ratio: Spread;
  /** Events per second of decode's duplicate-key check alone (its part of `ours`). */
  readonly keyCheck: Spread;
  /** The check's share of the time of decode + map + reduce, per pass. */
  readonly keyCheckShare: Spread;
}

const utf8 = new TextEncoder();

/** Encodes events as wire JSON, batch by batch (views are cut from each batch's buffer when read). */
export function encodeBatches(events: Iterable<OopsEvent>, batchSize: number): EncodedBatch[] {
  const batches: EncodedBatch[] = [];
  let pending: Uint8Array[] = [];
  const flush = () => {
    const bytes = new Uint8Array(pending.reduce((n, p) => n + p.byteLength, 0));
    const ends = new Uint32Array(pending.length);
    let at = 0;
    pending.forEach((p, i) => {
      bytes.set(p, at);
      at += p.byteLength;
      ends[i] = at;
    });
    batches.push({ bytes, ends });
    pending = [];
  };
  for (const event of events) {
    pending.push(utf8.encode(JSON.stringify(event)));
    if (pending.length === batchSize) flush();
  }
  if (pending.length > 0) flush();
  return batches;
}

/** decode + map + reduce per batch, as the handler does; returns the rows written, as a sink. */
export function throughCore(batches: readonly EncodedBatch[]): number {
  let written = 0;
  for (const { bytes, ends } of batches) {
    const rows: Row[] = [];
    let start = 0;
    for (const end of ends) {
      const result = decode(bytes.subarray(start, end));
      start = end;
      if (!result.ok) throw new Error(`core bench: invalid event (${result.reason})`);
      const row = map(result.event);
      if (row !== undefined) rows.push(row);
    }
    written += reduce(rows).length;
  }
  return written;
}

/** The baseline: parse every record and nothing else; returns a count, as a sink. */
export function throughJsonParse(batches: readonly EncodedBatch[]): number {
  const text = new TextDecoder();
  let parsed = 0;
  for (const { bytes, ends } of batches) {
    let start = 0;
    for (const end of ends) {
      if (JSON.parse(text.decode(bytes.subarray(start, end))) !== null) parsed++;
      start = end;
    }
  }
  return parsed;
}

/** A record's text and what decode's duplicate-key check is given with it. */
interface KeyCheckInput {
  readonly text: string;
  readonly members: number;
  readonly colons: number;
}

/** The check's inputs, as decode computes them once a record is valid (untimed). */
function keyCheckInputs(batches: readonly EncodedBatch[]): KeyCheckInput[] {
  const text = new TextDecoder();
  const inputs: KeyCheckInput[] = [];
  const tally = (value: unknown, into: { members: number; colons: number }) => {
    if (typeof value === "string") into.colons += count(value, ":");
    if (typeof value !== "object" || value === null) return;
    for (const child of Object.values(value)) {
      into.members++;
      tally(child, into);
    }
  };
  for (const { bytes, ends } of batches) {
    let start = 0;
    for (const end of ends) {
      const json = text.decode(bytes.subarray(start, end));
      const counts = { members: 0, colons: 0 };
      const result = decode(json);
      if (result.ok) tally(result.event, counts);
      inputs.push({ text: json, ...counts });
      start = end;
    }
  }
  return inputs;
}

/** decode's duplicate-key check over every record; seconds per pass, throws if it ever fires. */
function timedKeyCheck(inputs: readonly KeyCheckInput[]): number {
  const started = performance.now();
  for (const { text, members, colons } of inputs) {
    if (mayRepeatKeys(text, members, colons)) throw new Error("core bench: a key check fired");
  }
  return (performance.now() - started) / 1000;
}

/** Events per second of one pass of `pass` over `batches`. */
function timed(pass: (b: readonly EncodedBatch[]) => number, batches: readonly EncodedBatch[]) {
  const started = performance.now();
  const sink = pass(batches);
  const seconds = (performance.now() - started) / 1000;
  if (sink <= 0) throw new Error("core bench: nothing went through");
  return seconds;
}

/** Measures `count` events in batches of `batchSize`, `repetitions` alternating passes each. */
export function measureCore(
  count: number,
  repetitions: number,
  seed: number,
  batchSize = 100,
): CoreFigures {
  const batches = encodeBatches(worldEvents({ seed, count }), batchSize);
  const warmUp = batches.slice(0, Math.max(1, Math.ceil(batches.length / 10)));
  throughCore(warmUp);
  throughJsonParse(warmUp);
  const inputs = keyCheckInputs(batches);
  timedKeyCheck(inputs.slice(0, warmUp.length * batchSize));
  const ours: number[] = [];
  const bare: number[] = [];
  const ratio: number[] = [];
  const keyCheck: number[] = [];
  const keyCheckShare: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    // Alternate which goes first, so neither always runs on the other's garbage.
    let oursSeconds: number;
    let bareSeconds: number;
    if (i % 2 === 0) {
      oursSeconds = timed(throughCore, batches);
      bareSeconds = timed(throughJsonParse, batches);
    } else {
      bareSeconds = timed(throughJsonParse, batches);
      oursSeconds = timed(throughCore, batches);
    }
    const keySeconds = timedKeyCheck(inputs);
    ours.push(count / oursSeconds);
    bare.push(count / bareSeconds);
    ratio.push(bareSeconds / oursSeconds);
    keyCheck.push(count / keySeconds);
    keyCheckShare.push(keySeconds / oursSeconds);
  }
  return {
    events: count,
    batchSize,
    megabytes: batches.reduce((n, b) => n + b.bytes.byteLength, 0) / 2 ** 20,
    ours: spread(ours),
    bare: spread(bare),
    ratio: spread(ratio),
    keyCheck: spread(keyCheck),
    keyCheckShare: spread(keyCheckShare),
  };
}

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The section's table. */
export function coreReport(f: CoreFigures): Report {
  const perSecond = (s: Spread) => showSpread(s, (x) => Math.round(x).toLocaleString("en"));
  const text = [
    `${f.events.toLocaleString("en")} generated events (${num(f.megabytes)} MiB of UTF-8 JSON), ` +
      `batches of ${f.batchSize}; median (min–max) over alternating passes`,
    renderTable(
      ["pipeline", "events/s"],
      [
        ["decode + map + reduce (core)", perSecond(f.ours)],
        ["JSON.parse(TextDecoder.decode) (baseline)", perSecond(f.bare)],
        ["ratio core / baseline", showSpread(f.ratio, (x) => times(x))],
        ["of core: the duplicate-key check alone", perSecond(f.keyCheck)],
        ["its share of core's time", showSpread(f.keyCheckShare, percent)],
      ],
    ),
    "pure CPU, no emulator: decode validates every field, normalises the timestamp and\n" +
      "rejects a key written twice (a native count of colons; a full scan only when it differs).",
  ].join("\n");
  return {
    figures: f,
    text,
    goals: [
      {
        name: "core ≥ 0.5 × bare JSON.parse",
        value:
          `${times(f.ratio.median)} (${Math.round(f.ours.median).toLocaleString("en")} against ` +
          `${Math.round(f.bare.median).toLocaleString("en")} events/s)`,
        met: f.ratio.median >= 0.5,
      },
    ],
  };
}

export const core: Section = {
  name: "core",
  title: "2. Core throughput: decode + map + reduce vs bare JSON.parse",
  emulators: false,
  run: async ({ quick, seed }: RunOptions) =>
    coreReport(quick ? measureCore(20_000, 3, seed) : measureCore(1_000_000, 5, seed)),
};
