/**
 * SDK clients, for an emulator or for AWS itself, built one way: HTTP/1.1
 * with real timeouts, so that a dead endpoint fails in seconds, not minutes,
 * and kinesis-mock works at all (over the SDK's default HTTP/2 Kinesis
 * handler it fails some 8 % of calls, "Protocol error … Deserialization
 * error", and runs about 8× slower; AWS serves both).
 *
 * Against an emulator the credentials are fixed fakes: a stray real profile
 * in the environment can never leak to, or be charged by, a local run. They
 * are s3rver's, the only pair it knows (dynalite accepts any); the access key
 * id is deliberately not a 12-digit number, because kinesis-mock would take
 * that as an account id; with any other key, streams live in its default
 * account 000000000000.
 *
 * @module
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { S3Client } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { NAMES } from "./names.ts";

/** The fake credentials every client of an emulator signs with. */
export const LOCAL_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

/** The region the local clients sign for: `AWS_REGION`, else the Terraform default. */
export function localRegion(): string {
  return process.env.AWS_REGION || NAMES.region;
}

export interface ClientOptions {
  /**
   * `local` (the default): sign with {@link LOCAL_CREDENTIALS}, for an
   * emulator. `sdk`: the SDK's default credential chain, for AWS (always
   * so without an endpoint) or an endpoint the user configured credentials for.
   */
  readonly credentials?: "local" | "sdk";
  /** Default: {@link localRegion}. */
  readonly region?: string;
  /**
   * Attempts per request, the SDK's retries included (default 3: against
   * loopback a failure is real, and retries only hide it; 1 for a probe).
   */
  readonly maxAttempts?: number;
  /** Default 10 s. */
  readonly requestTimeoutMs?: number;
}

function config(endpoint: string | undefined, options: ClientOptions) {
  const local = endpoint !== undefined && (options.credentials ?? "local") === "local";
  return {
    region: options.region ?? localRegion(),
    maxAttempts: options.maxAttempts ?? 3,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(local ? { credentials: LOCAL_CREDENTIALS } : {}),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 3_000,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      throwOnRequestTimeout: true,
    }),
  };
}

/** A Kinesis client for `endpoint` (AWS itself when undefined). */
export function kinesisClient(endpoint: string | undefined, options: ClientOptions = {}) {
  return new KinesisClient(config(endpoint, options));
}

/** A DynamoDB client for `endpoint` (AWS itself when undefined). */
export function dynamoClient(endpoint: string | undefined, options: ClientOptions = {}) {
  return new DynamoDBClient(config(endpoint, options));
}

/**
 * An S3 client for `endpoint` (AWS itself when undefined). An endpoint gets
 * path-style requests (`http://host/bucket/key`): an emulator has no DNS
 * for `bucket.host`.
 */
export function s3Client(endpoint: string | undefined, options: ClientOptions = {}) {
  return new S3Client({ ...config(endpoint, options), forcePathStyle: endpoint !== undefined });
}
