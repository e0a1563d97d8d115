/**
 * What Lambda hands a function fed by a Kinesis event source mapping: the
 * `KinesisStreamEvent`, built from GetRecords output, and the `Context`.
 * Shaped exactly like the real thing (field names, base64 data, arrival time
 * in seconds, `shardId-…:seq` event ids), so that the bundle cannot tell the
 * local mapping or a test from AWS. The local mapping shapes what it read
 * from kinesis-mock; tests shape payloads of their own with `recordsOf`.
 *
 * @module
 */

import { randomUUID } from "node:crypto";
import type { _Record as KinesisRecord } from "@aws-sdk/client-kinesis";
import type { Context, KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";
import type { OopsEvent } from "../../core/mod.ts";
import { LOCAL_ACCOUNT, NAMES } from "../names.ts";

/** Where the records come from and who "invokes". */
export interface Source {
  readonly region: string;
  readonly stream: string;
  readonly shardId: string;
  /** The function's name, for its ARN (execution role) and context. */
  readonly functionName: string;
}

/** `arn:aws:kinesis:REGION:000000000000:stream/NAME`. */
export function streamArn(region: string, stream: string): string {
  return `arn:aws:kinesis:${region}:${LOCAL_ACCOUNT}:stream/${stream}`;
}

/** One GetRecords record as Lambda delivers it. */
export function toLambdaRecord(record: KinesisRecord, source: Source): KinesisStreamRecord {
  const sequenceNumber = record.SequenceNumber ?? "";
  const arrival = record.ApproximateArrivalTimestamp;
  return {
    kinesis: {
      kinesisSchemaVersion: "1.0",
      partitionKey: record.PartitionKey ?? "",
      sequenceNumber,
      data: Buffer.from(record.Data ?? new Uint8Array()).toString("base64"),
      approximateArrivalTimestamp: arrival === undefined ? 0 : arrival.getTime() / 1000,
    },
    eventSource: "aws:kinesis",
    eventVersion: "1.0",
    eventID: `${source.shardId}:${sequenceNumber}`,
    eventName: "aws:kinesis:record",
    // The function's execution role, which Lambda reports as the invoking identity.
    invokeIdentityArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${source.functionName}-exec`,
    awsRegion: source.region,
    eventSourceARN: streamArn(source.region, source.stream),
  };
}

/** The event of one invocation: the batch, in shard order. */
export function toKinesisEvent(
  records: readonly KinesisRecord[],
  source: Source,
): KinesisStreamEvent {
  return { Records: records.map((record) => toLambdaRecord(record, source)) };
}

/** What a context needs that is not a constant. */
export interface Invocation {
  readonly functionName: string;
  readonly region: string;
  readonly requestId: string;
  /** Epoch milliseconds at which the invocation times out. */
  readonly deadline: number;
  /** The clock `getRemainingTimeInMillis` reads (injected for tests). */
  readonly now: () => number;
}

/**
 * A Lambda `Context` (by default: the pipeline's function, a minute left).
 * `getRemainingTimeInMillis` is real (the handler derives its AWS request
 * deadline from it); the deprecated callbacks are inert, because the bundle is
 * an async handler.
 */
export function lambdaContext(invocation: Partial<Invocation> = {}): Context {
  const {
    functionName = NAMES.functionName,
    region = NAMES.region,
    requestId = randomUUID(),
    now = Date.now,
    deadline = now() + 60_000,
  } = invocation;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${requestId.replaceAll("-", "")}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

// --- records of a test's own making ---------------------------------------------

/** The first shard of the pipeline's stream, where test records sit. */
export const TEST_SOURCE: Source = {
  region: NAMES.region,
  stream: NAMES.stream,
  shardId: "shardId-000000000000",
  functionName: NAMES.functionName,
};

/** What a test record may carry: an event (sent as JSON), raw text or raw bytes. */
export type Payload = OopsEvent | string | Uint8Array;

const FIRST_SEQUENCE = 49590338271490256608559692538361571095921575989136588898n;

/** Increasing sequence numbers of one shard: 56 digits, beyond `Number`'s precision, with gaps, as on AWS. */
export function sequencer(start = FIRST_SEQUENCE): () => string {
  let next = start;
  return () => {
    const sequenceNumber = next;
    next += 7919n;
    return String(sequenceNumber);
  };
}

function bytes(payload: Payload): Uint8Array {
  if (typeof payload === "string") return Buffer.from(payload, "utf8");
  if (payload instanceof Uint8Array) return payload;
  return Buffer.from(JSON.stringify(payload), "utf8");
}

/** One record of {@link TEST_SOURCE} with the given payload and sequence number. */
export function kinesisRecord(payload: Payload, sequenceNumber: string): KinesisStreamRecord {
  return toLambdaRecord(
    {
      SequenceNumber: sequenceNumber,
      PartitionKey: `pk-${sequenceNumber.slice(-6)}`,
      Data: bytes(payload),
      ApproximateArrivalTimestamp: new Date(1_515_760_920_123),
    },
    TEST_SOURCE,
  );
}

/** Records for payloads, numbered by `next` in order. */
export function recordsOf(payloads: readonly Payload[], next = sequencer()): KinesisStreamRecord[] {
  return payloads.map((payload) => kinesisRecord(payload, next()));
}

/** A batch of records. */
export function kinesisEvent(records: KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: records };
}
