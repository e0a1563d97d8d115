/**
 * The streams and the table, created in an emulator as Terraform creates them
 * on AWS (names and shapes from `names.ts`), and ready: every `create*`
 * resolves only once its resource is ACTIVE, because both emulators answer
 * the create call before the resource accepts data.
 *
 * @module
 */

import { setTimeout as sleep } from "node:timers/promises";
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException as TableInUse,
} from "@aws-sdk/client-dynamodb";
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ResourceInUseException as StreamInUse,
} from "@aws-sdk/client-kinesis";
import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  HeadBucketCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { NAMES, type Names } from "./names.ts";

/** How long a resource may take to become ACTIVE (dynalite under load was seen to need seconds). */
const ACTIVE_WITHIN_MS = 10_000;

/** Whether an existing resource of that name is kept (a persisted stack) or an error (a test's fresh table). */
export interface CreateOptions {
  readonly keepExisting?: boolean;
}

/** Polls `status` until it says ACTIVE; throws after {@link ACTIVE_WITHIN_MS}. */
async function untilActive(what: string, status: () => Promise<string | undefined>) {
  const deadline = Date.now() + ACTIVE_WITHIN_MS;
  for (;;) {
    const now = await status();
    if (now === "ACTIVE") return;
    if (Date.now() > deadline) throw new Error(`${what} still ${now} after ${ACTIVE_WITHIN_MS} ms`);
    await sleep(10);
  }
}

function unless(keepExisting: boolean, kind: abstract new (...args: never[]) => Error) {
  return (error: unknown) => {
    if (!(keepExisting && error instanceof kind)) throw error;
  };
}

/** A table keyed like the truck table (`vin` (S) hash key only), on demand. */
export async function createTable(
  dynamo: DynamoDBClient,
  name: string,
  { keepExisting = false }: CreateOptions = {},
): Promise<void> {
  const { name: key, type } = NAMES.hashKey;
  await dynamo
    .send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: key, AttributeType: type }],
        KeySchema: [{ AttributeName: key, KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    )
    .catch(unless(keepExisting, TableInUse));
  await untilActive(`table ${name}`, async () => {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: name }));
    return Table?.TableStatus;
  });
}

/** A provisioned stream of `shards` shards. */
export async function createStream(
  kinesis: KinesisClient,
  name: string,
  shards = 1,
  { keepExisting = false }: CreateOptions = {},
): Promise<void> {
  await kinesis
    .send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }))
    .catch(unless(keepExisting, StreamInUse));
  await untilActive(`stream ${name}`, async () => {
    const { StreamDescriptionSummary } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    return StreamDescriptionSummary?.StreamStatus;
  });
}

/** A bucket, in the client's region. */
export async function createBucket(
  s3: S3Client,
  name: string,
  { keepExisting = false }: CreateOptions = {},
): Promise<void> {
  await s3
    .send(new CreateBucketCommand({ Bucket: name }))
    .catch(unless(keepExisting, BucketAlreadyOwnedByYou))
    .catch(unless(keepExisting, BucketAlreadyExists));
  await s3.send(new HeadBucketCommand({ Bucket: name }));
}

/** What the local stack runs on: a client for each emulator, and the archive's bucket if there is one. */
export interface Clients {
  readonly kinesis: KinesisClient;
  readonly dynamo: DynamoDBClient;
  readonly archive?: { readonly s3: S3Client; readonly bucket: string } | undefined;
}

/** Both streams, the table and the archive's bucket, as Terraform would; what already exists is kept. */
export async function createResources(clients: Clients, names: Names = NAMES): Promise<void> {
  const keep = { keepExisting: true };
  const { kinesis, dynamo, archive } = clients;
  await Promise.all([
    createStream(kinesis, names.stream, names.streamShards, keep),
    createStream(kinesis, names.rejectsStream, names.rejectsShards, keep),
    createTable(dynamo, names.table, keep),
    archive === undefined ? undefined : createBucket(archive.s3, archive.bucket, keep),
  ]);
}
