import { test } from "uvu";
import * as assert from "uvu/assert";
import { lambdaContext, streamArn, toKinesisEvent } from "./event.ts";

const source = {
  region: "eu-west-1",
  stream: "oops-events",
  shardId: "shardId-000000000001",
  functionName: "oops-truck-status",
};

test("a GetRecords record becomes a Lambda Kinesis record, field for field", () => {
  const event = toKinesisEvent(
    [
      {
        SequenceNumber: "49590338271490256608559692538361571095921575989136588898",
        PartitionKey: "1HGCM82633A004352",
        Data: new TextEncoder().encode('{"event":"TRUCK_ARRIVES"}'),
        ApproximateArrivalTimestamp: new Date(1545084650987),
      },
    ],
    source,
  );
  assert.equal(event, {
    Records: [
      {
        kinesis: {
          kinesisSchemaVersion: "1.0",
          partitionKey: "1HGCM82633A004352",
          sequenceNumber: "49590338271490256608559692538361571095921575989136588898",
          data: Buffer.from('{"event":"TRUCK_ARRIVES"}').toString("base64"),
          approximateArrivalTimestamp: 1545084650.987,
        },
        eventSource: "aws:kinesis",
        eventVersion: "1.0",
        eventID: "shardId-000000000001:49590338271490256608559692538361571095921575989136588898",
        eventName: "aws:kinesis:record",
        invokeIdentityArn: "arn:aws:iam::000000000000:role/oops-truck-status-exec",
        awsRegion: "eu-west-1",
        eventSourceARN: "arn:aws:kinesis:eu-west-1:000000000000:stream/oops-events",
      },
    ],
  });
});

test("records keep their order; an empty batch is an empty event", () => {
  const records = ["1", "2", "3"].map((SequenceNumber) => ({
    SequenceNumber,
    PartitionKey: "p",
    Data: new Uint8Array(),
  }));
  const event = toKinesisEvent(records, source);
  assert.equal(
    event.Records.map((r) => r.kinesis.sequenceNumber),
    ["1", "2", "3"],
  );
  assert.equal(toKinesisEvent([], source), { Records: [] });
});

test("the stream ARN is kinesis-mock's", () => {
  assert.is(streamArn("us-east-1", "s"), "arn:aws:kinesis:us-east-1:000000000000:stream/s");
});

test("the context counts down to the deadline and never below zero", () => {
  let now = 1_000;
  const context = lambdaContext({
    functionName: "f",
    region: "us-east-1",
    requestId: "1b2c-3d",
    deadline: 61_000,
    now: () => now,
  });
  assert.is(context.getRemainingTimeInMillis(), 60_000);
  now = 60_500;
  assert.is(context.getRemainingTimeInMillis(), 500);
  now = 70_000;
  assert.is(context.getRemainingTimeInMillis(), 0);
  assert.is(context.invokedFunctionArn, "arn:aws:lambda:us-east-1:000000000000:function:f");
  assert.is(context.awsRequestId, "1b2c-3d");
});

test.run();
