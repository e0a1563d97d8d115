/**
 * AWS emulators on loopback, as child processes: kinesis-mock (Kinesis),
 * dynalite (DynamoDB) and, for the archive, s3rver (S3), started side by side
 * with a client for each. Used by
 * the tests, `make local`, the Terraform emulator test and the benchmarks,
 * so it is strict about three things:
 * - ready means ready: a start resolves only after a real API call succeeded;
 * - failures are explicit: a taken port, an early exit or a slow start throws
 *   an error naming the emulator, its port and the tail of its output;
 * - nothing outlives its owner: `stop()` waits for the exit, a process 'exit'
 *   hook kills what is left, and each child also exits by itself when its
 *   stdin pipe closes (the parent died, even by SIGKILL).
 *
 * `dynalite.ts`, `kinesis_mock.ts` and `s3rver.ts` say what each emulator
 * is (script, settings, probe); `process.ts` spawns, probes and stops the
 * process.
 *
 * @module
 */

import { resolve } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { S3Client } from "@aws-sdk/client-s3";
import { dynamoClient, kinesisClient, s3Client } from "../clients.ts";
import { startDynalite } from "./dynalite.ts";
import { startKinesisMock } from "./kinesis_mock.ts";
import type { Emulator } from "./process.ts";
import { startS3rver } from "./s3rver.ts";

/** The emulators, with a client for each; S3 only when asked for (the archive). */
export interface Emulators {
  readonly kinesis: Emulator;
  readonly dynalite: Emulator;
  readonly s3rver: Emulator | undefined;
  readonly kinesisClient: KinesisClient;
  readonly dynamoClient: DynamoDBClient;
  readonly s3Client: S3Client | undefined;
  /** Stops every emulator (and destroys the clients); idempotent. */
  stop(): Promise<void>;
}

export interface EmulatorPorts {
  /** Free ports when omitted (tests); `make local` passes fixed ones. */
  readonly kinesisPort?: number;
  readonly dynamodbPort?: number;
  /** Starts s3rver too, on this port (0: a free one). */
  readonly s3Port?: number;
  /** Lines the emulators print, tagged with their name. */
  readonly log?: (name: string, line: string) => void;
  /**
   * Keep the data under this directory across runs (`dynamodb/`, `kinesis/`,
   * `s3/`) instead of in memory. kinesis-mock writes its file every
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

/** Each emulator's start, with its options. */
function starts(ports: EmulatorPorts) {
  const log = (name: string) => ports.log && ((line: string) => ports.log?.(name, line));
  const dataDir = (name: string) =>
    ports.persistDir === undefined ? {} : { dataDir: resolve(ports.persistDir, name) };
  return [
    startKinesisMock({
      port: ports.kinesisPort,
      log: log("kinesis-mock"),
      env: kinesisPersistence(ports.persistDir),
    }),
    startDynalite({ port: ports.dynamodbPort, log: log("dynalite"), ...dataDir("dynamodb") }),
    ports.s3Port === undefined
      ? Promise.resolve(undefined)
      : startS3rver({ port: ports.s3Port || undefined, log: log("s3rver"), ...dataDir("s3") }),
  ] as const;
}

/**
 * Starts kinesis-mock, dynalite (and s3rver) side by side. If one fails, the
 * others are stopped before the error is thrown: nothing is left running.
 */
export async function startEmulators(ports: EmulatorPorts = {}): Promise<Emulators> {
  const started = await Promise.allSettled(starts(ports));
  const [kinesis, dynalite, s3rver] = started;
  if (
    kinesis.status === "rejected" ||
    dynalite.status === "rejected" ||
    s3rver.status === "rejected"
  ) {
    await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value?.stop() : undefined)));
    const reasons = started.flatMap((s) => (s.status === "rejected" ? [String(s.reason)] : []));
    throw new Error(reasons.join("\n"));
  }
  const clients = {
    kinesisClient: kinesisClient(kinesis.value.endpoint),
    dynamoClient: dynamoClient(dynalite.value.endpoint),
    s3Client: s3rver.value === undefined ? undefined : s3Client(s3rver.value.endpoint),
  };
  let stopped: Promise<void> | undefined;
  return {
    kinesis: kinesis.value,
    dynalite: dynalite.value,
    s3rver: s3rver.value,
    ...clients,
    stop: () => {
      stopped ??= (async () => {
        clients.kinesisClient.destroy();
        clients.dynamoClient.destroy();
        clients.s3Client?.destroy();
        await Promise.all([kinesis.value.stop(), dynalite.value.stop(), s3rver.value?.stop()]);
      })();
      return stopped;
    },
  };
}
