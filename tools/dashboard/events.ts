/**
 * Server-Sent Events to every viewer of the dashboard. A change is formatted
 * once into one buffer that every connection writes, and a heartbeat event
 * goes out every `heartbeatMs` so that proxies keep idle streams open and
 * the page can tell a quiet table from a dead server. The heartbeat is an
 * event rather than an SSE comment because a page never sees comments.
 *
 * @module
 */
import type { ServerResponse } from "node:http";
import type { Snapshot } from "./snapshot.ts";
import type { Heartbeat } from "./wire.ts";

/** How long the browser waits before reconnecting a dropped stream. */
const RETRY_MS = 2_000;

export type HubOptions = {
  heartbeatMs: number;
  /** The data of the next heartbeat. */
  heartbeat: () => Heartbeat;
  /** Called whenever the number of viewers changes. */
  onViewers?: (viewers: number) => void;
  /**
   * A viewer whose socket has this many bytes queued is too slow to keep up
   * and is dropped (its browser reconnects and gets a fresh snapshot): the
   * server's memory stays bounded whatever the clients do.
   */
  maxQueuedBytes?: number;
};

/** The `trucks` event of a snapshot; its id lets a reconnecting page skip what it has. */
export function trucksEvent(snapshot: Snapshot): Buffer {
  return Buffer.concat([
    Buffer.from(`id: ${snapshot.hash}\nevent: trucks\ndata: `),
    snapshot.body,
    Buffer.from("\n\n"),
  ]);
}

/** A `heartbeat` event. */
export function heartbeatEvent(beat: Heartbeat): Buffer {
  return Buffer.from(`event: heartbeat\ndata: ${JSON.stringify(beat)}\n\n`);
}

export class EventHub {
  #viewers = new Set<ServerResponse>();
  #opts: HubOptions;
  #timer: NodeJS.Timeout;
  #maxQueued: number;

  constructor(opts: HubOptions) {
    this.#opts = opts;
    this.#maxQueued = opts.maxQueuedBytes ?? 4 * 1024 * 1024;
    this.#timer = setInterval(() => this.#heartbeat(), opts.heartbeatMs);
    this.#timer.unref();
  }

  get viewers(): number {
    return this.#viewers.size;
  }

  /** Turns `res` into an event stream, sends `first`, and keeps it until it closes. */
  add(res: ServerResponse, headers: Record<string, string>, first: Buffer): void {
    res.writeHead(200, {
      ...headers,
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    });
    res.write(`retry: ${RETRY_MS}\n\n`);
    res.write(first);
    this.#viewers.add(res);
    res.once("close", () => {
      if (this.#viewers.delete(res)) this.#opts.onViewers?.(this.#viewers.size);
    });
    this.#opts.onViewers?.(this.#viewers.size);
  }

  /** Sends the snapshot to every viewer. */
  broadcast(snapshot: Snapshot): void {
    this.#send(trucksEvent(snapshot));
  }

  /** Ends every stream and stops the heartbeat. */
  close(): void {
    clearInterval(this.#timer);
    for (const res of this.#viewers) res.end();
    this.#viewers.clear();
  }

  #heartbeat(): void {
    if (this.#viewers.size === 0) return;
    this.#send(heartbeatEvent(this.#opts.heartbeat()));
  }

  #send(message: Buffer): void {
    for (const res of this.#viewers) {
      if (res.writableLength > this.#maxQueued) res.destroy();
      else res.write(message);
    }
  }
}
