/**
 * The local stack's data plane: both emulators on loopback and, in them, the
 * streams and the table that Terraform creates on AWS (names from
 * `resources.ts`). Shared by `make local`, the chapter test and the
 * measurements, so all three run exactly the same stack.
 *
 * @module
 */

import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException as TableInUse,
} from "@aws-sdk/client-dynamodb";
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ResourceInUseException as StreamInUse,
} from "@aws-sdk/client-kinesis";
import { dynamoClient, kinesisClient } from "../clients.ts";
import { RESOURCES, type Resources } from "../names.ts";
import { type Emulator, startDynalite, startKinesis } from "./emulators.ts";

/** Both emulators, with a client for each. */
export interface Emulators {
  readonly kinesis: Emulator;
  readonly dynalite: Emulator;
  readonly kinesisClient: KinesisClient;
  readonly dynamoClient: DynamoDBClient;
  /** Stops both emulators (and destroys the clients); idempotent. */
  stop(): Promise<void>;
}

export interface EmulatorPorts {
  /** Free ports when omitted (tests); `make local` passes fixed ones. */
  readonly kinesisPort?: number;
  readonly dynamodbPort?: number;
  /** Lines the emulators print, tagged with their name. */
  readonly log?: (name: string, line: string) => void;
  /**
   * Keep the data under this directory across runs (`dynamodb/`, `kinesis/`)
   * instead of in memory. kinesis-mock writes its file every
   * {@link KINESIS_PERSIST_MS}; stop it later than that after the last put.
   */
  readonly persistDir?: string;
}

/** How often a persisting kinesis-mock saves its streams. */
export const KINESIS_PERSIST_MS = 1_000;

/** kinesis-mock's settings for persisting under `dir`. */
function kinesisPersistence(dir: string | undefined): Record<string, string> {
  if (dir === undefined) return {};
  return {
    SHOULD_PERSIST_DATA: "true",
    LOAD_DATA_IF_EXISTS: "true",
    PERSIST_PATH: resolve(dir, "kinesis"),
    PERSIST_INTERVAL: `${KINESIS_PERSIST_MS}ms`,
  };
}

/**
 * Starts kinesis-mock and dynalite side by side. If one fails, the
 * other is stopped before the error is thrown: nothing is left running.
 */
export async function startEmulators(ports: EmulatorPorts = {}): Promise<Emulators> {
  const log = ports.log;
  const started = await Promise.allSettled([
    startKinesis({
      port: ports.kinesisPort,
      log: log && ((line) => log("kinesis-mock", line)),
      env: kinesisPersistence(ports.persistDir),
    }),
    startDynalite({
      port: ports.dynamodbPort,
      log: log && ((line) => log("dynalite", line)),
      ...(ports.persistDir === undefined ? {} : { dataDir: resolve(ports.persistDir, "dynamodb") }),
    }),
  ]);
  const [kinesis, dynalite] = started;
  if (kinesis.status === "rejected" || dynalite.status === "rejected") {
    await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value.stop() : undefined)));
    const reasons = started.flatMap((s) => (s.status === "rejected" ? [String(s.reason)] : []));
    throw new Error(reasons.join("\n"));
  }
  const clients = {
    kinesisClient: kinesisClient(kinesis.value.endpoint),
    dynamoClient: dynamoClient(dynalite.value.endpoint),
  };
  let stopped: Promise<void> | undefined;
  return {
    kinesis: kinesis.value,
    dynalite: dynalite.value,
    ...clients,
    stop: () => {
      stopped ??= (async () => {
        clients.kinesisClient.destroy();
        clients.dynamoClient.destroy();
        await Promise.all([kinesis.value.stop(), dynalite.value.stop()]);
      })();
      return stopped;
    },
  };
}

/**
 * Creates both streams and the table, as Terraform would; what already exists
 * is kept (so a persisted emulator state survives). Resolves once the streams
 * are ACTIVE.
 */
export async function createResources(
  kinesis: KinesisClient,
  dynamo: DynamoDBClient,
  resources: Resources = RESOURCES,
): Promise<void> {
  const streams: [string, number][] = [
    [resources.stream, resources.streamShards],
    [resources.rejectsStream, resources.rejectsShards],
  ];
  const { name, type } = resources.hashKey;
  await Promise.all([
    ...streams.map(async ([StreamName, ShardCount]) => {
      await kinesis
        .send(new CreateStreamCommand({ StreamName, ShardCount }))
        .catch(ignore(StreamInUse));
      await untilActive(kinesis, StreamName);
    }),
    dynamo
      .send(
        new CreateTableCommand({
          TableName: resources.table,
          AttributeDefinitions: [{ AttributeName: name, AttributeType: type }],
          KeySchema: [{ AttributeName: name, KeyType: "HASH" }],
          BillingMode: "PAY_PER_REQUEST",
        }),
      )
      .catch(ignore(TableInUse)),
  ]);
}

function ignore(kind: abstract new (...args: never[]) => Error) {
  return (err: unknown) => {
    if (!(err instanceof kind)) throw err;
  };
}

async function untilActive(kinesis: KinesisClient, stream: string): Promise<void> {
  for (let tries = 0; ; tries++) {
    const { StreamDescriptionSummary: summary } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: stream }),
    );
    if (summary?.StreamStatus === "ACTIVE") return;
    if (tries > 200) throw new Error(`stream ${stream} still ${summary?.StreamStatus} after 10 s`);
    await sleep(50);
  }
}
