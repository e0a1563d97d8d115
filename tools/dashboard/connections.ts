/**
 * The bound on the dashboard's open connections. Past it, a request is
 * answered 503 with Retry-After instead of being served, so that a crowd
 * degrades into polite refusals rather than a server out of file
 * descriptors; further past it, Node drops new connections itself, so that
 * even the refusals are bounded.
 *
 * @module
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";

/** Past the bound, connections still get their 503 up to this many more; then Node drops them. */
const REFUSAL_HEADROOM = 256;

export class ConnectionBound {
  /** Requests refused because of the bound. */
  refused = 0;

  readonly #sockets = new Set<Socket>();
  readonly #max: number;

  /** Counts the connections of `server`, which serves at most `max` of them. */
  constructor(server: Server, max: number) {
    this.#max = max;
    server.maxConnections = max + REFUSAL_HEADROOM;
    server.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
    });
  }

  /** Open TCP connections, streams included. */
  get open(): number {
    return this.#sockets.size;
  }

  /** Whether a request must be refused because the bound is passed; counts it if so. */
  refuses(): boolean {
    if (this.#sockets.size <= this.#max) return false;
    this.refused++;
    return true;
  }
}
