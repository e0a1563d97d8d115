/**
 * The Lambda entry point: wires the real configuration, AWS clients and log
 * into {@link processBatch}, once per container.
 *
 * Region and endpoints come from the SDK's standard configuration
 * (`AWS_REGION`, `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_KINESIS`,
 * ...), so the same bundle runs on AWS and against local emulators. The
 * credentials come from the environment (`AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), where Lambda puts the
 * execution role's and `make local`'s mapping the emulators' fakes: the
 * first link of the SDK's default chain, the only one a function uses, so
 * the rest of the chain (profiles, SSO, STS, instance metadata) stays out
 * of the bundle, like Kinesis' default HTTP/2 handler, which the clients'
 * own HTTP/1.1 handler replaces (rollup.config.mjs).
 *
 * A bad configuration throws here, at import: the cold start fails with a
 * message naming the variable, and no batch is consumed (the event source
 * mapping keeps retrying it).
 *
 * @module
 */

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { fromEnv } from "@aws-sdk/credential-provider-env";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from "aws-lambda";
import { parseConfig } from "./config.ts";
import { createFloor } from "./floor.ts";
import { streamLog, withFields } from "./log.ts";
import { type Deps, processBatch } from "./process.ts";

/**
 * A request that takes this long is stuck, not slow (DynamoDB answers in
 * milliseconds): fail it so that the SDK retries it, instead of letting one
 * socket eat the invocation's time. PutRecords carries up to 5 MB.
 */
const DYNAMODB_TIMEOUT_MS = 3_000;
const KINESIS_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 1_000;
/** Time kept back from the function timeout to report failures instead of being killed. */
const DEADLINE_MARGIN_MS = 1_000;

/** HTTP/1.1 with real timeouts (the SDK's Kinesis default is HTTP/2). */
const http = (requestTimeout: number) =>
  new NodeHttpHandler({
    connectionTimeout: CONNECT_TIMEOUT_MS,
    requestTimeout,
    throwOnRequestTimeout: true,
  });

const config = parseConfig(process.env);
const deps: Deps = {
  config,
  dynamo: new DynamoDBClient({
    credentials: fromEnv(),
    maxAttempts: config.sdkMaxAttempts,
    requestHandler: http(DYNAMODB_TIMEOUT_MS),
  }),
  kinesis:
    config.rejectsStreamName === undefined
      ? undefined
      : new KinesisClient({
          credentials: fromEnv(),
          maxAttempts: config.sdkMaxAttempts,
          requestHandler: http(KINESIS_TIMEOUT_MS),
        }),
  log: streamLog,
  // Module state: what this container learns of the table outlives each batch.
  floor:
    config.floorMaxTrucks === 0
      ? undefined
      : createFloor({ maxTrucks: config.floorMaxTrucks, ttlMs: config.floorTtlSeconds * 1000 }),
};

/** Kinesis batch in, conditional DynamoDB writes out, partial batch response back. */
export async function handler(
  event: KinesisStreamEvent,
  context: Context,
): Promise<KinesisStreamBatchResponse> {
  const remaining = context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
  const log = withFields(deps.log, { requestId: context.awsRequestId });
  return processBatch(
    event,
    { ...deps, log },
    {
      functionName: context.functionName,
      signal: AbortSignal.timeout(Math.max(1, remaining)),
    },
  );
}
