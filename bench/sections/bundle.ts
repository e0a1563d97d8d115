/**
 * Section 4, the bundle: its size (raw, gzip, the deploy zip) and its cold
 * start. A cold start here is a fresh `node` process that imports the bundle
 * and handles one 100-event batch against dynalite; the baseline is a fresh
 * process importing an empty module. Runs alternate, each on a table of its
 * own; the difference of the medians is what the bundle adds to a Lambda
 * cold start (the runtime's own start is not in it).
 *
 * @module
 */

import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { constants, gzipSync } from "node:zlib";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { dynamoClient, LOCAL_CREDENTIALS } from "../../aws/clients.ts";
import { startDynalite } from "../../aws/emulators/dynalite.ts";
import { assertBundleFresh, BUNDLE } from "../../aws/lambda/bundle.ts";
import { kinesisEvent, recordsOf } from "../../aws/lambda/event.ts";
import { NAMES } from "../../aws/names.ts";
import { createTable } from "../../aws/resources.ts";
import { events } from "../../tools/generate/world.ts";
import type { Report, RunOptions, Section } from "../section.ts";
import { num, type Spread, showSpread, spread, times } from "../stats.ts";
import { renderTable } from "../table.ts";

const CHILD = fileURLToPath(new URL("../cold_child.mjs", import.meta.url));
const ZIP = join(dirname(BUNDLE), "function.zip");
const CHILD_TIMEOUT_MS = 20_000;

export interface BundleFigures {
  readonly rawBytes: number;
  readonly gzipBytes: number;
  readonly zipBytes: number | undefined;
  /** Wall time of the whole process, spawn to exit, ms. */
  readonly coldStart: Spread;
  readonly emptyProcess: Spread;
  /** coldStart.median - emptyProcess.median. */
  readonly overheadMs: number;
  readonly ratio: number;
  /** As timed inside the child. */
  readonly importMs: Spread;
  readonly firstBatchMs: Spread;
}

interface ChildTimes {
  readonly wallMs: number;
  readonly importMs: number;
  readonly batchMs: number;
}

/** Runs the child once with `env`; rejects on a non-zero exit, a failed batch or a timeout. */
function coldRun(env: NodeJS.ProcessEnv): Promise<ChildTimes> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [CHILD], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk;
    });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
    }, CHILD_TIMEOUT_MS);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const line = out.split("\n").find((l) => l.startsWith("BENCH "));
      if (code !== 0 || line === undefined) {
        reject(new Error(`cold start exited with ${signal ?? code}: ${err.slice(-500)}`));
        return;
      }
      const timing = JSON.parse(line.slice(6)) as {
        importMs: number;
        batchMs: number;
        failures: number;
      };
      if (timing.failures > 0)
        reject(new Error(`cold start: the batch failed: ${out.slice(-500)}`));
      else resolve({ wallMs, importMs: timing.importMs, batchMs: timing.batchMs });
    });
  });
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

/** What the child imports: the bundle with an event to handle, or the empty baseline module. */
interface ChildInputs {
  readonly eventFile: string;
  readonly emptyModule: string;
}

