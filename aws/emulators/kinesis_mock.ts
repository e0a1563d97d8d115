/**
 * kinesis-mock (npm package `kinesis-local`), Kinesis on loopback, as a
 * supervised child process, in memory or persisted (settings in `env`).
 *
 * @module
 */

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ListStreamsCommand } from "@aws-sdk/client-kinesis";
import { kinesisClient } from "../clients.ts";
import { assertPortFree, emulatorPort, freePort } from "./ports.ts";
import { type Emulator, type EmulatorOptions, launch, PROBE, probe } from "./process.ts";

const require = createRequire(import.meta.url);

/**
 * Kinesis on loopback (kinesis-mock, in memory). Streams start with no delay
 * between CREATING and ACTIVE. `env` adds or overrides kinesis-mock settings,
 * e.g. `INITIALIZE_STREAMS: "oops-events:2"` or `SHARD_LIMIT`.
 */
export async function startKinesisMock(
  opts: EmulatorOptions & { tlsPort?: number; env?: Record<string, string> } = {},
): Promise<Emulator> {
  const { port, endpoint } = await emulatorPort(opts.port);
  // kinesis-mock always serves HTTPS too; give it a port nobody will miss.
  let tlsPort = opts.tlsPort ?? (await freePort());
  while (tlsPort === port) tlsPort = await freePort();
  await assertPortFree(tlsPort);
  const pkg = dirname(require.resolve("kinesis-local/package.json"));
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
    probe: () => probe(kinesisClient(endpoint, PROBE), new ListStreamsCommand({})),
  });
}
