/**
 * SDK clients pointed at a local emulator (see `emulators.ts`).
 *
 * The emulators accept any signature, so the credentials are fixed fakes: a
 * stray real profile in the environment can never leak to, or be charged by,
 * a local run. The access key id is deliberately not a 12-digit number, because
 * kinesis-mock would take that as an account id; with any other key, streams
 * live in its default account 000000000000.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";

/** The fake credentials every local client signs with. */
export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" } as const;

/** Few attempts: against loopback a failure is real, and retries only hide it and slow tests. */
const MAX_ATTEMPTS = 3;

/** The region the local clients sign for: `AWS_REGION`, else us-east-1 (kinesis-mock's default). */
export function localRegion(): string {
  return process.env.AWS_REGION || "us-east-1";
}

/** Options shared by both clients; `maxAttempts` may be lowered (e.g. 1 for a readiness probe). */
export type LocalClientOptions = { maxAttempts?: number; requestTimeoutMs?: number };

function httpHandler(opts: LocalClientOptions): NodeHttpHandler {
  return new NodeHttpHandler({
    connectionTimeout: 2_000,
    requestTimeout: opts.requestTimeoutMs ?? 10_000,
    throwOnRequestTimeout: true,
  });
}

/**
 * A Kinesis client for kinesis-mock. It must speak HTTP/1.1: the SDK's default
 * Kinesis handler is HTTP/2, over which kinesis-mock fails some 8 % of calls
 * ("Protocol error … Deserialization error") and runs ~8x slower.
 * SubscribeToShard still works over HTTP/1.1 against kinesis-mock.
 */
export function kinesisClient(endpoint: string, opts: LocalClientOptions = {}): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: localRegion(),
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: opts.maxAttempts ?? MAX_ATTEMPTS,
    requestHandler: httpHandler(opts),
  });
}

/** A DynamoDB client for dynalite. */
export function dynamoClient(endpoint: string, opts: LocalClientOptions = {}): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: localRegion(),
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: opts.maxAttempts ?? MAX_ATTEMPTS,
    requestHandler: httpHandler(opts),
  });
}
