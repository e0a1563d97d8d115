/**
 * `make local`: the whole pipeline on this machine, no AWS account needed —
 * kinesis-mock and dynalite on 127.0.0.1, the streams and table Terraform
 * would create, the event source mapping (a child process) feeding the
 * handler bundle, the forward generator (a child process), the dashboard,
 * and the truck table live in the terminal. `.local/stack.json` tells
 * `make generate` / `make status` in other terminals where it all listens.
 *
 * Restart semantics. By default the emulators keep everything in memory, so
 * every run starts from an empty stream and table; checkpoints of the last
 * run are deleted at start, since they name records of a stream that no
 * longer exists. Within a run, the mapping keeps its checkpoints on disk:
 * kill it (`kill -9 <pid>` in the header) and it is restarted, resuming
 * without loss. `--persist` keeps streams, table and checkpoints in
 * `.local/` for the next run; `--fresh` deletes `.local/` first.
 *
 * Ctrl-C (or SIGTERM) stops every process it started, by PID, removes the
 * stack file and exits 0.
 *
 * @module
 */

import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { S3Client } from "@aws-sdk/client-s3";
import {
  type Emulators,
  KINESIS_PERSIST_MS,
  startEmulators,
} from "../../aws/emulators/emulators.ts";
import type { Emulator } from "../../aws/emulators/process.ts";
import { startArchiver } from "../../aws/firehose.ts";
import { BUNDLE } from "../../aws/lambda/bundle.ts";
import {
  configurationPath,
  type FunctionConfiguration,
  readConfiguration,
  watchConfiguration,
  writeConfiguration,
} from "../../aws/lambda/configuration.ts";
import { archiveBucket, LOCAL_ACCOUNT, NAMES as R } from "../../aws/names.ts";
import { createResources } from "../../aws/resources.ts";
import { ARCHIVE_PREFIX } from "../../core/archive.ts";
import { startDashboard } from "../dashboard/server.ts";
import { renderFigures, watchBatches } from "../figures.ts";
import { writeStack } from "../stack.ts";
import { ROOT } from "./child.ts";
import { startLiveView } from "./live.ts";
import { type LocalOptions, parseLocalArgs, portWishes, USAGE } from "./local_options.ts";
import { preflight, prepareState } from "./prepare.ts";
import { startGenerator, superviseMapping } from "./processes.ts";
import { type Progress, parseProgress } from "./progress.ts";

const say = (line: string) => process.stdout.write(`${line}\n`);
const endpoint = (port: number) => `http://127.0.0.1:${port}`;
/** `.local/stack.json`: where `make generate` and `make status` in other terminals find this stack. */
const stackPathOf = (stateDir: string) => join(stateDir, "stack.json");

/** Things to undo, most recent first; run once, on Ctrl-C or a failed start. */
const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
let stopping: Promise<void> | undefined;

/** Registers `run` to happen on shutdown, before everything registered earlier. */
const onShutdown = (what: string, run: () => Promise<unknown>) => cleanups.push({ what, run });

function shutdown(): Promise<void> {
  stopping ??= (async () => {
    for (const { what, run } of cleanups.reverse()) {
      await run().catch((err) => say(`  ! ${what}: ${(err as Error).message}`));
    }
  })();
  return stopping;
}

/** Where this run keeps its state and logs. */
interface Run {
  readonly options: LocalOptions;
  readonly stateDir: string;
  /** A writer of `.local/logs/<name>.log`, closed on shutdown. */
  readonly logTo: (name: string) => (line: string) => void;
  /** `.local/logs/<name>.log`, as a user would type it. */
  readonly logHint: (name: string) => string;
}

