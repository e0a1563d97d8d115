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
 * checkpoints, exit 0; a second signal exits at once. The table the function
 * writes follows the state directory's `function.json` (see
 * `aws/lambda/configuration.ts`), read at start and watched.
 *
 * @module
 */

import { kinesisClient } from "../../aws/clients.ts";
import {
  configurationPath,
  type FunctionConfiguration,
  markApplied,
  readConfiguration,
  watchConfiguration,
} from "../../aws/lambda/configuration.ts";
import { type Invoker, localInvoker, setFunctionEnvironment } from "../../aws/lambda/invoke.ts";
import { type MappingStats, startMapping } from "../../aws/lambda/mapping.ts";
import {
  functionEnvironment,
  type MappingConfig,
  parseMappingArgs,
  USAGE,
} from "./mapping_options.ts";
import { progressLine, READY } from "./progress.ts";

const log = (fields: Record<string, unknown>) =>
  console.log(JSON.stringify({ level: "info", at: new Date().toISOString(), ...fields }));

/**
 * The table to write: the state directory's function configuration when
 * there is one (a rebuild switched it), else `--table`. Applied at once, so
 * the environment the bundle reads at its first import is the right one.
 */
async function startConfiguration(config: MappingConfig): Promise<FunctionConfiguration> {
  const configured = await readConfiguration(configurationPath(config.stateDir));
  const current = configured ?? { version: 0, tableName: config.table };
  setFunctionEnvironment({ ...functionEnvironment(config), TABLE_NAME: current.tableName });
  if (configured !== undefined) await markApplied(config.stateDir, current);
  return current;
}

/** A changed configuration: a new container for the next invocations, then the acknowledgement. */
function followConfiguration(
  config: MappingConfig,
  current: FunctionConfiguration,
  invoker: Invoker,
  signal: AbortSignal,
) {
  return watchConfiguration(
    config.stateDir,
    current,
    async (next) => {
      setFunctionEnvironment({ ...functionEnvironment(config), TABLE_NAME: next.tableName });
      invoker.newContainer();
      await markApplied(config.stateDir, next);
      log({ msg: "function configuration applied", version: next.version, table: next.tableName });
    },
    { signal },
  );
}

/** A progress line per interval, while records flow. */
function reportProgress(stats: MappingStats, progressMs: number): () => void {
  if (progressMs <= 0) return () => {};
  let mark = { records: 0, at: Date.now() };
  const timer = setInterval(() => {
    const now = Date.now();
    const line = progressLine(stats, mark, now);
    if (line !== undefined) log(line);
    mark = { records: stats.records, at: now };
  }, progressMs);
  return () => clearInterval(timer);
}

async function main(): Promise<void> {
  if (process.argv.includes("--help")) {
    console.log(USAGE);
    return;
  }
  const config = parseMappingArgs(process.argv.slice(2), process.env);
  const current = await startConfiguration(config);
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
  const { functionName, region, timeoutMs, bundle } = config;
  const invoke = localInvoker({ name: functionName, region, timeoutMs, bundle });
  const mapping = await startMapping({
    kinesis,
    stream: config.stream,
    region,
    functionName,
    invoke,
    stateDir: config.stateDir,
    policy: config.policy,
    pollMs: config.pollMs,
    signal: stop.signal,
    log,
  });
  const following = followConfiguration(config, current, invoke, stop.signal);
  const stopProgress = reportProgress(mapping.stats, config.progressMs);
  log({ msg: READY, stream: config.stream, shards: mapping.stats.shards });

  await Promise.all([mapping.done, following]);
  stopProgress();
  kinesis.destroy();
  log({ msg: "stopped", records: mapping.stats.records, checkpoints: config.stateDir });
  process.exit(0);
}

main().catch((err: unknown) => {
  if ((err as Error).name === "AbortError") process.exit(0); // stopped while waiting for the stream
  console.error(`mapping: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
