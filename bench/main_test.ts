/**
 * The bench cannot rot: its pure parts are checked here, and the sections
 * that need no emulator run end to end through `main.ts --quick` (a few
 * seconds). The emulator sections are exercised by `make bench` itself.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { goalLines, parseOptions, SECTIONS } from "./main.ts";
import { spread, times } from "./stats.ts";
import { chapterStreams, shardBatches } from "./streams.ts";
import { renderTable } from "./table.ts";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

test("options: defaults, quick runs write nothing, bad flags fail in one line", () => {
  const full = parseOptions([]);
  assert.is(full.quick, false);
  assert.is(full.seed, 1);
  assert.ok(full.out?.endsWith("bench/results.json"));
  assert.is(parseOptions(["--quick"]).out, undefined);
  assert.equal(parseOptions(["--only", "core, scale"]).only, ["core", "scale"]);
  assert.throws(() => parseOptions(["--only", "nope"]), /unknown section nope/);
  assert.throws(() => parseOptions(["--seed", "-3"]), /--seed/);
  assert.throws(() => parseOptions(["--fast"]), /fast/);
});

test("tables: columns padded, numeric columns right-aligned", () => {
  const text = renderTable(
    ["name", "writes"],
    [
      ["naive", "1,201"],
      ["ours", "30.6"],
    ],
  );
  assert.equal(text.split("\n"), [
    "  name   writes",
    "  -----  ------",
    "  naive   1,201",
    "  ours     30.6",
  ]);
});

test("spreads and ratios", () => {
  assert.equal(spread([3, 1, 2]), { n: 3, median: 2, min: 1, max: 3, p99: 3 });
  assert.is(times(0.3456), "0.35×");
  assert.is(times(0.0012), "0.0012×");
  assert.throws(() => spread([]));
});

test("streams: deterministic, every event on exactly one shard, batches of at most 100", () => {
  const a = chapterStreams({ count: 1_000, seed: 5 });
  const b = chapterStreams({ count: 1_000, seed: 5 });
  assert.equal(
    a.map((s) => s.name),
    ["forward", "backwards", "both"],
  );
  assert.equal(a, b);
  for (const stream of a) {
    assert.is(stream.events.length, 1_000);
    const batches = stream.shards.flat();
    assert.ok(batches.every((batch) => batch.length > 0 && batch.length <= 100));
    assert.is(
      batches.reduce((n, batch) => n + batch.length, 0),
      1_000,
    );
  }
  const both = a[2]?.events ?? [];
  const forwardEnd = a[0]?.events.at(-1)?.timestamp ?? "";
  assert.ok(both[0] !== undefined && both[0].timestamp >= forwardEnd, "both continues forward");
  assert.ok(both[1] !== undefined && both[1].timestamp < forwardEnd, "…interleaved with backwards");
});

test("shards: a shard keeps its events in order", () => {
  const events = chapterStreams({ count: 300, seed: 9 })[0]?.events ?? [];
  const [one = []] = shardBatches(events, { shards: 1, batchSize: 100, seed: 1 });
  assert.equal(
    one.flat().map((r) => JSON.parse(Buffer.from(r.kinesis.data, "base64").toString()).timestamp),
    events.map((e) => e.timestamp),
  );
});

test("shards: VIN partition keys put each truck's events on one shard", () => {
  const events = chapterStreams({ count: 300, seed: 9 })[0]?.events ?? [];
  const shards = shardBatches(events, { shards: 2, batchSize: 100, seed: 1, partitionKey: "vin" });
  const vinsOf = (batches: (typeof shards)[number]) =>
    new Set(
      batches
        .flat()
        .map((r) => JSON.parse(Buffer.from(r.kinesis.data, "base64").toString()).vehicle?.vin)
        .filter((vin) => vin !== undefined),
    );
  const [first, second] = shards.map(vinsOf) as [Set<string>, Set<string>];
  assert.ok(first.size + second.size > 0);
  assert.equal(
    [...first].filter((vin) => second.has(vin)),
    [],
  );
});

test("goals: reported, never fatal", () => {
  const lines = goalLines([
    { name: "a", value: "0.3×", met: true },
    { name: "b", value: "900 KB", met: false },
  ]);
  assert.equal(lines.split("\n"), [
    "goals: 1 of 2 met",
    "  met      a: 0.3×",
    "  NOT met  b: 900 KB",
  ]);
});

test("main --quick runs the sections that need no emulator and writes their figures", () => {
  const pure = SECTIONS.filter((s) => !s.emulators).map((s) => s.name);
  assert.equal(pure, ["core", "scale"]);
  const dir = mkdtempSync(join(tmpdir(), "oops-bench-"));
  try {
    const out = join(dir, "results.json");
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", MAIN, "--quick", "--only", pure.join(","), "--out", out],
      { encoding: "utf8", timeout: 60_000 },
    );
    assert.is(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /2\. Core throughput/);
    assert.match(run.stdout, /goals: \d of 1 met/);
    const results = JSON.parse(readFileSync(out, "utf8"));
    assert.equal(Object.keys(results.sections), pure);
    assert.ok(results.machine.cores >= 1 && results.machine.node === process.version);
    assert.ok(results.sections.core.ours.median > 0 && results.sections.core.bare.median > 0);
    assert.is(results.sections.scale.cases.length, 36);
    assert.equal(results.failures, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
