/**
 * What the emulator test checks with the AWS SDK, not Terraform: the names
 * and records it uses, the streams and table after apply, the records put
 * and read back, the row and the reject the handler leaves, and nothing at
 * all after destroy. Each check fails through uvu's assertions.
 *
 * @module
 */

import { setTimeout as sleep } from "node:timers/promises";
import {
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListStreamsCommand,
  PutRecordsCommand,
} from "@aws-sdk/client-kinesis";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import * as assert from "uvu/assert";
import { NAMES } from "../../aws/names.ts";
import { tailStream } from "../../aws/stream.ts";
import type { OopsEvent } from "../../core/mod.ts";
import { moves } from "../../core/testing/events.ts";

/** What Terraform must have named the resources: the one list of default names. */
export const { stream: STREAM, rejectsStream: REJECTS, table: TABLE } = NAMES;

/** The chapter's TRUCK_ARRIVES event, exactly as on the wire. */
export const VIN = "1HGCM82633A004352";
const ARRIVES: OopsEvent = moves(
  VIN,
  33207,
  "2018-01-12T12:42:00Z",
  [51.522834, -0.081813],
  "TRUCK_ARRIVES",
);
/** The same truck with a negative odometer: rejected, never written. */
const BAD = JSON.stringify({ ...ARRIVES, vehicle: { vin: VIN, mileage: -3 } });

/** The row the handler must leave: the design card's attributes, nothing else. */
const ROW = {
  vin: VIN,
  mileage: 33207,
  "location-timestamp": "2018-01-12T12:42:00.000Z",
  latitude: 51.522834,
  longitude: -0.081813,
};

/** Streams and table as the SDK (not Terraform) sees them after apply. */
export async function checkCreated(kinesis: KinesisClient, dynamo: DynamoDBClient): Promise<void> {
  for (const [name, shards] of [
    [STREAM, 2],
    [REJECTS, 1],
  ] as const) {
    const { StreamDescriptionSummary: s } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    assert.equal(
      {
        status: s?.StreamStatus,
        openShards: s?.OpenShardCount,
        mode: s?.StreamModeDetails?.StreamMode,
        encryption: s?.EncryptionType,
        key: s?.KeyId,
        retentionHours: s?.RetentionPeriodHours,
      },
      {
        status: "ACTIVE",
        openShards: shards,
        mode: "PROVISIONED",
        encryption: "KMS",
        key: "alias/aws/kinesis",
        retentionHours: 24,
      },
      `stream ${name}`,
    );
  }
  const { Table: t } = await dynamo.send(new DescribeTableCommand({ TableName: TABLE }));
  assert.equal(
    {
      status: t?.TableStatus,
      key: t?.KeySchema,
      attributes: t?.AttributeDefinitions,
      billing: t?.BillingModeSummary?.BillingMode,
    },
    {
      status: "ACTIVE",
      key: [{ AttributeName: "vin", KeyType: "HASH" }],
      attributes: [{ AttributeName: "vin", AttributeType: "S" }],
      billing: "PAY_PER_REQUEST",
    },
    `table ${TABLE}`,
  );
}

/**
 * Puts the good and the bad record on the event stream (one partition key,
 * so one shard) and reads them back as the event source mapping would.
 */
export async function putAndReadBack(kinesis: KinesisClient) {
  const payloads = [JSON.stringify(ARRIVES), BAD];
  const put = await kinesis.send(
    new PutRecordsCommand({
      StreamName: STREAM,
      Records: payloads.map((p) => ({ Data: Buffer.from(p, "utf8"), PartitionKey: VIN })),
    }),
  );
  assert.is(put.FailedRecordCount ?? 0, 0, "PutRecords failures on the event stream");
  const shardId = put.Records?.[0]?.ShardId;
  assert.ok(shardId, "PutRecords named no shard");
  assert.equal(
    put.Records?.map((r) => r.ShardId),
    [shardId, shardId],
  );
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({
      StreamName: STREAM,
      ShardId: shardId,
      ShardIteratorType: "TRIM_HORIZON",
    }),
  );
  const { Records = [] } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
  assert.equal(
    Records.map((r) => Buffer.from(r.Data ?? []).toString("utf8")),
    payloads,
    "records read back from the event stream",
  );
  assert.equal(
    Records.map((r) => r.SequenceNumber),
    put.Records?.map((r) => r.SequenceNumber),
  );
  return { records: Records, shardId };
}

/** What arrived on the rejects stream, waiting up to `ms` for `count` records. */
async function readRejects(kinesis: KinesisClient, count: number, ms = 10_000): Promise<string[]> {
  const rejects = await tailStream(kinesis, REJECTS);
  const seen: string[] = [];
  const until = performance.now() + ms;
  for (;;) {
    seen.push(...(await rejects.next()).map((record) => record.text));
    if (seen.length >= count || performance.now() > until) return seen;
    await sleep(100);
  }
}

/** The one row the handler wrote: the design card's attributes, values and types. */
export async function checkRow(dynamo: DynamoDBClient): Promise<void> {
  const { Item } = await dynamo.send(
    new GetItemCommand({ TableName: TABLE, Key: { vin: { S: VIN } }, ConsistentRead: true }),
  );
  assert.ok(Item, `no row for ${VIN} in ${TABLE}`);
  assert.equal(unmarshall(Item), ROW, "the row the handler wrote");
  assert.equal(
    Object.fromEntries(Object.entries(Item).map(([name, value]) => [name, Object.keys(value)])),
    {
      vin: ["S"],
      mileage: ["N"],
      "location-timestamp": ["S"],
      latitude: ["N"],
      longitude: ["N"],
    },
    "attribute types",
  );
  const { Count } = await dynamo.send(new ScanCommand({ TableName: TABLE, Select: "COUNT" }));
  assert.is(Count, 1, "rows in the table");
}

/** The bad record, alone on the rejects stream, in its envelope with the reason. */
export async function checkRejected(
  kinesis: KinesisClient,
  expected: {
    sequenceNumber: string | undefined;
    shardId: string;
    eventSourceARN: string | undefined;
  },
): Promise<void> {
  const rejected = await readRejects(kinesis, 1);
  assert.is(rejected.length, 1, "records on the rejects stream");
  const envelope = JSON.parse(rejected[0] as string) as Record<string, unknown>;
  assert.equal(
    {
      data: Buffer.from(String(envelope.data), "base64").toString("utf8"),
      path: envelope.path,
      reason: envelope.reason,
      sequenceNumber: envelope.sequenceNumber,
      shardId: envelope.shardId,
      eventSourceARN: envelope.eventSourceARN,
    },
    {
      data: BAD,
      path: "vehicle.mileage",
      reason: "vehicle.mileage: expected a non-negative integer, got -3",
      sequenceNumber: expected.sequenceNumber,
      shardId: expected.shardId,
      eventSourceARN: expected.eventSourceARN,
    },
    "the rejects stream envelope",
  );
}

/** After destroy: nothing at all in either (fresh) emulator. */
export async function checkGone(kinesis: KinesisClient, dynamo: DynamoDBClient): Promise<void> {
  const { StreamNames = [] } = await kinesis.send(new ListStreamsCommand({}));
  const { TableNames = [] } = await dynamo.send(new ListTablesCommand({}));
  assert.equal(StreamNames, [], "streams left after destroy");
  assert.equal(TableNames, [], "tables left after destroy");
}
