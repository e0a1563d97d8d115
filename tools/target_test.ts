import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LOCAL_CREDENTIALS } from "../aws/clients.ts";
import { NAMES } from "../aws/names.ts";
import { writeStack } from "./stack.ts";
import {
  describeTarget,
  dynamoFor,
  type Env,
  kinesisFor,
  loadTarget,
  type Target,
  type TargetFlags,
} from "./target.ts";
import { LIVE_STACK } from "./testing.ts";

/** As `terraform output -json` prints them (make deploy writes terraform/outputs.json). */
const OUTPUTS = {
  stream_name: { sensitive: false, type: "string", value: "tf-events" },
  stream_arn: {
    sensitive: false,
    type: "string",
    value: "arn:aws:kinesis:eu-central-1:123456789012:stream/tf-events",
  },
  rejects_stream_name: { sensitive: false, type: "string", value: "tf-rejects" },
  table_name: { sensitive: false, type: "string", value: "tf-trucks" },
  archive_bucket: { sensitive: false, type: "string", value: "tf-archive" },
  function_name: { sensitive: false, type: "string", value: "tf-function" },
  dlq_url: {
    sensitive: false,
    type: "string",
    value: "https://sqs.eu-central-1.amazonaws.com/123456789012/tf-dlq",
  },
  generate_hint: { sensitive: false, type: "string", value: "make generate ..." },
};

let dir = "";
test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), "target-test-"));
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The target with the given files present (in a fresh directory) and `env`. */
async function target(
  has: { stack?: boolean; outputs?: Record<string, unknown> },
  env: Env = {},
  flags: TargetFlags = {},
): Promise<Target> {
  const root = await mkdtemp(join(dir, "root-"));
  const stackPath = join(root, ".local", "stack.json");
  const outputsPath = join(root, "outputs.json");
  if (has.stack) await writeStack(stackPath, LIVE_STACK);
  if (has.outputs) await writeFile(outputsPath, JSON.stringify(has.outputs));
  return loadTarget(flags, { env, stackPath, outputsPath });
}

test("nothing set: AWS us-east-1 with the chapter's names", async () => {
  const { region, stream, rejectsStream, table } = NAMES;
  assert.equal(await target({}), {
    region,
    stream,
    rejectsStream,
    table,
    functionName: NAMES.functionName,
    dlqUrl: undefined,
    archiveBucket: undefined,
    endpoints: {},
    source: "default",
    credentials: "sdk",
  });
});

test("Terraform outputs give the deployed names and the region of the stream's ARN", async () => {
  const t = await target({ outputs: OUTPUTS });
  assert.equal(
    { ...t },
    {
      region: "eu-central-1",
      stream: "tf-events",
      rejectsStream: "tf-rejects",
      table: "tf-trucks",
      functionName: "tf-function",
      dlqUrl: "https://sqs.eu-central-1.amazonaws.com/123456789012/tf-dlq",
      archiveBucket: "tf-archive",
      endpoints: {},
      source: "terraform",
      credentials: "sdk",
    },
  );
});

test("partial Terraform outputs fill in what they have", async () => {
  const t = await target({ outputs: { table_name: { value: "tf-trucks" }, stream_arn: {} } });
  assert.equal(
    [t.source, t.table, t.stream, t.region],
    ["terraform", "tf-trucks", NAMES.stream, NAMES.region],
  );
});

test("a running local stack beats Terraform, with its own region and fake credentials", async () => {
  const t = await target({ stack: true, outputs: OUTPUTS }, { AWS_REGION: "ap-south-1" });
  assert.equal(t, {
    region: "eu-west-2",
    stream: "local-events",
    rejectsStream: "local-rejects",
    table: "local-trucks",
    functionName: NAMES.functionName,
    dlqUrl: undefined,
    archiveBucket: "local-archive",
    endpoints: {
      kinesis: LIVE_STACK.kinesisEndpoint,
      dynamodb: LIVE_STACK.dynamodbEndpoint,
      s3: LIVE_STACK.s3Endpoint,
    },
    source: "local",
    credentials: "local",
  });
});

