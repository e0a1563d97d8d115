import { test } from "uvu";
import * as assert from "uvu/assert";
import { LOCAL_CREDENTIALS } from "../../aws/clients.ts";
import { functionEnvironment, parseMappingArgs } from "./mapping_options.ts";

const env = {
  AWS_ENDPOINT_URL_KINESIS: "http://127.0.0.1:4567",
  AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:8000",
};

test("no flags: the SDK's environment and the Terraform defaults", () => {
  const config = parseMappingArgs([], env);
  assert.is(config.stream, "oops-events");
  assert.is(config.rejectsStream, "oops-events-rejected");
  assert.is(config.table, "oops-trucks");
  assert.is(config.region, "us-east-1");
  assert.is(config.kinesisEndpoint, "http://127.0.0.1:4567");
  assert.is(config.pollMs, 200);
  assert.is(config.policy.batchSize, 100);
  assert.is(config.policy.maxRetries, 10);
});

test("flags win over the environment", () => {
  const config = parseMappingArgs(
    ["--stream", "s", "--kinesis-endpoint", "http://k:1", "--poll-ms", "50", "--max-retries", "0"],
    { ...env, AWS_REGION: "eu-west-1" },
  );
  assert.is(config.stream, "s");
  assert.is(config.kinesisEndpoint, "http://k:1");
  assert.is(config.region, "eu-west-1");
  assert.is(config.pollMs, 50);
  assert.is(config.policy.maxRetries, 0);
});

test("missing endpoints and bad numbers are named", () => {
  assert.throws(() => parseMappingArgs([], {}), /AWS_ENDPOINT_URL_KINESIS/);
  assert.throws(
    () => parseMappingArgs([], { AWS_ENDPOINT_URL_KINESIS: "http://k" }),
    /AWS_ENDPOINT_URL_DYNAMODB/,
  );
  assert.throws(
    () => parseMappingArgs(["--poll-ms", "fast"], env),
    /--poll-ms: expected a whole number/,
  );
  assert.throws(() => parseMappingArgs(["--nope"], env), /nope/);
});

test("the function sees its table, rejects stream, region and local endpoints", () => {
  const fnEnv = functionEnvironment(parseMappingArgs([], env));
  assert.is(fnEnv.TABLE_NAME, "oops-trucks");
  assert.is(fnEnv.REJECTS_STREAM_NAME, "oops-events-rejected");
  assert.is(fnEnv.AWS_ENDPOINT_URL_DYNAMODB, "http://127.0.0.1:8000");
  assert.is(fnEnv.AWS_ENDPOINT_URL_KINESIS, "http://127.0.0.1:4567");
  assert.is(fnEnv.AWS_ACCESS_KEY_ID, LOCAL_CREDENTIALS.accessKeyId);
});

test.run();
