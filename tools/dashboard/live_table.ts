/**
 * The table as the dashboard's viewers see it: the one {@link SnapshotCache}
 * of table reads and the {@link EventHub} that pushes its changes, wired to
 * each other. The cache re-reads the table only while someone watches, and a
 * change is serialised once and pushed to all.
 *
 * A failing read is logged when it starts failing (or fails differently),
 * and the first read that works again says so: an operator sees an outage
 * and its end, not a line per refresh.
 *
 * @module
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { readTable } from "../../aws/table.ts";
import { type CacheOptions, SnapshotCache } from "./cache.ts";
import { EventHub } from "./events.ts";
import { snapshot } from "./snapshot.ts";
import type { Heartbeat } from "./wire.ts";

export type LiveTableOptions = {
  table: string;
  dynamo: DynamoDBClient;
  refreshMs: number;
  serviceInterval: number;
  heartbeatMs: number;
  log: (line: string) => void;
};

export type LiveTable = {
  cache: SnapshotCache;
  hub: EventHub;
  /** The data of a heartbeat now: the server is up, and how its reads go. */
  heartbeat(): Heartbeat;
  /** Changes pushed to viewers so far. */
  readonly pushes: number;
  /** Reads `table` from the next refresh on (a rebuild switched tables). */
  showTable(table: string): void;
  /** Stops reading the table and ends every stream. */
  stop(): void;
};

export function startLiveTable(opts: LiveTableOptions): LiveTable {
  let pushes = 0;
  const heartbeat = (): Heartbeat => ({
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
    ...loggedReads(opts),
    onChange: (s) => {
      if (hub.viewers > 0) pushes++;
      hub.broadcast(s);
    },
  });
  return {
    cache,
    hub,
    heartbeat,
    get pushes() {
      return pushes;
    },
    showTable(table) {
      opts.table = table;
    },
    stop() {
      cache.poll(false);
      hub.close();
    },
  };
}

/** The cache's read of the table, and its report of failures and recoveries to the log. */
function loggedReads(opts: LiveTableOptions): Pick<CacheOptions, "read" | "onError"> {
  const settings = { serviceInterval: opts.serviceInterval, heartbeatMs: opts.heartbeatMs };
  let lastError: string | undefined;
  return {
    read: async () => {
      const items = await readTable(opts.dynamo, opts.table, { consistent: false });
      if (lastError !== undefined) opts.log(`dashboard: reading table ${opts.table} again`);
      lastError = undefined;
      return snapshot(items, settings);
    },
    onError: (err) => {
      const message = err instanceof Error ? err.message : String(err);
      if (message !== lastError) opts.log(`dashboard: cannot read table ${opts.table}: ${message}`);
      lastError = message;
    },
  };
}
