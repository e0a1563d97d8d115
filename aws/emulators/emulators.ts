/**
 * AWS emulators on loopback, as child processes: dynalite (DynamoDB) and
 * kinesis-mock (Kinesis, npm package `kinesis-local`).
 *
 * Used by the tests, `make local`, the Terraform emulator test and the
 * benchmarks, so it is strict about three things:
 * - ready means ready: `start*` resolves only after a real API call succeeded;
 * - failures are explicit: a taken port, an early exit or a slow start throws
 *   an error naming the emulator, its port and the tail of its output;
 * - nothing outlives its owner: `stop()` waits for the exit, a process 'exit'
 *   hook kills what is left, and each child also exits by itself when its
 *   stdin pipe closes (the parent died, even by SIGKILL).
 *
 * This file says what each emulator is (script, settings, probe) and checks
 * its ports; `emulator_process.ts` spawns, probes and stops the process.
 */
import { once } from "node:events";
import { createRequire } from "node:module";
import net from "node:net";
import { dirname, join } from "node:path";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { ListStreamsCommand } from "@aws-sdk/client-kinesis";
import { dynamoClient, kinesisClient } from "../clients.ts";
import { type Emulator, type EmulatorOptions, HOST, launch } from "./process.ts";

export type { Emulator, EmulatorOptions } from "./process.ts";

const require = createRequire(import.meta.url);

/** Asks the OS for a port that is free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, HOST);
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") throw new Error("freePort: no TCP address");
  return address.port;
}

/**
 * Throws `port P is in use: …` unless `port` can be bound on 127.0.0.1: an
 * emulator would otherwise die with a less obvious message, or (worse) the
 * probe would reach a stranger already listening there.
 */
export async function assertPortFree(port: number): Promise<void> {
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ port, host: HOST, exclusive: true }, resolve);
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`port ${port} is in use: ${reason}`);
  }
  server.close();
  await once(server, "close");
}

/** DynamoDB on loopback; in memory, or persisted in LevelDB under `dataDir`. */
export async function startDynalite(
  opts: EmulatorOptions & { dataDir?: string } = {},
): Promise<Emulator> {
  const port = opts.port ?? (await freePort());
  await assertPortFree(port);
  const args = [require.resolve("dynalite/cli.js"), "--port", `${port}`, "--host", HOST];
  // Tables become ACTIVE at once instead of after 500 ms.
  args.push("--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0");
  if (opts.dataDir !== undefined) args.push("--path", opts.dataDir);
  const endpoint = `http://${HOST}:${port}`;
  return launch({
    name: "dynalite",
    port,
    args,
    env: process.env,
    opts,
    probe: async () => {
      const client = dynamoClient(endpoint, { maxAttempts: 1, requestTimeoutMs: 2_000 });
      try {
        await client.send(new ListTablesCommand({}));
      } finally {
        client.destroy();
      }
    },
  });
}

/**
 * Kinesis on loopback (kinesis-mock, in memory). Streams start with no delay
 * between CREATING and ACTIVE. `env` adds or overrides kinesis-mock settings,
 * e.g. `INITIALIZE_STREAMS: "oops-events:2"` or `SHARD_LIMIT`.
 */
export async function startKinesis(
  opts: EmulatorOptions & { tlsPort?: number; env?: Record<string, string> } = {},
): Promise<Emulator> {
  const port = opts.port ?? (await freePort());
  await assertPortFree(port);
  // kinesis-mock always serves HTTPS too; give it a port nobody will miss.
  let tlsPort = opts.tlsPort ?? (await freePort());
  while (tlsPort === port) tlsPort = await freePort();
  await assertPortFree(tlsPort);
  const pkg = dirname(require.resolve("kinesis-local/package.json"));
  const endpoint = `http://${HOST}:${port}`;
  return launch({
    name: "kinesis-mock",
    port,
    args: [join(pkg, "main.js")],
    // kinesis-mock hard-codes 0.0.0.0; the preload pins it to loopback.
    loopbackOnly: true,
    env: {
      ...process.env,
      KINESIS_MOCK_PLAIN_PORT: `${port}`,
      KINESIS_MOCK_TLS_PORT: `${tlsPort}`,
      KINESIS_MOCK_CERT_PATH: join(pkg, "server.json"),
      CREATE_STREAM_DURATION: "0ms",
      DELETE_STREAM_DURATION: "0ms",
      UPDATE_SHARD_COUNT_DURATION: "0ms",
      UPDATE_STREAM_MODE_DURATION: "0ms",
      MERGE_SHARDS_DURATION: "0ms",
      SPLIT_SHARD_DURATION: "0ms",
      REGISTER_STREAM_CONSUMER_DURATION: "0ms",
      DEREGISTER_STREAM_CONSUMER_DURATION: "0ms",
      START_STREAM_ENCRYPTION_DURATION: "0ms",
      STOP_STREAM_ENCRYPTION_DURATION: "0ms",
      LOG_LEVEL: "WARN",
      SHOULD_PERSIST_DATA: "false",
      ...opts.env,
    },
    opts,
    probe: async () => {
      const client = kinesisClient(endpoint, { maxAttempts: 1, requestTimeoutMs: 2_000 });
      try {
        await client.send(new ListStreamsCommand({}));
      } finally {
        client.destroy();
      }
    },
  });
}
