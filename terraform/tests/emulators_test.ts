/**
 * terraform/local against real emulators, end to end: Terraform applies the
 * same streams and table as the AWS deployment (modules/storage) to fresh
 * dynalite and kinesis-mock; the SDK checks what it made; the built handler
 * bundle then runs a batch against exactly those resources (so the table
 * Terraform makes is the table the code writes, and the rejects stream it
 * makes is where bad records go); a second plan must be empty; destroy must
 * leave nothing behind.
 *
 * Terraform's working directory and state live in a temporary directory,
 * kept (with every log) only when the test fails or with KEEP_TMP=1. The
 * emulators and any Terraform still running are stopped by PID in `finally`.
 * Terraform itself runs through `terraform.ts`; the SDK checks, and the
 * names and records they use, are in `checks.ts`.
 *
 *   [TF_PLUGIN_DIR=/opt/tf-plugins] node --import tsx node_modules/uvu/bin.js \
 *     terraform/tests 'emulators_test\.ts$'       (needs `make build` first)
 *
 * The setup is in the test body, not in a `before` hook: uvu reports a
 * throwing hook as 0 tests passed and exits 0.
 *
 * @module
 */

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LOCAL_CREDENTIALS, localRegion } from "../../aws/clients.ts";
import { type Emulators, startEmulators } from "../../aws/emulators/emulators.ts";
import { setEnv } from "../../aws/env.ts";
import { assertBundleFresh, loadBundle } from "../../aws/lambda/bundle.ts";
import { lambdaContext, toKinesisEvent } from "../../aws/lambda/event.ts";
import { type Captured, captureLogs } from "../../aws/lambda/logs.ts";
import { NAMES } from "../../aws/names.ts";
import {
  checkCreated,
  checkGone,
  checkRejected,
  checkRow,
  putAndReadBack,
  REJECTS,
  STREAM,
  TABLE,
  VIN,
} from "./checks.ts";
import {
  killTerraform,
  pluginDirArgs,
  tail,
  terraform,
  terraformEnv,
  terraformOk,
} from "./terraform.ts";

/** The whole test, emulators to destroy; Terraform steps get what is left of it. */
const OVERALL_MS = 5 * 60_000;
/** Per Terraform command (the provider's Kinesis waiters take 20–30 s per stream). */
const STEP_MS = { init: 60_000, apply: 150_000, output: 30_000, plan: 90_000, destroy: 150_000 };

const progress = (line: string) => process.stdout.write(`  --> ${line}\n`);
const elapsed = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** What every step shares: the emulators, Terraform's directory and settings, the time left. */
interface Run {
  readonly emulators: Emulators;
  readonly work: string;
  readonly env: NodeJS.ProcessEnv;
  /** `-var` arguments: the emulators' endpoints and the region. */
  readonly vars: string[];
  /** A step's time limit: its own, or what is left of the whole test. */
  left(stepMs: number): number;
  /** The handler's captured log lines, once it ran. */
  logs?: Captured;
}

const COMMON = ["-input=false", "-no-color"];

/** init and apply of terraform/local; the outputs must name what the design card names. */
async function applyLocal(run: Run): Promise<Record<string, { value: string }>> {
  const { work, env, vars } = run;
  let t = performance.now();
  const state = `-backend-config=path=${join(work, "terraform.tfstate")}`;
  const init = ["init", ...COMMON, "-lockfile=readonly", state, ...pluginDirArgs()];
  await terraformOk(work, "init", init, env, run.left(STEP_MS.init));
  progress(`terraform init (${elapsed(t)})`);
  t = performance.now();
  const apply = ["apply", ...COMMON, "-auto-approve", ...vars];
  const applied = await terraformOk(work, "apply", apply, env, run.left(STEP_MS.apply));
  const complete = applied.output.match(/^Apply complete!.*$/m)?.[0] ?? "apply finished";
  progress(`${complete} (${elapsed(t)})`);
  const output = await terraformOk(
    work,
    "output",
    ["output", "-json"],
    env,
    run.left(STEP_MS.output),
  );
  const outputs = JSON.parse(output.stdout) as Record<string, { value: string }>;
  const named = {
    stream: outputs.stream_name?.value,
    rejects: outputs.rejects_stream_name?.value,
    table: outputs.table_name?.value,
  };
  assert.equal(named, { stream: STREAM, rejects: REJECTS, table: TABLE }, "terraform outputs");
  return outputs;
}

/** The bundle, configured as the function would be, runs a batch against what Terraform made. */
async function runBundle(run: Run, streamArn: string | undefined): Promise<void> {
  const { kinesisClient: kinesis, dynamoClient: dynamo, kinesis: mock, dynalite } = run.emulators;
  const { records, shardId } = await putAndReadBack(kinesis);
  const source = {
    region: localRegion(),
    stream: STREAM,
    shardId,
    functionName: NAMES.functionName,
  };
  const event = toKinesisEvent(records, source);
  assert.is(event.Records[0]?.eventSourceARN, streamArn, "event source ARN");
  const restore = setEnv({
    AWS_REGION: localRegion(),
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
    AWS_ENDPOINT_URL_KINESIS: mock.endpoint,
    TABLE_NAME: TABLE,
    REJECTS_STREAM_NAME: REJECTS,
  });
  run.logs = captureLogs();
  try {
    const handler = await loadBundle();
    assert.equal(
      await handler(event, lambdaContext()),
      { batchItemFailures: [] },
      "handler response",
    );
  } finally {
    run.logs.restore();
    restore();
  }
  await checkRow(dynamo);
  const sequenceNumber = records[1]?.SequenceNumber;
  await checkRejected(kinesis, { sequenceNumber, shardId, eventSourceARN: streamArn });
  progress(
    `handler bundle: no batch failures; ${VIN} row as on the design card; the bad record on ${REJECTS}`,
  );
}

