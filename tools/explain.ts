/**
 * One clear sentence for the ways a tool fails to reach its stream or table,
 * saying what to start or set, instead of an SDK stack trace: the usual cause
 * is simply that nothing is running or deployed yet.
 *
 * @module
 */

import { describeTarget, type Target } from "./target.ts";

/** What a tool was trying to reach. */
export interface Subject {
  readonly kind: "stream" | "table" | "bucket";
  readonly name: string;
  /** The flag that names it, suggested as a fix. */
  readonly flag: string;
  readonly target: Target;
}

/** Codes of a request that never got an answer. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "TimeoutError",
]);

/** Errors that mean the stream, table or bucket does not exist (a HEAD request's is plain NotFound). */
const NOT_FOUND = new Set(["ResourceNotFoundException", "NoSuchBucket", "NotFound"]);

/** Errors that mean "who you are" was missing or not accepted. */
const NO_CREDENTIALS = new Set([
  "CredentialsProviderError",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "InvalidClientTokenId",
  "ExpiredTokenException",
]);

const START_LOCAL = "start the local stack with `make local`";
const START_OR_DEPLOY = `${START_LOCAL}, or deploy with \`make deploy\``;
const CHECK_NETWORK = `check your network connection, or ${START_LOCAL}`;

/** What to do when the service does not answer, given why the tool went there. */
const REACH_HINTS: Record<Target["source"], (service: string) => string> = {
  local: () => "the local stack is not answering, restart it with `make local`",
  env: (service) => `check AWS_ENDPOINT_URL_${service.toUpperCase()}, or unset it`,
  terraform: () => CHECK_NETWORK,
  default: () => CHECK_NETWORK,
};

/**
 * The message for `error`, raised while using `subject`. Anything this does
 * not recognise is still named (error name and message), never hidden.
 */
export function explain(error: unknown, subject: Subject): string {
  const { kind, name, flag, target } = subject;
  const { service, endpoint } = SERVICES[kind];
  const where = describeTarget(target, endpoint);
  const { errorName, code, message } = parts(error);
  if (NOT_FOUND.has(errorName)) {
    return `${kind} ${name} not found ${where}: ${START_OR_DEPLOY}, or pass ${flag}`;
  }
  if (UNREACHABLE.has(code) || UNREACHABLE.has(errorName)) {
    return `cannot reach ${service} ${where}: ${REACH_HINTS[target.source](service)} (${message})`;
  }
  if (NO_CREDENTIALS.has(errorName)) {
    const fix = `set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or ${START_LOCAL}`;
    return `no usable AWS credentials for ${service} ${where}: ${fix} (${message})`;
  }
  return `${kind} ${name} ${where}: ${errorName}: ${message}`;
}

/** Which service holds each kind of subject, and which endpoint of the target reaches it. */
const SERVICES = {
  stream: { service: "Kinesis", endpoint: "kinesis" },
  table: { service: "DynamoDB", endpoint: "dynamodb" },
  bucket: { service: "S3", endpoint: "s3" },
} as const;

function parts(error: unknown): { errorName: string; code: string; message: string } {
  if (!(error instanceof Error)) return { errorName: "Error", code: "", message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    errorName: error.name,
    code: typeof code === "string" ? code : "",
    message: error.message,
  };
}
