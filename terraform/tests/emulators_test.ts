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
 *
 *   [TF_PLUGIN_DIR=/opt/tf-plugins] node --import tsx node_modules/uvu/bin.js \
 *     terraform/tests 'emulators_test\.ts$'       (needs `make build` first)
 *
 * The setup is in the test body, not in a `before` hook: uvu reports a
 * throwing hook as 0 tests passed and exits 0.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import {
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListStreamsCommand,
  PutRecordsCommand,
} from "@aws-sdk/client-kinesis";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { OopsEvent } from "../../core/mod.ts";
import { assertBundleFresh, loadBundle } from "../../handler/testing/bundle.ts";
import { moves } from "../../handler/testing/events.ts";
import { lambdaContext } from "../../handler/testing/kinesis.ts";
import { type Captured, captureLogs } from "../../handler/testing/logs.ts";
import { tailStream } from "../../handler/testing/stream.ts";
import {
  dynamoClient,
  kinesisClient,
  LOCAL_CREDENTIALS,
  localRegion,
} from "../../tools/local/clients.ts";
import { type Emulator, startDynalite, startKinesis } from "../../tools/local/emulators.ts";
import { toKinesisEvent } from "../../tools/local/lambda_event.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const LOCAL_ROOT = join(ROOT, "terraform/local");

/** The whole test, emulators to destroy; Terraform steps get what is left of it. */
const OVERALL_MS = 5 * 60_000;
/** Per Terraform command (the provider's Kinesis waiters take 20–30 s per stream). */
const STEP_MS = { init: 60_000, apply: 150_000, output: 30_000, plan: 90_000, destroy: 150_000 };
/** After SIGINT (Terraform's graceful stop), how long before SIGKILL. */
const TF_GRACE_MS = 15_000;

/** Names the design card and the handler's configuration use. */
const STREAM = "oops-events";
const REJECTS = "oops-events-rejected";
const TABLE = "oops-trucks";

/** The chapter's TRUCK_ARRIVES event, exactly as on the wire. */
const VIN = "1HGCM82633A004352";
const ARRIVES: OopsEvent = moves(
  VIN,
  33207,
  "2018-01-12T12:42:00Z",
  [51.522834, -0.081813],
  "TRUCK_ARRIVES",
);
/** The same truck with a negative odometer: rejected, never written. */
const BAD = JSON.stringify({ ...ARRIVES, vehicle: { vin: VIN, mileage: -3 } });

/** The row the handler must leave: the design card's attributes, nothing else. */
const ROW = {
  vin: VIN,
  mileage: 33207,
  "location-timestamp": "2018-01-12T12:42:00.000Z",
  latitude: 51.522834,
  longitude: -0.081813,
};

const progress = (line: string) => process.stdout.write(`  --> ${line}\n`);
const elapsed = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** Terraform commands still running, for `finally`. */
const running = new Set<ChildProcess>();

/** Exit code, stdout alone (for `output -json`), stdout and stderr interleaved (for the log). */
type TfRun = { code: number; stdout: string; output: string };

/**
 * Runs `terraform <args>` in terraform/local, output to `<work>/<step>.log`.
 * After `timeoutMs`, SIGINT (Terraform stops gracefully), then SIGKILL.
 * Resolves with the exit code; throws only on a timeout or spawn failure.
 */
async function terraform(
  work: string,
  step: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<TfRun> {
  const child = spawn("terraform", args, {
    cwd: LOCAL_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const chunks: Buffer[] = [];
  const stdout: Buffer[] = [];
  child.stdout.on("data", (c: Buffer) => {
    chunks.push(c);
    stdout.push(c);
  });
  child.stderr.on("data", (c: Buffer) => chunks.push(c));
  let timedOut = false;
  const interrupt = setTimeout(() => {
    timedOut = true;
    child.kill("SIGINT");
  }, timeoutMs);
  const kill = setTimeout(() => child.kill("SIGKILL"), timeoutMs + TF_GRACE_MS);
  try {
    const code = await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (status, signal) => resolve(status ?? (signal ? 128 : 1)));
    });
    const output = Buffer.concat(chunks).toString("utf8");
    await writeFile(join(work, `${step}.log`), output);
    if (timedOut) {
      throw new Error(`terraform ${step} timed out after ${timeoutMs} ms${tail(output)}`);
    }
    return { code, stdout: Buffer.concat(stdout).toString("utf8"), output };
  } finally {
    clearTimeout(interrupt);
    clearTimeout(kill);
    running.delete(child);
  }
}

