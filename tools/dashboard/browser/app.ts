/**
 * The dashboard page: follows the server's event stream and keeps the
 * summary, the map and the table in step with it, and tells the viewer
 * (visibly and through a polite live region) when what they see is stale.
 *
 * @module
 */
import type { TrucksBody } from "../wire.ts";
import { follow } from "./connection.ts";
import { byId } from "./dom.ts";
import { clock, miles } from "./format.ts";
import { TruckMap } from "./map.ts";
import { type Connection, status } from "./status.ts";
import { TruckTable } from "./table.ts";

const table = new TruckTable(byId("truck-rows", HTMLTableSectionElement));
const map = new TruckMap(byId("map", SVGSVGElement));
const statusLine = byId("status", HTMLElement);
const announcer = byId("announce", HTMLElement);

let connection: Connection = "connecting";
let lastEventAt: number | null = null;
let staleAfterMs = 31_000;
let readFailing = false;
let hasData = false;
let announcedDue: number | undefined;

function show(body: TrucksBody): void {
  const now = Date.now();
  staleAfterMs = 2 * body.heartbeatMs + 1_000;
  const changed = table.update(body.trucks, body.serviceInterval);
  map.update(body.trucks);
  const due = body.trucks.filter((t) => t.due).length;
  byId("count", HTMLElement).textContent = `${body.trucks.length}`;
  byId("due-count", HTMLElement).textContent = `${due}`;
  byId("interval", HTMLElement).textContent = miles(body.serviceInterval);
  byId("note-interval", HTMLElement).textContent = miles(body.serviceInterval);
  const updated = byId("updated", HTMLTimeElement);
  updated.dateTime = new Date(now).toISOString();
  updated.textContent = clock(now);
  if (due !== announcedDue) {
    announcedDue = due;
    announce(`${plural(due, "truck")} due for an oil change.`, false);
  } else if (changed.length > 0) {
    announce(`${plural(changed.length, "truck")} updated at ${clock(now)}.`, true);
  }
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** Routine news is said at most this often, so that a busy fleet does not drown a screen reader. */
const ANNOUNCE_EVERY_MS = 15_000;
let lastAnnouncedAt = 0;

/** Says `text` through the polite live region; `routine` news may be skipped. */
function announce(text: string, routine: boolean): void {
  const now = Date.now();
  if (routine && now - lastAnnouncedAt < ANNOUNCE_EVERY_MS) return;
  lastAnnouncedAt = now;
  announcer.textContent = text;
}

function refreshStatus(): void {
  const s = status({
    connection,
    lastEventAt,
    now: Date.now(),
    staleAfterMs,
    readFailing,
    hasData,
  });
  if (statusLine.textContent !== s.text) statusLine.textContent = s.text;
  if (document.body.dataset.state !== s.state) {
    document.body.dataset.state = s.state;
    if (s.state === "stale") announce(s.text, false);
  }
}

follow("/api/events", {
  trucks(body) {
    lastEventAt = Date.now();
    hasData = true;
    show(body);
    refreshStatus();
  },
  heartbeat(beat) {
    lastEventAt = Date.now();
    readFailing = beat.readFailing;
    refreshStatus();
  },
  state(next) {
    connection = next;
    if (next === "open") lastEventAt = Date.now();
    refreshStatus();
  },
});
setInterval(refreshStatus, 1_000);
refreshStatus();
