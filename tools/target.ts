/**
 * Where the tools (generator, status, dashboard) point: one rule for all of
 * them, so that `make generate` and `make status` can never talk to two
 * different places.
 *
 * Endpoints and account come from the first of these that applies:
 * 1. the environment, when it names an endpoint (`AWS_ENDPOINT_URL_KINESIS`,
 *    `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL`) or a profile (`AWS_PROFILE`);
 * 2. a running `make local` stack (its `.local/stack.json`);
 * 3. a deployment's Terraform outputs (`terraform/outputs.json`, which
 *    `make deploy` and `make outputs` write from the state they used, local or
 *    S3, so the tools need neither Terraform nor the state);
 * 4. AWS with the default names.
 *
 * Names and region are then taken field by field: CLI flags win over
 * `STREAM_NAME` / `TABLE_NAME` / `REJECTS_STREAM_NAME` / `AWS_REGION`, which
 * win over what the local stack (when it is the source) or else the Terraform
 * outputs say, then the defaults. A local stack's region is its own, though:
 * the emulators keep streams per region, and a global `AWS_REGION` must not
 * send the tools to an empty corner of them.
 *
 * @module
 */

import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { S3Client } from "@aws-sdk/client-s3";
import { dynamoClient, kinesisClient, s3Client } from "../aws/clients.ts";
import { readTextIfExists } from "../aws/files.ts";
import { NAMES } from "../aws/names.ts";
import { readStack, type Stack } from "./stack.ts";

/** Which rule chose the endpoints and account. */
export type Source = "env" | "local" | "terraform" | "default";

/** Everything a tool needs to reach the pipeline's stream and table. */
export interface Target {
  readonly region: string;
  readonly stream: string;
  readonly rejectsStream: string;
  readonly table: string;
  /** The Lambda function (only the Terraform outputs know a deployment's; else the default). */
  readonly functionName: string;
  /** The DLQ of the event source mapping (a deployment's `dlq_url`; a local stack keeps a file instead). */
  readonly dlqUrl: string | undefined;
  /** The bucket of the raw events' archive, when one is known (no default: its name holds the account). */
  readonly archiveBucket: string | undefined;
  /** Endpoint overrides; absent means the AWS endpoint of `region`. */
  readonly endpoints: {
    readonly kinesis?: string;
    readonly dynamodb?: string;
    readonly s3?: string;
  };
  readonly source: Source;
  /**
   * How requests to an endpoint override are signed. `local`: with fake
   * credentials, because none are configured and an emulator checks none;
   * `sdk`: with the SDK's default credential chain (always so for AWS itself).
   */
  readonly credentials: "local" | "sdk";
}

/** What a user can set on the command line. */
export interface TargetFlags {
  readonly region?: string;
  readonly stream?: string;
  readonly rejectsStream?: string;
  readonly table?: string;
  readonly archiveBucket?: string;
}

/** What a deployment's Terraform outputs say; any of it may be missing. */
export interface TerraformOutputs {
  readonly stream?: string;
  readonly rejectsStream?: string;
  readonly table?: string;
  readonly archiveBucket?: string;
  readonly functionName?: string;
  readonly dlqUrl?: string;
  /** Taken from the stream's ARN: the outputs have no plainer record of it. */
  readonly region?: string;
}

/** Environment variables, as in `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The "Target:" paragraph of a tool's --help: the rule above, for the service the tool uses. */
export function targetHelp(service: "kinesis" | "dynamodb"): string {
  const [endpoint, variable, name] =
    service === "kinesis"
      ? ["AWS_ENDPOINT_URL_KINESIS", "STREAM_NAME", NAMES.stream]
      : ["AWS_ENDPOINT_URL_DYNAMODB", "TABLE_NAME", NAMES.table];
  return `Target: ${endpoint} / AWS_PROFILE if set, else the running
\`make local\` stack, else the Terraform outputs, else ${name} in ${NAMES.region}.
${variable} and AWS_REGION override the names.`;
}