/** The last lines of a command's output, for an error message. */
function tail(output: string, lines = 25): string {
  const kept = output.trimEnd().split("\n").slice(-lines);
  return kept.length === 0 ? "" : `; last output:\n${kept.join("\n")}`;
}

/** Like `terraform`, but a non-zero exit is an error carrying the output. */
async function terraformOk(...args: Parameters<typeof terraform>): Promise<TfRun> {
  const run = await terraform(...args);
  if (run.code !== 0)
    throw new Error(`terraform ${args[1]} exited with ${run.code}${tail(run.output)}`);
  return run;
}

/**
 * The environment Terraform runs in: no AWS profile, keys, endpoints or
 * TF_VAR_/TF_CLI_ARGS from the caller (they could point it elsewhere or
 * rename what it makes); fake keys; data directory in `work`.
 */
function terraformEnv(work: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(AWS_|TF_VAR_|TF_CLI_ARGS|TF_WORKSPACE$|TF_DATA_DIR$)/.test(name)) continue;
    // A CLI configuration that does not exist only adds a warning to every command.
    if (name === "TF_CLI_CONFIG_FILE" && (value === undefined || !existsSync(value))) continue;
    env[name] = value;
  }
  return {
    ...env,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: localRegion(),
    TF_DATA_DIR: join(work, ".terraform"),
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
  };
}

/**
 * `-plugin-dir`: the mirror in TF_PLUGIN_DIR, else the providers an earlier
 * init (terraform/tests/run.sh) left in terraform/local/.terraform, else
 * none (the registry).
 */
function pluginDirArgs(): string[] {
  const mirror = process.env.TF_PLUGIN_DIR;
  if (mirror) return [`-plugin-dir=${mirror}`];
  const earlier = join(LOCAL_ROOT, ".terraform/providers");
  if (existsSync(join(earlier, "registry.terraform.io"))) return [`-plugin-dir=${earlier}`];
  return [];
}

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
    startKinesis({ log: logTo("kinesis-mock") }),
  ]);
  const ok = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await Promise.all(ok.map((e) => e.stop()));
    throw failed.reason;
  }
  return ok;
}

/** Streams and table as the SDK (not Terraform) sees them after apply. */
async function checkCreated(kinesis: KinesisClient, dynamo: DynamoDBClient): Promise<void> {
  for (const [name, shards] of [
    [STREAM, 2],
    [REJECTS, 1],
  ] as const) {
    const { StreamDescriptionSummary: s } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    assert.equal(
      {
        status: s?.StreamStatus,
        openShards: s?.OpenShardCount,
        mode: s?.StreamModeDetails?.StreamMode,
        encryption: s?.EncryptionType,
        key: s?.KeyId,
        retentionHours: s?.RetentionPeriodHours,
      },
      {
        status: "ACTIVE",
        openShards: shards,
        mode: "PROVISIONED",
        encryption: "KMS",
        key: "alias/aws/kinesis",
        retentionHours: 24,
      },
      `stream ${name}`,
    );
  }
  const { Table: t } = await dynamo.send(new DescribeTableCommand({ TableName: TABLE }));
  assert.equal(
    {
      status: t?.TableStatus,
      key: t?.KeySchema,
      attributes: t?.AttributeDefinitions,
      billing: t?.BillingModeSummary?.BillingMode,
    },
    {
      status: "ACTIVE",
      key: [{ AttributeName: "vin", KeyType: "HASH" }],
      attributes: [{ AttributeName: "vin", AttributeType: "S" }],
      billing: "PAY_PER_REQUEST",
    },
    `table ${TABLE}`,
  );
}