/** Measures sizes and `runs` cold starts of each kind. */
export async function measureBundle(runs: number, seed: number): Promise<BundleFigures> {
  assertBundleFresh();
  const dir = await mkdtemp(join(tmpdir(), "oops-cold-"));
  const dynalite = await startDynalite();
  const admin = dynamoClient(dynalite.endpoint);
  try {
    const inputs = await writeChildInputs(dir, seed);
    const env = childEnv(dynalite.endpoint);
    const { cold, empty } = await alternateColdRuns(runs, admin, env, inputs);
    return { ...bundleSizes(), ...coldStartFigures(cold, empty) };
  } finally {
    admin.destroy();
    await dynalite.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A batch of 100 generated events as a Kinesis event, and an empty module, in `dir`. */
async function writeChildInputs(dir: string, seed: number): Promise<ChildInputs> {
  const eventFile = join(dir, "event.json");
  const batch = recordsOf([...events({ seed, count: 100 })]);
  await writeFile(eventFile, JSON.stringify(kinesisEvent(batch)));
  const emptyModule = join(dir, "empty.mjs");
  await writeFile(emptyModule, "");
  return { eventFile, emptyModule };
}

/** The child's whole environment: a Lambda's, pointed at dynalite, nothing inherited but PATH. */
function childEnv(dynamodbEndpoint: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_OPTIONS: "",
    AWS_REGION: NAMES.region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    REJECTS_STREAM_NAME: "",
  };
}

/**
 * `runs` pairs of cold starts, the bundle's and the baseline's, each pair on a
 * table of its own; which of the two goes first alternates, so that the order
 * favours neither.
 */
async function alternateColdRuns(
  runs: number,
  admin: DynamoDBClient,
  env: NodeJS.ProcessEnv,
  inputs: ChildInputs,
): Promise<{ cold: ChildTimes[]; empty: ChildTimes[] }> {
  const cold: ChildTimes[] = [];
  const empty: ChildTimes[] = [];
  // One unmeasured run of each warms the OS file cache, as on a warm Lambda host.
  for (let i = -1; i < runs; i++) {
    const table = `cold-${i + 1}`;
    await createTable(admin, table);
    const bundleRun = () =>
      coldRun({
        ...env,
        TABLE_NAME: table,
        BENCH_MODULE: pathToFileURL(BUNDLE).href,
        BENCH_EVENT: inputs.eventFile,
      });
    const emptyRun = () =>
      coldRun({ ...env, TABLE_NAME: table, BENCH_MODULE: pathToFileURL(inputs.emptyModule).href });
    let a: ChildTimes;
    let b: ChildTimes;
    if (i % 2 === 0) {
      a = await bundleRun();
      b = await emptyRun();
    } else {
      b = await emptyRun();
      a = await bundleRun();
    }
    if (i >= 0) {
      cold.push(a);
      empty.push(b);
    }
  }
  return { cold, empty };
}

function coldStartFigures(
  cold: readonly ChildTimes[],
  empty: readonly ChildTimes[],
): Omit<BundleFigures, "rawBytes" | "gzipBytes" | "zipBytes"> {
  const coldStart = spread(cold.map((t) => t.wallMs));
  const emptyProcess = spread(empty.map((t) => t.wallMs));
  return {
    coldStart,
    emptyProcess,
    overheadMs: coldStart.median - emptyProcess.median,
    ratio: coldStart.median / emptyProcess.median,
    importMs: spread(cold.map((t) => t.importMs)),
    firstBatchMs: spread(cold.map((t) => t.batchMs)),
  };
}

const kb = (bytes: number) => `${num(bytes / 1000)} KB`;

/** The section's table. */
export function bundleReport(f: BundleFigures): Report {
  const ms = (x: number) => `${num(x)} ms`;
  const text = [
    renderTable(
      ["handler/dist/index.mjs", "size"],
      [
        ["raw", kb(f.rawBytes)],
        ["gzip -9", kb(f.gzipBytes)],
        ["function.zip (deployed)", f.zipBytes === undefined ? "not built" : kb(f.zipBytes)],
      ],
    ),
    renderTable(
      ["fresh node process (spawn → exit)", "median (min–max, n)"],
      [
        ["import bundle + handle 1 batch of 100", showSpread(f.coldStart, ms)],
        ["import an empty module (baseline)", showSpread(f.emptyProcess, ms)],
        ["overhead (difference of medians)", ms(f.overheadMs)],
        ["ratio", times(f.ratio)],
        ["  of which import, timed in the child", showSpread(f.importMs, ms)],
        ["  of which first batch, timed in the child", showSpread(f.firstBatchMs, ms)],
      ],
    ),
    "the first batch includes dynalite's round trips and the SDK's first connection (emulator-limited).",
  ].join("\n");
  return {
    figures: f,
    text,
    goals: [
      {
        name: "bundle ≤ 280 KB (raw index.mjs)",
        value: `${kb(f.rawBytes)} (gzip ${kb(f.gzipBytes)})`,
        met: f.rawBytes <= 280_000,
      },
      {
        name: "cold start overhead ≤ 150 ms",
        value: ms(f.overheadMs),
        met: f.overheadMs <= 150,
      },
    ],
  };
}

export const bundle: Section = {
  name: "bundle",
  title: "4. Bundle: size and cold start of handler/dist/index.mjs",
  emulators: true,
  run: async ({ quick, seed }: RunOptions) =>
    bundleReport(await measureBundle(quick ? 3 : 15, seed)),
};