/** A second plan must be empty; destroy must leave no stream and no table. */
async function replanAndDestroy(run: Run): Promise<void> {
  const { work, env, vars } = run;
  let t = performance.now();
  const plan = ["plan", ...COMMON, "-detailed-exitcode", ...vars];
  const replan = await terraform(work, "replan", plan, env, run.left(STEP_MS.plan));
  if (replan.code !== 0) {
    const why =
      replan.code === 2 ? "changes (an attribute the emulator does not keep?)" : "an error";
    throw new Error(`second plan exited with ${replan.code}: ${why}${tail(replan.output, 60)}`);
  }
  progress(`second plan: no changes (${elapsed(t)})`);
  t = performance.now();
  const destroy = ["destroy", ...COMMON, "-auto-approve", ...vars];
  const destroyed = await terraformOk(work, "destroy", destroy, env, run.left(STEP_MS.destroy));
  await checkGone(run.emulators.kinesisClient, run.emulators.dynamoClient);
  const complete = destroyed.output.match(/^Destroy complete!.*$/m)?.[0] ?? "destroy finished";
  progress(`${complete} SDK: no stream, no table left (${elapsed(t)})`);
}

/** Emulator logs, kept as lines for a failed run's work directory. */
function emulatorLogs() {
  const logs = new Map<string, string[]>();
  const log = (name: string, line: string) => {
    const lines = logs.get(name) ?? [];
    logs.set(name, lines);
    lines.push(line);
    if (lines.length > 200) lines.shift();
  };
  return { logs, log };
}

/** After a failure: the emulators' and the handler's logs into the work directory, kept. */
async function keepLogs(run: Pick<Run, "work" | "logs">, logs: Map<string, string[]>) {
  for (const [name, lines] of logs)
    await writeFile(join(run.work, `${name}.log`), lines.join("\n"));
  const handler = run.logs?.lines ?? [];
  if (handler.length > 0) {
    await writeFile(
      join(run.work, "handler.log"),
      handler.map((l) => JSON.stringify(l)).join("\n"),
    );
  }
}

test("terraform/local applies, serves the bundled handler, re-plans clean and destroys on dynalite + kinesis-mock", async () => {
  const started = performance.now();
  const deadline = started + OVERALL_MS;
  // Last resort: if something hangs past every bound, stop Terraform and fail the run.
  const watchdog = setTimeout(() => {
    process.stderr.write(
      `emulators_test: still running after ${OVERALL_MS + 60_000} ms, giving up\n`,
    );
    killTerraform();
    process.exit(1);
  }, OVERALL_MS + 60_000);
  watchdog.unref();
  assertBundleFresh(); // before a minute of Terraform, not after
  const work = await mkdtemp(join(tmpdir(), "oops-tf-emulators-"));
  const { logs, log } = emulatorLogs();
  let run: Run | undefined;
  let passed = false;
  try {
    const emulators = await startEmulators({ log });
    const { kinesis: mock, dynalite } = emulators;
    progress(
      `dynalite ${dynalite.endpoint} (pid ${dynalite.pid}), kinesis-mock ${mock.endpoint} (pid ${mock.pid}); work dir ${work}`,
    );
    const vars = [
      ...[
        "-var",
        `kinesis_endpoint=${mock.endpoint}`,
        "-var",
        `dynamodb_endpoint=${dynalite.endpoint}`,
      ],
      ...["-var", `aws_region=${localRegion()}`],
    ];
    const left = (stepMs: number) => {
      const remaining = Math.floor(deadline - performance.now());
      if (remaining <= 0) throw new Error(`overall timeout of ${OVERALL_MS} ms reached`);
      return Math.min(stepMs, remaining);
    };
    run = { emulators, work, env: terraformEnv(work), vars, left };
    const outputs = await applyLocal(run);
    await checkCreated(emulators.kinesisClient, emulators.dynamoClient);
    progress(
      "SDK: streams ACTIVE, 2 + 1 shards, KMS alias/aws/kinesis, 24 h; table ACTIVE, key vin (S), on demand",
    );
    await runBundle(run, outputs.stream_arn?.value);
    await replanAndDestroy(run);
    passed = true;
  } finally {
    killTerraform();
    await run?.emulators.stop();
    clearTimeout(watchdog);
    if (!passed) await keepLogs({ work, logs: run?.logs }, logs);
    if (passed && process.env.KEEP_TMP !== "1") await rm(work, { recursive: true, force: true });
    else process.stderr.write(`emulators_test: logs and state kept in ${work}\n`);
  }
  progress(`passed in ${elapsed(started)}`);
});

test.run();