test("endpoint variables beat a running local stack", async () => {
  const env = { AWS_ENDPOINT_URL_KINESIS: "http://127.0.0.1:1", AWS_REGION: "ap-south-1" };
  const t = await target({ stack: true, outputs: OUTPUTS }, env);
  assert.equal(
    [t.source, t.endpoints, t.region, t.stream, t.credentials],
    ["env", { kinesis: "http://127.0.0.1:1" }, "ap-south-1", "tf-events", "local"],
  );
  const all = await target({}, { AWS_ENDPOINT_URL: "http://127.0.0.1:2" });
  const one = "http://127.0.0.1:2";
  assert.equal(all.endpoints, { kinesis: one, dynamodb: one, s3: one });
  const s3 = await target({ outputs: OUTPUTS }, { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:3" });
  assert.equal(
    [s3.source, s3.endpoints, s3.archiveBucket],
    ["env", { s3: "http://127.0.0.1:3" }, "tf-archive"],
  );
  const named = await target({ outputs: OUTPUTS }, { ARCHIVE_BUCKET: "mine" });
  assert.is(named.archiveBucket, "mine");
});

test("configured credentials are used even against an endpoint override", async () => {
  const env = { AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:1", AWS_ACCESS_KEY_ID: "AKIAEXAMPLE" };
  assert.is((await target({}, env)).credentials, "sdk");
});

test("a profile means AWS, even while a local stack runs", async () => {
  const t = await target({ stack: true }, { AWS_PROFILE: "ulp" });
  assert.equal(
    [t.source, t.endpoints, t.credentials, t.region, t.stream],
    ["env", {}, "sdk", NAMES.region, NAMES.stream],
  );
});

test("with a profile, a deployment's names and region still apply", async () => {
  const t = await target({ stack: true, outputs: OUTPUTS }, { AWS_PROFILE: "ulp" });
  assert.equal(
    [t.source, t.stream, t.table, t.region],
    ["env", "tf-events", "tf-trucks", "eu-central-1"],
  );
});

test("AWS_REGION alone does not divert from the local stack, but applies to AWS", async () => {
  assert.is((await target({ stack: true }, { AWS_REGION: "ap-south-1" })).source, "local");
  const t = await target({ outputs: OUTPUTS }, { AWS_REGION: "ap-south-1" });
  assert.equal([t.source, t.region], ["terraform", "ap-south-1"]);
});

test("names: flags beat variables, which beat the source", async () => {
  const env = { STREAM_NAME: "env-events", TABLE_NAME: "env-trucks", REJECTS_STREAM_NAME: "env-r" };
  const fromEnv = await target({ stack: true }, env);
  assert.equal(
    [fromEnv.source, fromEnv.stream, fromEnv.table, fromEnv.rejectsStream],
    ["local", "env-events", "env-trucks", "env-r"],
  );
  const flags = { stream: "flag-events", table: "flag-trucks", region: "us-west-2" };
  const fromFlags = await target({ stack: true }, env, flags);
  assert.equal(
    [fromFlags.stream, fromFlags.table, fromFlags.region],
    ["flag-events", "flag-trucks", "us-west-2"],
  );
});

test("empty variables count as unset", async () => {
  const env = { AWS_ENDPOINT_URL_KINESIS: "", AWS_PROFILE: "", STREAM_NAME: "", AWS_REGION: "" };
  const t = await target({ stack: true }, env);
  assert.equal([t.source, t.stream, t.region], ["local", "local-events", "eu-west-2"]);
});

test("a corrupt outputs file is an error naming the file", async () => {
  const outputsPath = join(dir, "outputs.json");
  await writeFile(outputsPath, "{ not json");
  try {
    await loadTarget({}, { env: {}, stackPath: join(dir, "none"), outputsPath });
    assert.unreachable("should have thrown");
  } catch (err) {
    assert.match((err as Error).message, /outputs\.json is not `terraform output -json`/);
  }
});

test("no outputs (empty file, a destroyed or unapplied state's {}, null) is no deployment", async () => {
  const outputsPath = join(dir, "outputs.json");
  for (const text of ["", "{}", "null"]) {
    await writeFile(outputsPath, text);
    const t = await loadTarget({}, { env: {}, stackPath: join(dir, "none"), outputsPath });
    assert.equal([t.source, t.stream], ["default", NAMES.stream], JSON.stringify(text));
  }
});

test("a Terraform state file is not mistaken for outputs", async () => {
  // Its outputs sit one level down: read as `terraform output -json`, it has none.
  const outputsPath = join(dir, "outputs.json");
  await writeFile(outputsPath, JSON.stringify({ version: 4, outputs: OUTPUTS }));
  const t = await loadTarget({}, { env: {}, stackPath: join(dir, "none"), outputsPath });
  assert.is(t.source, "default");
});

test("describeTarget says where and why", async () => {
  const local = await target({ stack: true });
  assert.is(describeTarget(local, "kinesis"), `at ${LIVE_STACK.kinesisEndpoint} (local stack)`);
  const aws = await target({ outputs: OUTPUTS });
  assert.is(describeTarget(aws, "dynamodb"), "in AWS eu-central-1 (terraform outputs)");
});

test("clients carry the target's region, endpoint and credentials", async () => {
  const local = await target({ stack: true });
  const kinesis = kinesisFor(local);
  const dynamo = dynamoFor(local);
  try {
    assert.is(await kinesis.config.region(), "eu-west-2");
    const endpoint = await kinesis.config.endpoint?.();
    assert.is(
      `${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`,
      LIVE_STACK.kinesisEndpoint,
    );
    assert.is((await dynamo.config.credentials()).accessKeyId, LOCAL_CREDENTIALS.accessKeyId);
  } finally {
    kinesis.destroy();
    dynamo.destroy();
  }
});

test.run();
