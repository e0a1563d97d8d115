import { test } from "uvu";
import * as assert from "uvu/assert";
import { explain, type Subject } from "./explain.ts";
import { resolveTarget } from "./target.ts";

const LOCAL_STACK = {
  pid: 1,
  region: "us-east-1",
  kinesisEndpoint: "http://127.0.0.1:4567",
  dynamodbEndpoint: "http://127.0.0.1:8000",
  s3Endpoint: "http://127.0.0.1:4568",
  archiveBucket: "oops-events-archive-000000000000-us-east-1",
  stream: "oops-events",
  rejectsStream: "oops-events-rejected",
  table: "oops-trucks",
};
const local = resolveTarget({ env: {}, stack: LOCAL_STACK });
const stream: Subject = { kind: "stream", name: "oops-events", flag: "--stream", target: local };
const table: Subject = { kind: "table", name: "oops-trucks", flag: "--table", target: local };

/** An error shaped like the SDK's. */
const sdkError = (name: string, message: string, code?: string) =>
  Object.assign(new Error(message), { name, ...(code && { code }) });

test("a missing stream or table says what to start, deploy or pass", () => {
  const missing = sdkError("ResourceNotFoundException", "Requested resource not found");
  assert.is(
    explain(missing, stream),
    "stream oops-events not found at http://127.0.0.1:4567 (local stack): start the local stack " +
      "with `make local`, or deploy with `make deploy`, or pass --stream",
  );
  assert.match(
    explain(missing, table),
    /^table oops-trucks not found at http:\/\/127\.0\.0\.1:8000/,
  );
});

test("an endpoint that does not answer gets a hint that fits why the tool went there", () => {
  const refused = sdkError("Error", "connect ECONNREFUSED 127.0.0.1:4567", "ECONNREFUSED");
  assert.is(
    explain(refused, stream),
    "cannot reach Kinesis at http://127.0.0.1:4567 (local stack): the local stack is not " +
      "answering, restart it with `make local` (connect ECONNREFUSED 127.0.0.1:4567)",
  );
  const env = resolveTarget({ env: { AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:1" } });
  assert.match(explain(refused, { ...table, target: env }), /check AWS_ENDPOINT_URL_DYNAMODB/);
  const aws = resolveTarget({ env: {} });
  const offline = sdkError(
    "Error",
    "getaddrinfo ENOTFOUND kinesis.us-east-1.amazonaws.com",
    "ENOTFOUND",
  );
  assert.match(
    explain(offline, { ...stream, target: aws }),
    /^cannot reach Kinesis in AWS us-east-1 \(defaults\): check your network connection/,
  );
});

test("missing credentials say how to provide them", () => {
  const aws = resolveTarget({ env: {} });
  const none = sdkError(
    "CredentialsProviderError",
    "Could not load credentials from any providers",
  );
  assert.match(
    explain(none, { ...table, target: aws }),
    /^no usable AWS credentials for DynamoDB in AWS us-east-1 \(defaults\): set AWS_PROFILE/,
  );
});

test("anything else is still named, not hidden", () => {
  assert.is(
    explain(sdkError("LimitExceededException", "too many"), stream),
    "stream oops-events at http://127.0.0.1:4567 (local stack): LimitExceededException: too many",
  );
  assert.match(explain("boom", stream), /: Error: boom$/);
});

test.run();