/** Where {@link loadTarget} looks, relative to the repository root. */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/**
 * A local stack's state directory: `dir`, else `LOCAL_STATE_DIR` (a `make
 * local --state-dir` elsewhere), else `.local`; relative to the repository
 * root, as make runs the tools.
 */
export const localStateDir = (dir?: string, env: Env = process.env) =>
  resolve(ROOT, dir ?? setting(env, "LOCAL_STATE_DIR") ?? ".local");

/** Where to find the stack of a `make local` run with `--state-dir dir`. */
export const localSources = (dir?: string): TargetSources => ({
  stackPath: join(localStateDir(dir), "stack.json"),
});
export const TF_OUTPUTS_PATH = join(ROOT, "terraform", "outputs.json");

/** An unset or empty variable is no setting (shells and Make export `X=` easily). */
const setting = (env: Env, name: string) => (env[name] ? env[name] : undefined);

/** Which rule applies, the names it brings, and the endpoints it sets (see the module doc). */
function chooseSource(
  env: Env,
  stack: Stack | undefined,
  terraform: TerraformOutputs | undefined,
): { source: Source; base: TerraformOutputs; endpoints: Target["endpoints"] } {
  const kinesis = setting(env, "AWS_ENDPOINT_URL_KINESIS") ?? setting(env, "AWS_ENDPOINT_URL");
  const dynamodb = setting(env, "AWS_ENDPOINT_URL_DYNAMODB") ?? setting(env, "AWS_ENDPOINT_URL");
  const s3 = setting(env, "AWS_ENDPOINT_URL_S3") ?? setting(env, "AWS_ENDPOINT_URL");
  const chosen = { ...(kinesis && { kinesis }), ...(dynamodb && { dynamodb }), ...(s3 && { s3 }) };
  if (Object.keys(chosen).length > 0 || setting(env, "AWS_PROFILE") !== undefined) {
    // A deployment's names still apply: the environment only chose the account or endpoint.
    return { source: "env", base: terraform ?? {}, endpoints: chosen };
  }
  if (stack !== undefined) {
    const { kinesisEndpoint: kinesis, dynamodbEndpoint: dynamodb, s3Endpoint: s3 } = stack;
    return { source: "local", base: stack, endpoints: { kinesis, dynamodb, s3 } };
  }
  if (terraform !== undefined) return { source: "terraform", base: terraform, endpoints: {} };
  return { source: "default", base: {}, endpoints: {} };
}

/**
 * The target, from everything that can say something about it (pure: the
 * caller reads the files). See the module doc for the rule.
 */
export function resolveTarget(input: {
  flags?: TargetFlags;
  env: Env;
  stack?: Stack | undefined;
  terraform?: TerraformOutputs | undefined;
}): Target {
  const { flags = {}, env, stack, terraform } = input;
  const { source, base, endpoints } = chooseSource(env, stack, terraform);
  const hasCredentials =
    setting(env, "AWS_PROFILE") !== undefined || setting(env, "AWS_ACCESS_KEY_ID") !== undefined;
  const pick = (flag: string | undefined, variable: string, fallback: string | undefined) =>
    flag || setting(env, variable) || fallback;
  const region =
    source === "local"
      ? flags.region || base.region
      : pick(flags.region, "AWS_REGION", base.region);
  const anyEndpoint = Object.keys(endpoints).length > 0;
  return {
    region: region || NAMES.region,
    stream: pick(flags.stream, "STREAM_NAME", base.stream) || NAMES.stream,
    rejectsStream:
      pick(flags.rejectsStream, "REJECTS_STREAM_NAME", base.rejectsStream) || NAMES.rejectsStream,
    table: pick(flags.table, "TABLE_NAME", base.table) || NAMES.table,
    functionName: base.functionName || NAMES.functionName,
    dlqUrl: base.dlqUrl,
    archiveBucket: pick(flags.archiveBucket, "ARCHIVE_BUCKET", base.archiveBucket),
    endpoints,
    source,
    credentials: anyEndpoint && !hasCredentials ? "local" : "sdk",
  };
}

