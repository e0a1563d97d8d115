/**
 * What Lambda hands a function fed by a Kinesis event source mapping, built
 * from GetRecords output: the `KinesisStreamEvent` and a minimal `Context`.
 * Shaped exactly like the real thing (field names, base64 data, arrival time
 * in seconds, `shardId-…:seq` event ids), so that the bundle cannot tell the
 * local mapping from AWS, and a handler bug shows up here first.
 *
 * @module
 */

import type { _Record as KinesisRecord } from "@aws-sdk/client-kinesis";
import type { Context, KinesisStreamEvent, KinesisStreamRecord } from "aws-lambda";

/** The account kinesis-mock puts its streams in (and ours, locally). */
export const LOCAL_ACCOUNT = "000000000000";

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

/** The function's execution role, which Lambda reports as `invokeIdentityArn`. */
function roleArn(functionName: string): string {
  return `arn:aws:iam::${LOCAL_ACCOUNT}:role/${functionName}-exec`;
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
    invokeIdentityArn: roleArn(source.functionName),
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
 * A Lambda `Context`. `getRemainingTimeInMillis` is real (the handler derives
 * its AWS request deadline from it); the deprecated callbacks are inert,
 * because the bundle is an async handler.
 */
export function lambdaContext(invocation: Invocation): Context {
  const { functionName, region, requestId, deadline, now } = invocation;
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
