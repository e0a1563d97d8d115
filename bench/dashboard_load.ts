/**
 * Load benchmark of the live dashboard: many viewers, one table read.
 *
 * A dynalite table of `trucks` trucks, one of which a writer changes every
 * 500 ms; the dashboard server (the real CLI, in its own process) with its
 * default 1 s refresh; `viewers` Server-Sent Events viewers over raw
 * keep-alive sockets; and two autocannon crowds polling `/api/trucks`, one
 * plain, one with If-None-Match. All on loopback, bounded in time, and every
 * process it starts is stopped by PID at the end, pass or fail.
 *
 * Figures: polling p50/p99 latency and throughput, delivery delay from a
 * write being issued to the viewers receiving it (p50/p99 over every
 * (viewer, write) pair), table reads per second (must not exceed one per
 * refresh interval), and the server's resident memory.
 *
 * Run: `make bench ARGS="--only dashboard"` (the dashboard section).
 *
 * @module
 */

import { setTimeout as sleep } from "node:timers/promises";
import { dynamoClient } from "../aws/clients.ts";
import { startDynalite } from "../aws/emulators/dynalite.ts";
import { putItems, seedTable } from "../aws/table.ts";
import type { Item } from "../core/mod.ts";
import { CHAPTER_ITEMS } from "../core/testing/fixtures.ts";
import { openFilesLimit } from "../tools/dashboard/open_files.ts";
import { type PollFigures, poll } from "./dashboard_polling.ts";
import { type ServerProcess, startServerProcess } from "./dashboard_server.ts";
import { type Crowd, openCrowd } from "./dashboard_viewers.ts";
import { percentile, round } from "./stats.ts";

export type DashboardBenchOptions = {
  seconds?: number;
  viewers?: number;
  /** Trucks in the table (the pushed body grows with it). */
  trucks?: number;
  /** Keep-alive connections of each autocannon crowd. */
  pollConnections?: number;
  refreshMs?: number;
  writeEveryMs?: number;
};

export type DashboardFigures = {
  seconds: number;
  refreshMs: number;
  trucks: number;
  bodyBytes: number;
  viewers: { asked: number; connected: number; refused: number; upToDate: number };
  writes: number;
  deliveryMs: { samples: number; p50: number; p99: number; max: number };
  tableReads: { total: number; perSecond: number; perRefreshInterval: number };
  polling: { plain: PollFigures; conditional: PollFigures };
  serverRssMb: { idle: number; withViewers: number; peak: number };
  openFilesLimit: number | undefined;
};

const TABLE = "bench-trucks";
/** The truck the writer changes; its mileage is BASE + the write's sequence number. */
const WRITTEN_VIN = "1BENCHWR1TER00001";
const BASE = 100_000;

type Settings = Required<DashboardBenchOptions>;

/** What the benchmark started, stopped in reverse order at the end, pass or fail. */
type Stops = (() => Promise<void> | void)[];

/** The measured span: the writer's writes, both polling crowds, the table reads it cost. */
type Load = {
  writes: number;
  elapsedS: number;
  tableReads: number;
  plain: PollFigures;
  conditional: PollFigures;
};