/** Checks what can be checked before anything starts, then readies the state directory. */
async function prepare(options: LocalOptions): Promise<Run> {
  const stateDir = resolve(ROOT, options.stateDir);
  const logDir = join(stateDir, "logs");
  say("make local: the OOPS pipeline on this machine (no AWS account needed)");
  const ports = portWishes(options);
  await preflight({ bundle: BUNDLE, stackPath: stackPathOf(stateDir), ports });
  const free = ports.map((p) => p.port ?? "-").join(", ");
  say(`  ✓ handler bundle ${relative(ROOT, BUNDLE)}; ports ${free} free`);
  await prepareState(stateDir, { fresh: options.fresh, persist: options.persist, root: ROOT });
  const logTo = (name: string) => {
    const file = createWriteStream(join(logDir, `${name}.log`), { flags: "w" });
    onShutdown(`closing ${name}.log`, () => new Promise((done) => file.end(done)));
    return (line: string) => file.write(`${line}\n`);
  };
  const logHint = (name: string) => `${relative(ROOT, logDir)}/${name}.log`;
  return { options, stateDir, logTo, logHint };
}

/**
 * The mapping, started at once: it boots (Node, tsx, the SDK) while the
 * emulators start, and waits for its stream. Its progress lines feed the header.
 */
function startMapping(run: Run) {
  const { options } = run;
  const log = run.logTo("mapping");
  const batches = watchBatches();
  let progress: Progress | undefined;
  const mapping = superviseMapping(
    {
      kinesisEndpoint: endpoint(options.kinesisPort),
      dynamodbEndpoint: endpoint(options.dynamodbPort),
      stateDir: run.stateDir,
      region: options.region,
      progressMs: 500,
    },
    {
      onLine: (line) => {
        log(line);
        batches.see(line);
        progress = parseProgress(line) ?? progress;
      },
      logHint: run.logHint("mapping"),
      readyTimeoutMs: 30_000,
    },
  );
  // Stops it if the start fails; on Ctrl-C the same (idempotent) stop runs before the emulators'.
  onShutdown("stopping the mapping", () => mapping.stop());
  return { mapping, progress: () => progress, figures: () => batches.figures() };
}

/** The emulators, and in them the streams, the table and the archive's bucket Terraform creates. */
type LocalData = Emulators & { s3Client: S3Client; s3rver: Emulator; archiveBucket: string };

async function startData(run: Run): Promise<LocalData> {
  const { options } = run;
  const names = ["kinesis-mock", "dynalite", "s3rver"] as const;
  const logs = Object.fromEntries(names.map((name) => [name, run.logTo(name)]));
  const state = options.persist ? `persisted in ${relative(ROOT, run.stateDir)}/` : "in memory";
  say(
    `  … starting kinesis-mock on :${options.kinesisPort}, dynalite on :${options.dynamodbPort} and s3rver on :${options.s3Port} (${state})`,
  );
  const started = await startEmulators({
    kinesisPort: options.kinesisPort,
    dynamodbPort: options.dynamodbPort,
    s3Port: options.s3Port,
    log: (name, line) => logs[name]?.(line),
    ...(options.persist ? { persistDir: run.stateDir } : {}),
  });
  const { s3Client, s3rver } = started;
  if (s3Client === undefined || s3rver === undefined) throw new Error("s3rver did not start");
  const emulators = { ...started, s3Client, s3rver };
  onShutdown("stopping the emulators", async () => {
    // A persisting kinesis-mock saves on a timer, not on exit: let it save the last puts.
    if (options.persist) await sleep(KINESIS_PERSIST_MS + 250);
    await emulators.stop();
    const pids = `kinesis-mock (pid ${emulators.kinesis.pid}), dynalite (pid ${emulators.dynalite.pid})`;
    say(`  ✓ stopped ${pids} and s3rver (pid ${emulators.s3rver.pid})`);
  });
  const ready = (e: Emulator) => `${e.name} ${e.readyMs} ms`;
  say(
    `  ✓ ready: ${[emulators.kinesis, emulators.dynalite, emulators.s3rver].map(ready).join(", ")}`,
  );
  const bucket = archiveBucket(LOCAL_ACCOUNT, options.region);
  await createResources({
    kinesis: emulators.kinesisClient,
    dynamo: emulators.dynamoClient,
    archive: { s3: emulators.s3Client, bucket },
  });
  say(
    `  ✓ stream ${R.stream} (${R.streamShards} shards), stream ${R.rejectsStream} (${R.rejectsShards}), table ${R.table} (hash key ${R.hashKey.name} ${R.hashKey.type}), bucket ${bucket}`,
  );
  return { ...emulators, archiveBucket: bucket };
}

