/**
 * Cold starts of the bundle, measured as fresh `node` processes
 * (`cold_child.mjs`): one imports the bundle and hands it a batch of 100
 * events, the baseline imports an empty module. The child's environment is
 * a Lambda's, pointed at a DynamoDB endpoint, with nothing inherited but
 * PATH. Runs rotate between the baseline and each endpoint, each round on a
 * table of its own, so that the order favours none.
 *
 * @module
 */

import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LOCAL_CREDENTIALS } from "../aws/clients.ts";
import { BUNDLE } from "../aws/lambda/bundle.ts";
import { kinesisEvent, recordsOf } from "../aws/lambda/event.ts";
import { NAMES } from "../aws/names.ts";
import { createTable } from "../aws/resources.ts";
import { events } from "../tools/generate/world.ts";
import { type Spread, spread } from "./stats.ts";

const CHILD = fileURLToPath(new URL("./cold_child.mjs", import.meta.url));
const BUNDLE_URL = pathToFileURL(BUNDLE).href;
const CHILD_TIMEOUT_MS = 20_000;

/** The cold starts against one endpoint, beside the baseline's. */
export interface ColdStart {
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

/** The child's whole environment: a Lambda's, pointed at `dynamodbEndpoint` (none for the baseline). */
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

function figures(cold: readonly ChildTimes[], empty: readonly ChildTimes[]): ColdStart {
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

/**
 * `runs` rounds of cold starts: the baseline, and the bundle against each of
 * `endpoints` (by name), in an order that rotates from round to round, each
 * round on a new table that `admin` creates (every endpoint must reach the
 * tables `admin` creates). One unmeasured round first warms the OS file
 * cache, as on a warm Lambda host.
 */
export async function measureColdStarts<Name extends string>(
  runs: number,
  seed: number,
  admin: DynamoDBClient,
  endpoints: Readonly<Record<Name, string>>,
): Promise<Record<Name, ColdStart>> {
  const dir = await mkdtemp(join(tmpdir(), "oops-cold-"));
  try {
    const names = Object.keys(endpoints) as Name[];
    const { eventFile, emptyModule } = await writeInputs(dir, seed);
    const kinds = [
      { name: undefined, env: { ...childEnv(""), BENCH_MODULE: emptyModule } },
      ...names.map((name) => ({
        name,
        env: { ...childEnv(endpoints[name]), BENCH_MODULE: BUNDLE_URL, BENCH_EVENT: eventFile },
      })),
    ];
    const times = new Map<Name | undefined, ChildTimes[]>(kinds.map((k) => [k.name, []]));
    for (let round = -1; round < runs; round++) {
      const table = `cold-${round + 1}`;
      await createTable(admin, table);
      for (let i = 0; i < kinds.length; i++) {
        const kind = kinds[(round + 1 + i) % kinds.length] as (typeof kinds)[number];
        const measured = await coldRun({ ...kind.env, TABLE_NAME: table });
        if (round >= 0) times.get(kind.name)?.push(measured);
      }
    }
    const empty = times.get(undefined) ?? [];
    const byName = names.map((name) => [name, figures(times.get(name) ?? [], empty)]);
    return Object.fromEntries(byName) as Record<Name, ColdStart>;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A batch of 100 generated events as a Kinesis event, and an empty module, in `dir`. */
async function writeInputs(dir: string, seed: number) {
  const eventFile = join(dir, "event.json");
  const batch = recordsOf([...events({ seed, count: 100 })]);
  await writeFile(eventFile, JSON.stringify(kinesisEvent(batch)));
  const emptyModule = join(dir, "empty.mjs");
  await writeFile(emptyModule, "");
  return { eventFile, emptyModule: pathToFileURL(emptyModule).href };
}
