/**
 * What the page says about the freshness of what it shows. Data is live
 * while the event stream is open, the server hears from the table, and
 * something (a change or a heartbeat) arrived lately; otherwise it is stale,
 * and the page says why in words, not only in colour.
 *
 * @module
 */

export type Connection = "connecting" | "open" | "down";

export type StatusInput = {
  connection: Connection;
  /** Viewer clock, epoch ms, of the last event of any kind; null before the first. */
  lastEventAt: number | null;
  now: number;
  /** Silence longer than this makes data stale (two missed heartbeats). */
  staleAfterMs: number;
  /** The server reported that its latest table read failed. */
  readFailing: boolean;
  /** A table has been received. */
  hasData: boolean;
};

export type Status = { state: "connecting" | "live" | "stale"; text: string };

export function status(input: StatusInput): Status {
  const { connection, lastEventAt, now } = input;
  if (connection === "connecting" && !input.hasData) {
    return { state: "connecting", text: "Connecting to the server…" };
  }
  if (connection !== "open") {
    return { state: "stale", text: "Stale: connection lost, reconnecting…" };
  }
  if (input.readFailing) {
    return { state: "stale", text: "Stale: the server cannot read the truck table" };
  }
  if (!input.hasData) return { state: "connecting", text: "Waiting for the truck table…" };
  if (lastEventAt !== null && now - lastEventAt > input.staleAfterMs) {
    const seconds = Math.round((now - lastEventAt) / 1000);
    return { state: "stale", text: `Stale: no word from the server for ${seconds} s` };
  }
  return { state: "live", text: "Live" };
}