export async function benchDashboard(opts: DashboardBenchOptions = {}): Promise<DashboardFigures> {
  const s = withDefaults(opts);
  const limit = openFilesLimit();
  const needed = s.viewers + 2 * s.pollConnections + 100;
  assertOpenFiles(limit, needed);

  const stops: Stops = [];
  try {
    const table = await startWrittenTable(s.trucks, stops);
    const server = await startServerProcess({
      endpoint: table.endpoint,
      table: TABLE,
      refreshMs: s.refreshMs,
      maxConnections: Math.max(2_000, needed),
    });
    stops.push(() => server.stop());
    const api = (path: string) => new URL(path, server.url).href;
    const bodyBytes = (await (await fetch(api("/api/trucks"))).arrayBuffer()).byteLength;
    const idle = server.rssMb();

    const issued = new Map<number, number>([[0, performance.now()]]);
    const crowd = await openViewers(api("/api/events"), s.viewers, issued);
    stops.push(() => crowd.close());
    await sleep(2 * s.refreshMs); // everyone has the first table
    crowd.delays.length = 0;

    const peak = samplePeakRss(server, stops);
    const load = await writeWhilePolling(s, api, table.write, issued);
    await sleep(2 * s.refreshMs + 500); // the last write reaches everyone
    const rssMb = { idle, withViewers: server.rssMb(), peak: peak() };
    return figures(s, { load, crowd, rssMb, bodyBytes, openFilesLimit: limit });
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

function withDefaults(opts: DashboardBenchOptions): Settings {
  return {
    seconds: opts.seconds ?? 30,
    viewers: opts.viewers ?? 1_000,
    trucks: opts.trucks ?? 50,
    pollConnections: opts.pollConnections ?? 25,
    refreshMs: opts.refreshMs ?? 1_000,
    writeEveryMs: opts.writeEveryMs ?? 500,
  };
}

/** Every viewer and poller holds a file descriptor: fail at once, with the fix, not midway. */
function assertOpenFiles(limit: number | undefined, needed: number): void {
  if (limit !== undefined && limit < needed) {
    throw new Error(
      `open-files limit ${limit} < ${needed} needed: raise it with \`ulimit -n ${needed}\``,
    );
  }
}

/**
 * dynalite with a fleet of `trucks` and the written truck at write 0;
 * `write(seq)` sets the written truck's mileage to BASE + seq.
 */
async function startWrittenTable(
  trucks: number,
  stops: Stops,
): Promise<{ endpoint: string; write: (seq: number) => Promise<void> }> {
  const dynalite = await startDynalite();
  stops.push(() => dynalite.stop());
  const dynamo = dynamoClient(dynalite.endpoint);
  stops.push(() => dynamo.destroy());
  await seedTable(dynamo, TABLE, fleet(trucks));
  const write = (seq: number) =>
    putItems(dynamo, TABLE, [
      {
        vin: WRITTEN_VIN,
        mileage: BASE + seq,
        "mileage-at-oil-change": BASE,
      },
    ]);
  await write(0);
  return { endpoint: dynalite.endpoint, write };
}

/** `count` viewers of `url`, each timing every write from `issued` to the first table holding it. */
function openViewers(url: string, count: number, issued: Map<number, number>): Promise<Crowd> {
  const mileage = new RegExp(`"vin":"${WRITTEN_VIN}"[^}]*?"mileage":(\\d+)`);
  return openCrowd(
    url,
    count,
    (data) => {
      const m = mileage.exec(data)?.[1];
      return m === undefined ? undefined : Number(m) - BASE;
    },
    (seq) => issued.get(seq),
  );
}

/** The server's peak resident memory, sampled every 250 ms until the stops run. */
function samplePeakRss(server: ServerProcess, stops: Stops): () => number {
  let peak = server.rssMb();
  const sampler = setInterval(() => {
    peak = Math.max(peak, server.rssMb());
  }, 250);
  stops.push(() => clearInterval(sampler));
  return () => peak;
}

/**
 * The measured span: a write every `writeEveryMs`, each noted in `issued`,
 * while a plain and a conditional crowd poll `/api/trucks` for `seconds`;
 * the table reads are counted over the same span.
 */
async function writeWhilePolling(
  s: Settings,
  api: (path: string) => string,
  write: (seq: number) => Promise<void>,
  issued: Map<number, number>,
): Promise<Load> {
  const tableReads = async () =>
    ((await (await fetch(api("/api/stats"))).json()) as { reads: number }).reads;
  const before = await tableReads();
  const started = performance.now();
  let seq = 0;
  const writer = (async () => {
    while (performance.now() - started < s.seconds * 1_000) {
      const next = ++seq;
      issued.set(next, performance.now());
      await write(next);
      await sleep(s.writeEveryMs);
    }
  })();
  const polling = { connections: s.pollConnections, seconds: s.seconds };
  const [plain, conditional] = await Promise.all([
    poll(api("/api/trucks"), { ...polling, conditional: false }),
    poll(api("/api/trucks"), { ...polling, conditional: true }),
    writer,
  ]);
  const elapsedS = (performance.now() - started) / 1_000;
  const reads = (await tableReads()) - before;
  return { writes: seq, elapsedS, tableReads: reads, plain, conditional };
}

function figures(
  s: Settings,
  m: {
    load: Load;
    crowd: Crowd;
    rssMb: DashboardFigures["serverRssMb"];
    bodyBytes: number;
    openFilesLimit: number | undefined;
  },
): DashboardFigures {
  const { load, crowd, rssMb } = m;
  const perSecond = load.tableReads / load.elapsedS;
  return {
    seconds: round(load.elapsedS, 1),
    refreshMs: s.refreshMs,
    trucks: s.trucks + 1,
    bodyBytes: m.bodyBytes,
    viewers: {
      asked: s.viewers,
      connected: crowd.connected,
      refused: crowd.refused,
      upToDate: crowd.upTo(load.writes),
    },
    writes: load.writes,
    deliveryMs: {
      samples: crowd.delays.length,
      p50: round(percentile(crowd.delays, 50), 1),
      p99: round(percentile(crowd.delays, 99), 1),
      max: round(percentile(crowd.delays, 100), 1),
    },
    tableReads: {
      total: load.tableReads,
      perSecond: round(perSecond, 1),
      perRefreshInterval: round((perSecond * s.refreshMs) / 1_000, 1),
    },
    polling: { plain: load.plain, conditional: load.conditional },
    serverRssMb: {
      idle: round(rssMb.idle, 1),
      withViewers: round(rssMb.withViewers, 1),
      peak: round(rssMb.peak, 1),
    },
    openFilesLimit: m.openFilesLimit,
  };
}

/** The chapter's trucks and more like them, spread over London. */
function fleet(size: number): Item[] {
  const items: Item[] = [...CHAPTER_ITEMS];
  for (let i = items.length; i < size; i++) {
    items.push({
      vin: `2BENCH${`${i}`.padStart(11, "0")}`,
      mileage: 10_000 + i * 37,
      "mileage-at-oil-change": 10_000 + i * 37 - ((i * 97) % 1_200),
      "location-timestamp": `2018-08-02T${`${10 + (i % 12)}`.padStart(2, "0")}:00:00.000Z`,
      latitude: 51.47 + ((i * 7) % 60) / 1_000,
      longitude: -0.16 + ((i * 11) % 80) / 1_000,
    });
  }
  return items;
}
