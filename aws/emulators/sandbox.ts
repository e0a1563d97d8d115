/**
 * A sandbox for end-to-end tests of the bundle: dynalite with the truck
 * table, optionally kinesis-mock with the rejects stream (both named as
 * Terraform names them), and the environment the SDK and the handler read,
 * in which the bundle is loaded as new containers. `stop()` stops what it
 * started and restores the environment, so each test file owns its sandbox.
 *
 * @module
 */

import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { dynamoClient, kinesisClient, LOCAL_CREDENTIALS } from "../clients.ts";
import { type Restore, setEnv } from "../env.ts";
import { assertBundleFresh, type Handler, loadBundle } from "../lambda/bundle.ts";
import { NAMES } from "../names.ts";
import { createStream, createTable } from "../resources.ts";
import { startDynalite } from "./dynalite.ts";
import { startKinesisMock } from "./kinesis_mock.ts";
import type { Emulator } from "./process.ts";

export interface Sandbox {
  /** A client of dynalite itself (never through a fault proxy), for setting up and checking. */
  readonly dynamo: DynamoDBClient;
  readonly dynamoEndpoint: string;
  /** A client of kinesis-mock, when the sandbox has a rejects stream. */
  readonly kinesis: KinesisClient | undefined;
  /**
   * A new container: the bundle loaded with the sandbox's environment plus
   * `env` (which stays set until `stop()`: the SDK reads endpoints lazily).
   */
  load(env?: Readonly<Record<string, string>>): Promise<Handler>;
  stop(): Promise<void>;
}

/** Starts the emulators and creates the table (and the rejects stream with `rejects`). */
export async function startSandbox({ rejects = false } = {}): Promise<Sandbox> {
  assertBundleFresh();
  const emulators: Emulator[] = [];
  const restores: Restore[] = [];
  const set = (env: Readonly<Record<string, string>>) => restores.push(setEnv(env));
  const stop = async () => {
    for (const restore of restores.reverse()) restore();
    dynamo?.destroy();
    kinesis?.destroy();
    await Promise.all(emulators.map((e) => e.stop()));
  };
  let dynamo: DynamoDBClient | undefined;
  let kinesis: KinesisClient | undefined;
  try {
    const dynalite = await startDynalite();
    emulators.push(dynalite);
    dynamo = dynamoClient(dynalite.endpoint);
    await createTable(dynamo, NAMES.table);
    set({
      AWS_REGION: NAMES.region,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
      TABLE_NAME: NAMES.table,
      REJECTS_STREAM_NAME: "",
    });
    if (rejects) {
      const mock = await startKinesisMock();
      emulators.push(mock);
      kinesis = kinesisClient(mock.endpoint);
      await createStream(kinesis, NAMES.rejectsStream);
      set({ AWS_ENDPOINT_URL_KINESIS: mock.endpoint, REJECTS_STREAM_NAME: NAMES.rejectsStream });
    }
    return {
      dynamo,
      dynamoEndpoint: dynalite.endpoint,
      kinesis,
      load: (env = {}) => {
        set(env);
        return loadBundle();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
