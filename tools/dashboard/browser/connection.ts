/**
 * The page's event stream. EventSource reconnects by itself after a dropped
 * connection, but gives up for good when the server answers with an error
 * (a 503 from a full server, say); then this module opens a new one after a
 * randomised, growing delay, so that a crowd of refused viewers does not
 * come back all at once.
 *
 * @module
 */
import type { Heartbeat, TrucksBody } from "../wire.ts";
import type { Connection } from "./status.ts";

export type StreamHandlers = {
  trucks(body: TrucksBody): void;
  heartbeat(beat: Heartbeat): void;
  state(connection: Connection): void;
};

const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 60_000;

/** Follows the stream at `url` for the life of the page. */
export function follow(url: string, on: StreamHandlers): void {
  let retryMs = FIRST_RETRY_MS;
  const open = () => {
    const source = new EventSource(url);
    source.addEventListener("open", () => {
      retryMs = FIRST_RETRY_MS;
      on.state("open");
    });
    source.addEventListener("trucks", (e) => on.trucks(JSON.parse(e.data) as TrucksBody));
    source.addEventListener("heartbeat", (e) => on.heartbeat(JSON.parse(e.data) as Heartbeat));
    source.addEventListener("error", () => {
      on.state("down");
      if (source.readyState !== EventSource.CLOSED) return; // the browser is retrying
      setTimeout(open, retryMs * (0.5 + Math.random()));
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    });
  };
  open();
}
