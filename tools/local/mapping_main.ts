/**
 * The local event source mapping as a process of its own, so that it can be
 * stopped, killed (even with SIGKILL) and restarted independently of the
 * emulators — which is how the tests prove that a restart loses nothing.
 *
 *   node --import tsx tools/local/mapping_main.ts --help
 *
 * Logs JSON lines on stdout: the handler's line per batch, a `mapping
 * progress` line per interval, and `mapping ready` once every shard is being
 * polled. SIGINT or SIGTERM: finish the batches in flight, save the
 * checkpoints, exit 0; a second signal exits at once.
 *
 * @module
 */

import { kinesisClient } from "../../aws/clients.ts";
import { localInvoker, setFunctionEnvironment } from "../../aws/lambda/invoke.ts";
import { startMapping } from "../../aws/lambda/mapping.ts";
import { functionEnvironment, parseMappingArgs, USAGE } from "./mapping_options.ts";
import { progressLine, READY } from "./progress.ts";

const log = (fields: Record<string, unknown>) =>
  console.log(JSON.stringify({ level: "info", at: new Date().toISOString(), ...fields }));

async function main(): Promise<void> {
  if (process.argv.includes("--help")) {
    console.log(USAGE);
    return;
  }
  const config = parseMappingArgs(process.argv.slice(2), process.env);
  setFunctionEnvironment(functionEnvironment(config));

  const stop = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (++signals > 1) process.exit(1);
    log({ msg: "stopping: finishing the batches in flight", signal });
    stop.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const kinesis = kinesisClient(config.kinesisEndpoint);
  const mapping = await startMapping({
    kinesis,
    stream: config.stream,
    region: config.region,
    functionName: config.functionName,
    invoke: localInvoker({
      name: config.functionName,
      region: config.region,
      timeoutMs: config.timeoutMs,
      bundle: config.bundle,
    }),
    stateDir: config.stateDir,
    policy: config.policy,
    pollMs: config.pollMs,
    signal: stop.signal,
    log,
  });

  let mark = { records: 0, at: Date.now() };
  const progress =
    config.progressMs > 0
      ? setInterval(() => {
          const now = Date.now();
          const line = progressLine(mapping.stats, mark, now);
          if (line !== undefined) log(line);
          mark = { records: mapping.stats.records, at: now };
        }, config.progressMs)
      : undefined;
  waitForShards(mapping.stats, stop.signal).then((shards) => {
    if (shards !== undefined) log({ msg: READY, stream: config.stream, shards });
  });

  await mapping.done;
  clearInterval(progress);
  kinesis.destroy();
  log({ msg: "stopped", records: mapping.stats.records, checkpoints: config.stateDir });
  process.exit(0);
}

/** The shard list, once discovery has listed it. */
async function waitForShards(stats: { shards: string[] }, signal: AbortSignal) {
  while (stats.shards.length === 0 && !signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return signal.aborted ? undefined : stats.shards;
}

main().catch((err: unknown) => {
  if ((err as Error).name === "AbortError") process.exit(0); // stopped while waiting for the stream
  console.error(`mapping: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
