/**
 * `make bench`: the project's performance, measured side by side with the
 * baselines it claims to beat, every figure a ratio against a baseline run
 * on the same machine in the same run. Prints one table per section and a
 * goals check, and writes the same figures to `bench/results.json` with
 * the machine that made them.
 *
 *   node --import tsx bench/main.ts [--quick] [--only cost,core,...] [--seed N] [--out FILE]
 *
 * `--quick` is a smoke run at small sizes (no results file, no chart, unless
 * `--out` is given). Goals are reported, never fatal; the run fails (exit
 * 1) when the strategies' final tables differ or a section breaks.
 *
 * @module
 */

import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { argumentError } from "../tools/args.ts";
import { describeMachine, machine } from "./machine.ts";
import { type Goal, MismatchError, type Section } from "./section.ts";
import { bundle } from "./sections/bundle.ts";
import { core } from "./sections/core.ts";
import { cost } from "./sections/cost.ts";
import { viewers } from "./sections/dashboard.ts";
import { latency } from "./sections/latency.ts";
import { pipeline } from "./sections/pipeline.ts";
import { replaySection } from "./sections/replay.ts";
import { model } from "./sections/scale.ts";

/** Every section, in the order they run and print. */
export const SECTIONS: readonly Section[] = [
  cost,
  core,
  latency,
  bundle,
  pipeline,
  model,
  viewers,
  replaySection,
];

/** The whole bench must never hang a CI job: past this, exit (emulators die with us). */
const WATCHDOG_MS = 20 * 60_000;
const RESULTS = fileURLToPath(new URL("./results.json", import.meta.url));

const USAGE = `usage: make bench [ARGS="…"]   (node --import tsx bench/main.ts [options])

  --quick          a 40 s smoke run of every section (not a measurement; writes nothing)
  --seed N         seed of the generated streams (default 1)
  --only A,B       run only these sections: ${SECTIONS.map((s) => s.name).join(", ")}
  --out FILE       where to write the figures as JSON (default bench/results.json)
  -h, --help       this text`;

export interface BenchOptions {
  readonly quick: boolean;
  readonly seed: number;
  readonly only: readonly string[] | undefined;
  readonly out: string | undefined;
  readonly help?: boolean;
}

/** Reads the command line; throws a one-line error on a bad flag. */
export function parseOptions(args: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      quick: { type: "boolean", default: false },
      seed: { type: "string", default: "1" },
      only: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) return { help: true, quick: false, seed: 1, only: undefined, out: undefined };
  const seed = Number(values.seed);
  if (!/^\d+$/.test(values.seed) || seed > 2 ** 32 - 100) {
    throw new Error(`--seed: expected an integer in 0..${2 ** 32 - 100}, got ${values.seed}`);
  }
  const only = values.only?.split(",").map((s) => s.trim());
  const unknown = only?.filter((name) => !SECTIONS.some((s) => s.name === name));
  if (unknown !== undefined && unknown.length > 0) {
    throw new Error(
      `--only: unknown section ${unknown.join(", ")} (sections: ${SECTIONS.map((s) => s.name).join(", ")})`,
    );
  }
  return {
    quick: values.quick,
    seed,
    only,
    out: values.out ?? (values.quick ? undefined : RESULTS),
  };
}

/** The goals check, one line each. */
export function goalLines(goals: readonly Goal[]): string {
  const met = goals.filter((t) => t.met).length;
  return [
    `goals: ${met} of ${goals.length} met`,
    ...goals.map((t) => `  ${t.met ? "met    " : "NOT met"}  ${t.name}: ${t.value}`),
  ].join("\n");
}

/** Runs the selected sections; resolves to the exit code. */
export async function runBench(options: BenchOptions): Promise<number> {
  const started = performance.now();
  const host = machine();
  const sections = SECTIONS.filter((s) => options.only?.includes(s.name) ?? true);
  const run = { quick: options.quick, seed: options.seed, writeArtefacts: !options.quick };
  console.log(
    `bench${options.quick ? " --quick (smoke run, not a measurement)" : ""}, seed ${options.seed}`,
  );
  console.log(`machine: ${describeMachine(host)}\n`);
  const figures: Record<string, unknown> = {};
  const goals: Goal[] = [];
  const failures: { section: string; error: string; mismatch: boolean }[] = [];
  for (const section of sections) {
    console.log(`== ${section.title}`);
    const sectionStart = performance.now();
    try {
      const report = await section.run(run);
      figures[section.name] = report.figures;
      goals.push(...report.goals);
      console.log(report.text);
    } catch (error) {
      const mismatch = error instanceof MismatchError;
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ section: section.name, error: message, mismatch });
      console.log(`  FAILED: ${message}`);
    }
    console.log(`  (${((performance.now() - sectionStart) / 1000).toFixed(1)} s)\n`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(goalLines(goals));
  for (const f of failures) {
    console.log(`${f.mismatch ? "TABLE MISMATCH" : "section failed"}: ${f.section}: ${f.error}`);
  }
  console.log(
    `bench: ${sections.length} section${sections.length === 1 ? "" : "s"} in ${seconds.toFixed(0)} s`,
  );
  if (options.out !== undefined) {
    const results = {
      machine: host,
      command: `node --import tsx bench/main.ts ${process.argv.slice(2).join(" ")}`.trim(),
      quick: options.quick,
      seed: options.seed,
      seconds: Math.round(seconds),
      sections: figures,
      goals,
      failures,
    };
    await writeFile(options.out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`figures written to ${options.out}`);
  }
  return failures.length === 0 ? 0 : 1;
}

if (import.meta.filename === process.argv[1]) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  setTimeout(() => {
    console.error(`bench: still running after ${WATCHDOG_MS / 60_000} min; giving up`);
    process.exit(2);
  }, WATCHDOG_MS).unref();
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    const message = error instanceof Error ? argumentError(error) : String(error);
    console.error(`bench: ${message}\nRun with --help for the options.`);
    process.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    process.exit(0);
  }
  process.exitCode = await runBench(options);
}
