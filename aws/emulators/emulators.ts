/**
 * AWS emulators on loopback, as child processes: kinesis-mock (Kinesis) and
 * dynalite (DynamoDB), started side by side with a client for each. Used by
 * the tests, `make local`, the Terraform emulator test and the benchmarks,
 * so it is strict about three things:
 * - ready means ready: a start resolves only after a real API call succeeded;
 * - failures are explicit: a taken port, an early exit or a slow start throws
 *   an error naming the emulator, its port and the tail of its output;
 * - nothing outlives its owner: `stop()` waits for the exit, a process 'exit'
 *   hook kills what is left, and each child also exits by itself when its
 *   stdin pipe closes (the parent died, even by SIGKILL).
 *
 * `dynalite.ts` and `kinesis_mock.ts` say what each emulator is (script,
 * settings, probe); `process.ts` spawns, probes and stops the process.
 *
 * @module
 */

import { resolve } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { dynamoClient, kinesisClient } from "../clients.ts";
import { startDynalite } from "./dynalite.ts";
import { startKinesisMock } from "./kinesis_mock.ts";
import type { Emulator } from "./process.ts";

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
    startKinesisMock({
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
