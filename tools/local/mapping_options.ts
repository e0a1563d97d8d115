/**
 * Command line of the mapping process (`mapping_main.ts`). Flags first, then
 * the AWS SDK's own environment variables, then the Terraform defaults, so
 * that the process runs with no flags at all against `AWS_ENDPOINT_URL_*`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { LOCAL_CREDENTIALS } from "../../aws/clients.ts";
import { DEFAULT_POLICY, type RetryPolicy } from "../../aws/lambda/rules.ts";
import { NAMES } from "../../aws/names.ts";

export interface MappingConfig {
  readonly stream: string;
  readonly rejectsStream: string;
  readonly table: string;
  readonly region: string;
  readonly kinesisEndpoint: string;
  readonly dynamodbEndpoint: string;
  readonly stateDir: string;
  /** The handler bundle. */
  readonly bundle: string;
  readonly functionName: string;
  readonly timeoutMs: number;
  readonly pollMs: number;
  /** Progress line interval; 0 = none. */
  readonly progressMs: number;
  readonly policy: RetryPolicy;
}

export const USAGE = `usage: node --import tsx tools/local/mapping_main.ts [options]
  --stream NAME             event stream (${NAMES.stream})
  --rejects-stream NAME     REJECTS_STREAM_NAME of the function (${NAMES.rejectsStream})
  --table NAME              TABLE_NAME of the function (${NAMES.table})
  --region REGION           $AWS_REGION, else ${NAMES.region}
  --kinesis-endpoint URL    $AWS_ENDPOINT_URL_KINESIS (required)
  --dynamodb-endpoint URL   $AWS_ENDPOINT_URL_DYNAMODB (required)
  --state-dir DIR           checkpoints and skipped batches (.local)
  --bundle FILE             handler bundle (handler/dist/index.mjs)
  --poll-ms N               wait after an empty read (200)
  --progress-ms N           progress line interval, 0 = none (5000)
  --max-retries N           retries of a failing batch before it is skipped (10)
  --timeout-s N             function timeout (60)`;

const integer = (name: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new Error(`--${name}: expected a whole number, got ${text}`);
  return Number(text);
};

/** The configuration, or an `Error` whose message says what is wrong. */
export function parseMappingArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): MappingConfig {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      stream: { type: "string" },
      "rejects-stream": { type: "string" },
      table: { type: "string" },
      region: { type: "string" },
      "kinesis-endpoint": { type: "string" },
      "dynamodb-endpoint": { type: "string" },
      "state-dir": { type: "string" },
      bundle: { type: "string" },
      "poll-ms": { type: "string" },
      "progress-ms": { type: "string" },
      "max-retries": { type: "string" },
      "timeout-s": { type: "string" },
    },
  });
  const kinesisEndpoint = values["kinesis-endpoint"] ?? env.AWS_ENDPOINT_URL_KINESIS;
  const dynamodbEndpoint = values["dynamodb-endpoint"] ?? env.AWS_ENDPOINT_URL_DYNAMODB;
  if (!kinesisEndpoint)
    throw new Error("no Kinesis endpoint: --kinesis-endpoint or AWS_ENDPOINT_URL_KINESIS");
  if (!dynamodbEndpoint)
    throw new Error("no DynamoDB endpoint: --dynamodb-endpoint or AWS_ENDPOINT_URL_DYNAMODB");
  return {
    stream: values.stream ?? NAMES.stream,
    rejectsStream: values["rejects-stream"] ?? NAMES.rejectsStream,
    table: values.table ?? NAMES.table,
    region: values.region ?? (env.AWS_REGION || NAMES.region),
    kinesisEndpoint,
    dynamodbEndpoint,
    stateDir: values["state-dir"] ?? ".local",
    bundle: values.bundle ?? "handler/dist/index.mjs",
    functionName: NAMES.functionName,
    timeoutMs: integer("timeout-s", values["timeout-s"], 60) * 1000,
    pollMs: integer("poll-ms", values["poll-ms"], 200),
    progressMs: integer("progress-ms", values["progress-ms"], 5_000),
    policy: {
      ...DEFAULT_POLICY,
      maxRetries: integer("max-retries", values["max-retries"], DEFAULT_POLICY.maxRetries),
    },
  };
}

/**
 * The function's environment, as Terraform sets it (`TABLE_NAME`,
 * `REJECTS_STREAM_NAME`) plus what the Lambda runtime and the emulators need.
 */
export function functionEnvironment(config: MappingConfig): Record<string, string> {
  return {
    TABLE_NAME: config.table,
    REJECTS_STREAM_NAME: config.rejectsStream,
    AWS_REGION: config.region,
    AWS_ENDPOINT_URL_DYNAMODB: config.dynamodbEndpoint,
    AWS_ENDPOINT_URL_KINESIS: config.kinesisEndpoint,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_LAMBDA_FUNCTION_NAME: config.functionName,
  };
}
