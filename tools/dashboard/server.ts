/**
 * The dashboard server: one page, its files, `/api/trucks` (the table as
 * JSON, with a strong ETag), `/api/events` (Server-Sent Events of changes)
 * and `/api/stats` (table reads and viewers, for benchmarks and operators).
 *
 * Built to be watched by many: every request is answered from the one
 * snapshot cache of the {@link LiveTable}, so the table is read at most once
 * per `refreshMs` however many viewers and pollers there are, and a change is
 * serialised once and pushed to all. Connections are bounded
 * ({@link ConnectionBound}: 503 with Retry-After beyond the bound) so that a
 * crowd degrades into polite refusals rather than a server out of file
 * descriptors. This file puts those parts together; `routes.ts` answers the
 * requests.
 *
 * @module
 */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { loadAssets } from "./assets.ts";
import { ConnectionBound } from "./connections.ts";
import { type LiveTable, startLiveTable } from "./live_table.ts";
import { requestListener } from "./routes.ts";

export type DashboardOptions = {
  /** The truck table to show. */
  table: string;
  /** Any client with `dynamodb:Scan` on the table; the caller keeps ownership. */
  dynamo: DynamoDBClient;
  /** TCP port; 0 picks a free one. Default 8080. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1: nobody else can connect unless told otherwise. */
  host?: string;
  /** Minimum time between two table reads. Default 1,000 ms. */
  refreshMs?: number;
  /** Open connections served; more get 503. Default 2,000 (keep it under `ulimit -n`). */
  maxConnections?: number;
  /** Miles between oil changes; a truck at or past it is due. Default 1,000. */
  serviceInterval?: number;
  /** Time between heartbeat events. Default 15,000 ms. */
  heartbeatMs?: number;
  /** Where operational messages go (failing reads, recoveries). Default stderr. */
  log?: (line: string) => void;
};

export type DashboardStats = {
  /** Table reads (full Scans) started since the server started. */
  reads: number;
  /** Open event streams. */
  viewers: number;
  /** Open TCP connections, streams included. */
  connections: number;
  /** ISO time at which the last successful read started; null before the first. */
  lastReadAt: string | null;
  readFailing: boolean;
  /** Changes pushed to viewers. */
  pushes: number;
  /** Connections refused with 503 because of the bound. */
  refused: number;
  trucks: number;
};

export type Dashboard = {
  /** `http://host:port/`, the address to open. */
  url: string;
  stats(): DashboardStats;
  /** Shows `table` from the next read on: a rebuild switched the readers to it. */
  showTable(table: string): void;
  /** Ends every stream, stops reading the table and closes the server. */
  close(): Promise<void>;
};

export const DEFAULTS = {
  port: 8080,
  host: "127.0.0.1",
  refreshMs: 1_000,
  maxConnections: 2_000,
  serviceInterval: 1_000,
  heartbeatMs: 15_000,
} as const;

const ASSETS_DIR = fileURLToPath(new URL("./browser/", import.meta.url));

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const opts = withDefaults(options);
  const log = options.log ?? ((line: string) => console.error(line));
  const assets = await loadAssets(ASSETS_DIR);
  const live = startLiveTable({ ...opts, log });
  const server = createServer({ keepAliveTimeout: 10_000 });
  const connections = new ConnectionBound(server, opts.maxConnections);
  const stats = () => dashboardStats(live, connections);
  server.on("request", requestListener({ host: opts.host, connections, live, assets, stats }, log));
  await listen(server, opts.port, opts.host);
  let closing: Promise<void> | undefined;
  return {
    url: urlOf(server, opts.host),
    stats,
    showTable: (table) => live.showTable(table),
    close() {
      closing ??= stopServing(server, live);
      return closing;
    },
  };
}

/** The options, each left out or given as undefined replaced by its default. */
function withDefaults(options: DashboardOptions) {
  const given = Object.entries(options).filter(([, value]) => value !== undefined);
  return { ...DEFAULTS, ...(Object.fromEntries(given) as DashboardOptions) };
}

function dashboardStats(live: LiveTable, connections: ConnectionBound): DashboardStats {
  const { cache, hub } = live;
  return {
    reads: cache.reads,
    viewers: hub.viewers,
    connections: connections.open,
    lastReadAt: cache.lastReadAt === null ? null : new Date(cache.lastReadAt).toISOString(),
    readFailing: cache.failing,
    pushes: live.pushes,
    refused: connections.refused,
    trucks: cache.current?.trucks ?? 0,
  };
}

/** Resolves once the server listens; rejects with its error (a port in use, say). */
async function listen(server: Server, port: number, host: string): Promise<void> {
  server.listen(port, host);
  await Promise.race([
    once(server, "listening"),
    once(server, "error").then(([err]) => Promise.reject(err)),
  ]);
}

/** The address to open; an IPv6 host goes in brackets. */
function urlOf(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  const hostInUrl = host.includes(":") ? `[${host}]` : host;
  return `http://${hostInUrl}:${port}/`;
}

/** Ends every stream, stops reading the table, and closes the server with all its connections. */
async function stopServing(server: Server, live: LiveTable): Promise<void> {
  live.stop();
  const closed = once(server, "close");
  server.close();
  server.closeAllConnections();
  await closed;
}