/**
 * The archive: every record of the stream, gzipped into the bucket as
 * Firehose would, by a reader of its own (own position in `<state>/archiver`),
 * buffered for at most a second so that the archive lags the stream by about
 * that much.
 */
async function startArchive(run: Run, emulators: LocalData) {
  const stop = new AbortController();
  const log = run.logTo("archiver");
  const bucket = emulators.archiveBucket;
  const archiver = await startArchiver({
    kinesis: emulators.kinesisClient,
    s3: emulators.s3Client,
    stream: R.stream,
    bucket,
    deliveryStream: R.deliveryStream,
    region: run.options.region,
    stateDir: join(run.stateDir, "archiver"),
    bufferBytes: 5 * 1024 * 1024,
    bufferMs: 1_000,
    signal: stop.signal,
    log: (fields) => log(JSON.stringify(fields)),
  });
  onShutdown("stopping the archiver", async () => {
    stop.abort();
    await archiver.done;
  });
  const url = `s3://${bucket}/${ARCHIVE_PREFIX} at ${emulators.s3rver.endpoint}`;
  say(`  ✓ archiving ${R.stream} to ${url}, an object a second at most`);
  return { url, bucket, stats: archiver.stats };
}

/** The dashboard on its port, unless `--no-dashboard`. */
async function serveDashboard(run: Run, emulators: Emulators, table: string) {
  const port = run.options.dashboardPort;
  if (port === undefined) return undefined;
  const dashboard = await startDashboard({
    table,
    dynamo: emulators.dynamoClient,
    port,
    host: "127.0.0.1",
    refreshMs: 500,
    log: run.logTo("dashboard"),
  });
  onShutdown("closing the dashboard", () => dashboard.close());
  return dashboard;
}

/** Writes the stack file (again after a switch of tables). */
async function announce(
  run: Run,
  emulators: Emulators & { s3rver: Emulator },
  tables: { table: string; archiveBucket: string },
  dashboardUrl: string | undefined,
) {
  await writeStack(stackPathOf(run.stateDir), {
    pid: process.pid,
    region: run.options.region,
    kinesisEndpoint: emulators.kinesis.endpoint,
    dynamodbEndpoint: emulators.dynalite.endpoint,
    s3Endpoint: emulators.s3rver.endpoint,
    archiveBucket: tables.archiveBucket,
    stream: R.stream,
    rejectsStream: R.rejectsStream,
    table: tables.table,
    ...(dashboardUrl === undefined ? {} : { dashboardUrl }),
  });
}

/**
 * The function's configuration: a persisted run's, which a rebuild may have
 * switched to another table, else the default table. Written before the
 * mapping starts, which reads it.
 */
async function configureFunction(run: Run): Promise<FunctionConfiguration> {
  const path = configurationPath(run.stateDir);
  const kept = await readConfiguration(path);
  if (kept !== undefined) return kept;
  const first = { version: 1, tableName: R.table };
  await writeConfiguration(path, first);
  return first;
}

/**
 * Follows a switch of tables (`make rebuild` configures the function with
 * a new one): the view, the dashboard and the stack file, which the other
 * terminals' tools read, all move to it.
 */
function followSwitches(
  run: Run,
  current: FunctionConfiguration,
  onSwitch: (table: string) => Promise<void>,
) {
  const stop = new AbortController();
  const logSwitch = run.logTo("switches");
  const following = watchConfiguration(
    run.stateDir,
    current,
    async ({ tableName }) => {
      await onSwitch(tableName);
      logSwitch(`${new Date().toISOString()} readers switched to table ${tableName}`);
    },
    { signal: stop.signal },
  );
  onShutdown("no longer following table switches", async () => {
    stop.abort();
    await following;
  });
}

