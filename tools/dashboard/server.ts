/**
 * The dashboard server: one page, its files, `/api/trucks` (the table as
 * JSON, with a strong ETag), `/api/events` (Server-Sent Events of changes)
 * and `/api/stats` (table reads and viewers, for benchmarks and operators).
 *
 * Built to be watched by many: every request is answered from the one
 * {@link SnapshotCache}, so the table is read at most once per `refreshMs`
 * however many viewers and pollers there are, and a change is serialised once
 * and pushed to all. Connections are bounded (503 with Retry-After beyond
 * the bound) so that a crowd degrades into polite refusals rather than a
 * server out of file descriptors.
 *
 * @module
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { fileURLToPath } from "node:url";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { readTable } from "../../aws/table.ts";
import { type Asset, loadAssets } from "./assets.ts";
import { SnapshotCache } from "./cache.ts";
import { EventHub, heartbeatEvent, trucksEvent } from "./events.ts";
import { hostAllowed, SECURITY_HEADERS } from "./headers.ts";
import { snapshot } from "./snapshot.ts";

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

/** Past the bound, connections still get their 503 up to this many more; then Node drops them. */
const REFUSAL_HEADROOM = 256;
/** What a refused client is told to wait, in seconds. */
const RETRY_AFTER_S = "5";
const ASSETS_DIR = fileURLToPath(new URL("./browser/", import.meta.url));

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  // An option given as undefined means "the default", as if it were left out.
  const given = Object.entries(options).filter(([, value]) => value !== undefined);
  const opts = { ...DEFAULTS, ...(Object.fromEntries(given) as DashboardOptions) };
  const log = options.log ?? ((line: string) => console.error(line));
  const assets = await loadAssets(ASSETS_DIR);
  const settings = { serviceInterval: opts.serviceInterval, heartbeatMs: opts.heartbeatMs };
  let pushes = 0;
  let refused = 0;
  let lastError: string | undefined;

  const heartbeat = () => ({
    now: Date.now(),
    readAt: cache.lastReadAt,
    readFailing: cache.failing,
  });
  const hub: EventHub = new EventHub({
    heartbeatMs: opts.heartbeatMs,
    heartbeat,
    onViewers: (n) => cache.poll(n > 0),
  });
  const cache = new SnapshotCache({
    refreshMs: opts.refreshMs,
    read: async () => {
      const items = await readTable(opts.dynamo, opts.table, { consistent: false });
      if (lastError !== undefined) log(`dashboard: reading table ${opts.table} again`);
      lastError = undefined;
      return snapshot(items, settings);
    },
    onChange: (s) => {
      if (hub.viewers > 0) pushes++;
      hub.broadcast(s);
    },
    onError: (err) => {
      const message = err instanceof Error ? err.message : String(err);
      if (message !== lastError) log(`dashboard: cannot read table ${opts.table}: ${message}`);
      lastError = message;
    },
  });

  const sockets = new Set<Socket>();
  const server = createServer({ keepAliveTimeout: 10_000 }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`dashboard: ${req.method} ${req.url} failed: ${(err as Error).stack ?? err}`);
      if (!res.headersSent) send(res, 500, "text/plain; charset=utf-8", "internal error\n");
      else res.destroy();
    });
  });
  server.maxConnections = opts.maxConnections + REFUSAL_HEADROOM;
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (sockets.size > opts.maxConnections) {
      refused++;
      res.setHeader("Retry-After", RETRY_AFTER_S);
      res.setHeader("Connection", "close");
      return send(res, 503, "text/plain; charset=utf-8", "too many viewers; try again soon\n");
    }
    if (!hostAllowed(req.headers.host, opts.host)) {
      return send(res, 421, "text/plain; charset=utf-8", "unexpected Host header\n");
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", "GET, HEAD");
      return send(res, 405, "text/plain; charset=utf-8", "method not allowed\n");
    }
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    switch (path) {
      case "/api/trucks":
        return trucks(req, res);
      case "/api/events":
        return events(req, res);
      case "/api/stats":
        res.setHeader("Cache-Control", "no-store");
        return send(res, 200, "application/json", JSON.stringify(stats()));
      default:
        return asset(req, res, assets.get(path));
    }
  }

  async function trucks(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const current = await cache.get().catch(() => undefined);
    if (current === undefined) {
      res.setHeader("Retry-After", RETRY_AFTER_S);
      return send(res, 503, "application/json", '{"error":"the table cannot be read"}');
    }
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("ETag", current.etag);
    if (matches(req.headers["if-none-match"], current.etag)) return send(res, 304);
    return send(res, 200, "application/json", current.body);
  }

  async function events(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await cache.get().catch(() => undefined); // viewers of an unreadable table get heartbeats
    if (res.destroyed) return;
    if (req.method === "HEAD") {
      res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": "text/event-stream" });
      res.end();
      return;
    }
    // The table (unless the viewer's Last-Event-ID says it has it), and at once how reads go.
    const current = cache.current;
    const known = req.headers["last-event-id"];
    const first = [heartbeatEvent(heartbeat())];
    if (current !== undefined && known !== current.hash) first.unshift(trucksEvent(current));
    hub.add(res, SECURITY_HEADERS, Buffer.concat(first));
  }

  function stats(): DashboardStats {
    return {
      reads: cache.reads,
      viewers: hub.viewers,
      connections: sockets.size,
      lastReadAt: cache.lastReadAt === null ? null : new Date(cache.lastReadAt).toISOString(),
      readFailing: cache.failing,
      pushes,
      refused,
      trucks: cache.current?.trucks ?? 0,
    };
  }

  server.listen(opts.port, opts.host);
  await Promise.race([
    once(server, "listening"),
    once(server, "error").then(([err]) => Promise.reject(err)),
  ]);
  const { port } = server.address() as AddressInfo;
  const hostInUrl = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostInUrl}:${port}/`,
    stats,
    close() {
      closing ??= (async () => {
        cache.poll(false);
        hub.close();
        const closed = once(server, "close");
        server.close();
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}

/** If-None-Match against a strong ETag: a list of tags, `*`, weak forms compare equal. */
function matches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === `W/${etag}`;
  });
}

function asset(req: IncomingMessage, res: ServerResponse, file: Asset | undefined): void {
  if (file === undefined) {
    send(res, 404, "text/plain; charset=utf-8", "not found\n");
    return;
  }
  res.setHeader("Cache-Control", "no-cache");
  res.setHeader("ETag", file.etag);
  if (matches(req.headers["if-none-match"], file.etag)) send(res, 304);
  else send(res, 200, file.type, file.body);
}

function send(res: ServerResponse, status: number, type?: string, body?: string | Buffer): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  if (type !== undefined) res.setHeader("Content-Type", type);
  if (body !== undefined) res.setHeader("Content-Length", Buffer.byteLength(body));
  res.statusCode = status;
  res.end(body);
}
