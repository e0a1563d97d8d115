/**
 * The dashboard's answer to each request. Every request first passes the
 * guards (the connection bound, the Host check, GET or HEAD only), then gets
 * the answer for its path: `/api/trucks`, `/api/events`, `/api/stats` or one
 * of the page's files. Every answer carries the security headers; the table
 * and the files carry strong ETags, so a poller that has them gets a 304.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Asset } from "./assets.ts";
import type { SnapshotCache } from "./cache.ts";
import type { ConnectionBound } from "./connections.ts";
import { heartbeatEvent, trucksEvent } from "./events.ts";
import { hostAllowed, SECURITY_HEADERS } from "./headers.ts";
import type { LiveTable } from "./live_table.ts";

export type Routes = {
  /** The interface the server is bound to, for the Host check. */
  host: string;
  connections: ConnectionBound;
  live: LiveTable;
  /** The page's files by URL path. */
  assets: ReadonlyMap<string, Asset>;
  /** The body of `/api/stats`. */
  stats: () => object;
};

/** What a refused client is told to wait, in seconds. */
const RETRY_AFTER_S = "5";
const PLAIN_TEXT = "text/plain; charset=utf-8";

/** The server's request listener: a request whose answer throws is logged and gets a 500. */
export function requestListener(
  routes: Routes,
  log: (line: string) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    answer(routes, req, res).catch((err: unknown) => {
      log(`dashboard: ${req.method} ${req.url} failed: ${(err as Error).stack ?? err}`);
      if (!res.headersSent) send(res, 500, PLAIN_TEXT, "internal error\n");
      else res.destroy();
    });
  };
}

async function answer(routes: Routes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (routes.connections.refuses()) {
    res.setHeader("Retry-After", RETRY_AFTER_S);
    res.setHeader("Connection", "close");
    return send(res, 503, PLAIN_TEXT, "too many viewers; try again soon\n");
  }
  if (!hostAllowed(req.headers.host, routes.host)) {
    return send(res, 421, PLAIN_TEXT, "unexpected Host header\n");
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("Allow", "GET, HEAD");
    return send(res, 405, PLAIN_TEXT, "method not allowed\n");
  }
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  switch (path) {
    case "/api/trucks":
      return trucks(routes.live.cache, req, res);
    case "/api/events":
      return events(routes.live, req, res);
    case "/api/stats":
      res.setHeader("Cache-Control", "no-store");
      return send(res, 200, "application/json", JSON.stringify(routes.stats()));
    default:
      return asset(req, res, routes.assets.get(path));
  }
}

/** The table as JSON, or a 503 while it has never been read. */
async function trucks(
  cache: SnapshotCache,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
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

/** A new viewer's event stream, handed to the hub. */
async function events(live: LiveTable, req: IncomingMessage, res: ServerResponse): Promise<void> {
  await live.cache.get().catch(() => undefined); // viewers of an unreadable table get heartbeats
  if (res.destroyed) return;
  if (req.method === "HEAD") {
    res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": "text/event-stream" });
    res.end();
    return;
  }
  // The table (unless the viewer's Last-Event-ID says it has it), and at once how reads go.
  const current = live.cache.current;
  const known = req.headers["last-event-id"];
  const first = [heartbeatEvent(live.heartbeat())];
  if (current !== undefined && known !== current.hash) first.unshift(trucksEvent(current));
  live.hub.add(res, SECURITY_HEADERS, Buffer.concat(first));
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
    send(res, 404, PLAIN_TEXT, "not found\n");
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