/** The forward generator, unless `--no-generator`. */
function startForwardGenerator(run: Run, emulators: Emulators) {
  const { rate, seed, region } = run.options;
  if (rate === undefined) return undefined;
  const generator = startGenerator(
    {
      rate,
      seed,
      stream: R.stream,
      region,
      kinesisEndpoint: emulators.kinesis.endpoint,
      dynamodbEndpoint: emulators.dynalite.endpoint,
    },
    { onLine: run.logTo("generator"), logHint: run.logHint("generator") },
  );
  onShutdown("stopping the generator", async () =>
    say(`  ✓ stopped the generator (pid ${generator.pid}, ${await generator.stop()})`),
  );
  return generator;
}

async function main(options: LocalOptions): Promise<void> {
  const run = await prepare(options);
  const configured = await configureFunction(run);
  let table = configured.tableName;
  const { mapping, progress, figures } = startMapping(run);
  const emulators = await startData(run);
  const archive = await startArchive(run, emulators);
  onShutdown("stopping the mapping", async () =>
    say(`  ✓ stopped the mapping (pid ${mapping.pid()}, ${await mapping.stop()})`),
  );
  const [, dashboard] = await Promise.all([mapping.ready, serveDashboard(run, emulators, table)]);
  say(`  ✓ mapping polling ${R.stream} (${mapping.note()}), invoking the bundle in-process`);
  const tables = () => ({ table, archiveBucket: archive.bucket });
  await announce(run, emulators, tables(), dashboard?.url);
  onShutdown("removing the stack file", () => rm(stackPathOf(run.stateDir), { force: true }));
  say(
    `  ✓ wrote ${relative(ROOT, run.stateDir)}/stack.json: make generate / make status elsewhere use this stack`,
  );
  followSwitches(run, configured, async (next) => {
    table = next;
    dashboard?.showTable(next);
    await announce(run, emulators, tables(), dashboard?.url);
  });
  const readyMs = performance.now();
  say(
    `ready in ${(readyMs / 1000).toFixed(1)} s${dashboard ? ` · dashboard ${dashboard.url}` : ""}`,
  );
  const generator = startForwardGenerator(run, emulators);
  const view = startLiveView({
    dynamo: emulators.dynamoClient,
    table: () => table,
    live: options.live,
    pollMs: 500,
    write: (text) => process.stdout.write(text),
    status: () => ({
      readyMs,
      stream: R.stream,
      table,
      kinesisEndpoint: emulators.kinesis.endpoint,
      dynamodbEndpoint: emulators.dynalite.endpoint,
      dashboardUrl: dashboard?.url,
      archive: { url: archive.url, ...archive.stats },
      mapping: mapping.note(),
      records: progress()?.records ?? 0,
      perSecond: progress()?.perSecond,
      lastBatchAt: progress()?.lastBatchAt,
      lagMs: progress()?.lagMs,
      figures: renderFigures(figures()),
      generator: generator?.note() ?? "off (--no-generator): try make generate elsewhere",
    }),
  });
  onShutdown("stopping the view", async () => {
    await view.stop();
    say("\nstopping (Ctrl-C again to force)");
  });
}

let signals = 0;
const onSignal = () => {
  if (++signals > 1) process.exit(130); // the exit hooks still kill every child
  shutdown().then(() => process.exit(0));
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);

// The SDK's "Node 20 support ends in 2027" warning would land in the middle of the table.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
let options: LocalOptions;
try {
  options = parseLocalArgs(process.argv.slice(2), process.env, process.stdout.isTTY === true);
} catch (err) {
  console.error(`make local: ${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  say(USAGE);
} else {
  main(options).catch(async (err: unknown) => {
    if (stopping !== undefined) return; // Ctrl-C during the start: the signal handler finishes
    console.error(`make local: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown();
    process.exit(1);
  });
}
