/**
 * Kinesis stream events as the event source mapping hands them to Lambda, for
 * tests: base64 data, 56-digit sequence numbers (beyond `Number` precision,
 * as on AWS), the eventID that carries the shard.
 *
 * @module
 */

import type { Context, KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";
import type { OopsEvent } from "../../core/mod.ts";

export const SHARD_ID = "shardId-000000000000";
export const STREAM_ARN = "arn:aws:kinesis:us-east-1:000000000000:stream/oops-events";

/** What a record may carry: an event (sent as JSON), raw text or raw bytes. */
export type Payload = OopsEvent | string | Uint8Array;

const FIRST_SEQUENCE = 49590338271490256608559692538361571095921575989136588898n;

/** Increasing sequence numbers of one shard, as decimal strings. */
export function sequencer(start = FIRST_SEQUENCE): () => string {
  let next = start;
  return () => {
    const seq = next;
    next += 7919n; // gaps, as on AWS
    return String(seq);
  };
}

function bytes(payload: Payload): Buffer {
  if (typeof payload === "string") return Buffer.from(payload, "utf8");
  if (payload instanceof Uint8Array) return Buffer.from(payload);
  return Buffer.from(JSON.stringify(payload), "utf8");
}

/** One Kinesis record with the given payload and sequence number. */
export function kinesisRecord(payload: Payload, sequenceNumber: string): KinesisStreamRecord {
  return {
    kinesis: {
      kinesisSchemaVersion: "1.0",
      partitionKey: `pk-${sequenceNumber.slice(-6)}`,
      sequenceNumber,
      data: bytes(payload).toString("base64"),
      approximateArrivalTimestamp: 1_515_760_920.123,
    },
    eventSource: "aws:kinesis",
    eventVersion: "1.0",
    eventID: `${SHARD_ID}:${sequenceNumber}`,
    eventName: "aws:kinesis:record",
    invokeIdentityArn: "arn:aws:iam::000000000000:role/oops-lambda",
    awsRegion: "us-east-1",
    eventSourceARN: STREAM_ARN,
  };
}

/** A batch of records. */
export function kinesisEvent(records: KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: records };
}

/** Records for payloads, numbered by `next` in order. */
export function recordsOf(payloads: readonly Payload[], next = sequencer()): KinesisStreamRecord[] {
  return payloads.map((payload) => kinesisRecord(payload, next()));
}

/** A Lambda context with `remainingMs` left before the function's timeout. */
export function lambdaContext(remainingMs = 60_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "oops-truck-status",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:oops-truck-status",
    memoryLimitInMB: "256",
    awsRequestId: crypto.randomUUID(),
    logGroupName: "/aws/lambda/oops-truck-status",
    logStreamName: "test",
    getRemainingTimeInMillis: () => remainingMs,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
