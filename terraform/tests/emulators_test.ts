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
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dynamoClient, kinesisClient, LOCAL_CREDENTIALS, localRegion } from "../../aws/clients.ts";
import { startDynalite } from "../../aws/emulators/dynalite.ts";
import { startKinesisMock } from "../../aws/emulators/kinesis_mock.ts";
import type { Emulator } from "../../aws/emulators/process.ts";
import { assertBundleFresh, loadBundle } from "../../aws/lambda/bundle.ts";
import { lambdaContext, toKinesisEvent } from "../../aws/lambda/event.ts";
import { type Captured, captureLogs } from "../../aws/lambda/logs.ts";
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

/** Sets process.env entries (undefined deletes) and returns how to put them back. */
function setEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.keys(vars).map((name) => [name, process.env[name]] as const);
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Starts both emulators; if one fails, stops the other before throwing. */
async function startEmulators(logs: Map<string, string[]>): Promise<Emulator[]> {
  const logTo = (name: string) => {
    const lines: string[] = [];
    logs.set(name, lines);
    return (line: string) => {
      lines.push(line);
      if (lines.length > 200) lines.shift();
    };
  };
  const started = await Promise.allSettled([
    startDynalite({ log: logTo("dynalite") }),
    startKinesisMock({ log: logTo("kinesis-mock") }),
  ]);
  const ok = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await Promise.all(ok.map((e) => e.stop()));
    throw failed.reason;
  }
  return ok;
}

test("terraform/local applies, serves the bundled handler, re-plans clean and destroys on dynalite + kinesis-mock", async () => {
  const started = performance.now();
  const deadline = started + OVERALL_MS;
  const left = (stepMs: number) => {
    const remaining = Math.floor(deadline - performance.now());
    if (remaining <= 0) throw new Error(`overall timeout of ${OVERALL_MS} ms reached`);
    return Math.min(stepMs, remaining);
  };
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
  const emulatorLogs = new Map<string, string[]>();
  const emulators: Emulator[] = [];
  let kinesis: KinesisClient | undefined;
  let dynamo: DynamoDBClient | undefined;
  let logs: Captured | undefined;
  let restoreEnv = () => {};
  let passed = false;
  try {
    emulators.push(...(await startEmulators(emulatorLogs)));
    const [dynalite, mock] = emulators as [Emulator, Emulator];
    progress(
      `dynalite ${dynalite.endpoint} (pid ${dynalite.pid}), kinesis-mock ${mock.endpoint} (pid ${mock.pid}); work dir ${work}`,
    );
    dynamo = dynamoClient(dynalite.endpoint);
    kinesis = kinesisClient(mock.endpoint);

    const env = terraformEnv(work);
    const vars = [
      "-var",
      `kinesis_endpoint=${mock.endpoint}`,
      "-var",
      `dynamodb_endpoint=${dynalite.endpoint}`,
      "-var",
      `aws_region=${localRegion()}`,
    ];
    const common = ["-input=false", "-no-color"];

    let t = performance.now();
    await terraformOk(
      work,
      "init",
      [
        "init",
        ...common,
        "-lockfile=readonly",
        `-backend-config=path=${join(work, "terraform.tfstate")}`,
        ...pluginDirArgs(),
      ],
      env,
      left(STEP_MS.init),
    );
    progress(`terraform init (${elapsed(t)})`);

    t = performance.now();
    const applied = await terraformOk(
      work,
      "apply",
      ["apply", ...common, "-auto-approve", ...vars],
      env,
      left(STEP_MS.apply),
    );
    progress(
      `${applied.output.match(/^Apply complete!.*$/m)?.[0] ?? "apply finished"} (${elapsed(t)})`,
    );

    const outputs = JSON.parse(
      (await terraformOk(work, "output", ["output", "-json"], env, left(STEP_MS.output))).stdout,
    ) as Record<string, { value: string }>;
    assert.equal(
      {
        stream: outputs.stream_name?.value,
        rejects: outputs.rejects_stream_name?.value,
        table: outputs.table_name?.value,
      },
      { stream: STREAM, rejects: REJECTS, table: TABLE },
      "terraform outputs",
    );

    await checkCreated(kinesis, dynamo);
    progress(
      "SDK: streams ACTIVE, 2 + 1 shards, KMS alias/aws/kinesis, 24 h; table ACTIVE, key vin (S), on demand",
    );

    // The bundle, configured as the function would be, against what Terraform made.
    const { records, shardId } = await putAndReadBack(kinesis);
    const event = toKinesisEvent(records, {
      region: localRegion(),
      stream: STREAM,
      shardId,
      functionName: "oops-truck-status",
    });
    assert.is(event.Records[0]?.eventSourceARN, outputs.stream_arn?.value, "event source ARN");
    restoreEnv = setEnv({
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
    logs = captureLogs();
    const handler = await loadBundle();
    const response = await handler(event, lambdaContext());
    logs.restore();
    assert.equal(response, { batchItemFailures: [] }, "handler response");

    await checkRow(dynamo);
    await checkRejected(kinesis, {
      sequenceNumber: records[1]?.SequenceNumber,
      shardId,
      eventSourceARN: outputs.stream_arn?.value,
    });
    progress(
      `handler bundle: no batch failures; ${VIN} row as on the design card; the bad record on ${REJECTS}`,
    );

    t = performance.now();
    const replan = await terraform(
      work,
      "replan",
      ["plan", ...common, "-detailed-exitcode", ...vars],
      env,
      left(STEP_MS.plan),
    );
    if (replan.code !== 0) {
      const why =
        replan.code === 2 ? "changes (an attribute the emulator does not keep?)" : "an error";
      throw new Error(`second plan exited with ${replan.code}: ${why}${tail(replan.output, 60)}`);
    }
    progress(`second plan: no changes (${elapsed(t)})`);

    t = performance.now();
    const destroyed = await terraformOk(
      work,
      "destroy",
      ["destroy", ...common, "-auto-approve", ...vars],
      env,
      left(STEP_MS.destroy),
    );
    await checkGone(kinesis, dynamo);
    progress(
      `${destroyed.output.match(/^Destroy complete!.*$/m)?.[0] ?? "destroy finished"} SDK: no stream, no table left (${elapsed(t)})`,
    );
    passed = true;
  } finally {
    logs?.restore();
    restoreEnv();
    killTerraform();
    kinesis?.destroy();
    dynamo?.destroy();
    await Promise.all(emulators.map((e) => e.stop()));
    clearTimeout(watchdog);
    if (!passed) {
      for (const [name, lines] of emulatorLogs) {
        await writeFile(join(work, `${name}.log`), lines.join("\n"));
      }
      if (logs && logs.lines.length > 0) {
        await writeFile(
          join(work, "handler.log"),
          logs.lines.map((l) => JSON.stringify(l)).join("\n"),
        );
      }
    }
    if (passed && process.env.KEEP_TMP !== "1") await rm(work, { recursive: true, force: true });
    else process.stderr.write(`emulators_test: logs and state kept in ${work}\n`);
  }
  progress(`passed in ${elapsed(started)}`);
});

test.run();