/**
 * A deployment's outputs as `terraform output -json` prints them
 * (`{"stream_name": {"value": "oops-events", ...}, ...}`), or `undefined`
 * when there is no file. Missing outputs are left out, so a partial
 * deployment still helps.
 */
export async function readTerraformOutputs(path: string): Promise<TerraformOutputs | undefined> {
  const text = await readTextIfExists(path);
  if (text === undefined) return undefined;
  // An empty file is no deployment.
  if (text.trim() === "") return undefined;
  let outputs: unknown;
  try {
    outputs = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not \`terraform output -json\`: ${(err as Error).message}`);
  }
  const byName = outputs as Record<string, { value?: unknown } | undefined> | null;
  const output = (name: string): string | undefined => {
    const value = byName?.[name]?.value;
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  // The outputs of a destroyed (or never applied) state are {}: no deployment either.
  if (output("stream_name") === undefined && output("table_name") === undefined) return undefined;
  const region = /^arn:[^:]+:kinesis:([^:]+):/.exec(output("stream_arn") ?? "")?.[1];
  return {
    ...withValue("stream", output("stream_name")),
    ...withValue("rejectsStream", output("rejects_stream_name")),
    ...withValue("table", output("table_name")),
    ...withValue("archiveBucket", output("archive_bucket")),
    ...withValue("functionName", output("function_name")),
    ...withValue("dlqUrl", output("dlq_url")),
    ...withValue("region", region),
  };
}

const withValue = <K extends string>(key: K, value: string | undefined) =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };

/** Where {@link loadTarget} reads from; tests point these at temporary files. */
export interface TargetSources {
  env?: Env;
  stackPath?: string;
  outputsPath?: string;
}

/** The target of this run: reads the environment, the stack file and the Terraform outputs. */
export async function loadTarget(
  flags: TargetFlags = {},
  sources: TargetSources = {},
): Promise<Target> {
  const { env = process.env, outputsPath = TF_OUTPUTS_PATH } = sources;
  const stackPath = sources.stackPath ?? join(localStateDir(undefined, env), "stack.json");
  const [stack, terraform] = await Promise.all([
    readStack(stackPath),
    readTerraformOutputs(outputsPath),
  ]);
  return resolveTarget({ flags, env, stack, terraform });
}

/**
 * Where a service of the target is, for messages: `at http://127.0.0.1:4567
 * (local stack)`, `in AWS us-east-1 (terraform outputs)`.
 */
export function describeTarget(target: Target, service: "kinesis" | "dynamodb" | "s3"): string {
  const endpoint = target.endpoints[service];
  const where = endpoint === undefined ? `in AWS ${target.region}` : `at ${endpoint}`;
  return `${where} (${SOURCE_LABELS[target.source]})`;
}

const SOURCE_LABELS: Record<Source, string> = {
  env: "from the environment",
  local: "local stack",
  terraform: "terraform outputs",
  default: "defaults",
};

/** Options for the clients; `maxAttempts` includes the SDK's own retries. */
export interface ClientOptions {
  maxAttempts?: number;
}

/** Client settings of the target's: its region and credentials, a generous timeout for AWS. */
const settings = (target: Target, options: ClientOptions) => ({
  region: target.region,
  credentials: target.credentials,
  maxAttempts: options.maxAttempts ?? 3,
  requestTimeoutMs: 30_000,
});

/** A Kinesis client for the target. */
export function kinesisFor(target: Target, options: ClientOptions = {}): KinesisClient {
  return kinesisClient(target.endpoints.kinesis, settings(target, options));
}

/** A DynamoDB client for the target. */
export function dynamoFor(target: Target, options: ClientOptions = {}): DynamoDBClient {
  return dynamoClient(target.endpoints.dynamodb, settings(target, options));
}

/** An S3 client for the target's archive. */
export function s3For(target: Target, options: ClientOptions = {}): S3Client {
  return s3Client(target.endpoints.s3, settings(target, options));
}