/**
 * Puts the good and the bad record on the event stream (one partition key,
 * so one shard) and reads them back as the event source mapping would.
 */
async function putAndReadBack(kinesis: KinesisClient) {
  const payloads = [JSON.stringify(ARRIVES), BAD];
  const put = await kinesis.send(
    new PutRecordsCommand({
      StreamName: STREAM,
      Records: payloads.map((p) => ({ Data: Buffer.from(p, "utf8"), PartitionKey: VIN })),
    }),
  );
  assert.is(put.FailedRecordCount ?? 0, 0, "PutRecords failures on the event stream");
  const shardId = put.Records?.[0]?.ShardId;
  assert.ok(shardId, "PutRecords named no shard");
  assert.equal(
    put.Records?.map((r) => r.ShardId),
    [shardId, shardId],
  );
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({
      StreamName: STREAM,
      ShardId: shardId,
      ShardIteratorType: "TRIM_HORIZON",
    }),
  );
  const { Records = [] } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
  assert.equal(
    Records.map((r) => Buffer.from(r.Data ?? []).toString("utf8")),
    payloads,
    "records read back from the event stream",
  );
  assert.equal(
    Records.map((r) => r.SequenceNumber),
    put.Records?.map((r) => r.SequenceNumber),
  );
  return { records: Records, shardId };
}

/** What arrived on the rejects stream, waiting up to `ms` for `count` records. */
async function readRejects(kinesis: KinesisClient, count: number, ms = 10_000): Promise<string[]> {
  const rejects = await tailStream(kinesis, REJECTS);
  const seen: string[] = [];
  const until = performance.now() + ms;
  for (;;) {
    seen.push(...(await rejects.next()));
    if (seen.length >= count || performance.now() > until) return seen;
    await sleep(100);
  }
}

/** After destroy: nothing at all in either (fresh) emulator. */
async function checkGone(kinesis: KinesisClient, dynamo: DynamoDBClient): Promise<void> {
  const { StreamNames = [] } = await kinesis.send(new ListStreamsCommand({}));
  const { TableNames = [] } = await dynamo.send(new ListTablesCommand({}));
  assert.equal(StreamNames, [], "streams left after destroy");
  assert.equal(TableNames, [], "tables left after destroy");
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
    for (const child of running) child.kill("SIGKILL");
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

    const { Item } = await dynamo.send(
      new GetItemCommand({ TableName: TABLE, Key: { vin: { S: VIN } }, ConsistentRead: true }),
    );
    assert.ok(Item, `no row for ${VIN} in ${TABLE}`);
    assert.equal(unmarshall(Item), ROW, "the row the handler wrote");
    assert.equal(
      Object.fromEntries(Object.entries(Item).map(([name, value]) => [name, Object.keys(value)])),
      {
        vin: ["S"],
        mileage: ["N"],
        "location-timestamp": ["S"],
        latitude: ["N"],
        longitude: ["N"],
      },
      "attribute types",
    );
    const { Count } = await dynamo.send(new ScanCommand({ TableName: TABLE, Select: "COUNT" }));
    assert.is(Count, 1, "rows in the table");

    const rejected = await readRejects(kinesis, 1);
    assert.is(rejected.length, 1, "records on the rejects stream");
    const envelope = JSON.parse(rejected[0] as string) as Record<string, unknown>;
    const bad = records[1];
    assert.equal(
      {
        data: Buffer.from(String(envelope.data), "base64").toString("utf8"),
        path: envelope.path,
        reason: envelope.reason,
        sequenceNumber: envelope.sequenceNumber,
        shardId: envelope.shardId,
        eventSourceARN: envelope.eventSourceARN,
      },
      {
        data: BAD,
        path: "vehicle.mileage",
        reason: "vehicle.mileage: expected a non-negative integer, got -3",
        sequenceNumber: bad?.SequenceNumber,
        shardId,
        eventSourceARN: outputs.stream_arn?.value,
      },
      "the rejects stream envelope",
    );
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
    for (const child of running) child.kill("SIGKILL");
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
