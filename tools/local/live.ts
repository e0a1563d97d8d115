/**
 * The truck table, live in the terminal: the table is read every `pollMs`
 * and the screen redrawn in place when what it shows changes. Not a
 * terminal (a pipe, a CI log): the table is printed only when a row
 * changes, so the log reads as a history of the table.
 *
 * @module
 */

import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { readTable } from "../../aws/table.ts";
import type { Item } from "../../core/mod.ts";
import { renderView, type Status } from "./view.ts";

/** Cursor home, clear to the end of the screen: a redraw without flicker. */
const REDRAW = "\x1b[H\x1b[J";

export interface LiveOptions {
  readonly dynamo: DynamoDBClient;
  /** The table to show: read at every redraw, so that a switch shows at once. */
  readonly table: () => string;
  readonly status: () => Status;
  /** Redraw in place (true) or append when rows change (false). */
  readonly live: boolean;
  readonly pollMs: number;
  readonly write: (text: string) => void;
}

/** Starts drawing; `stop()` ends it after the read in flight, if any. */
export function startLiveView(options: LiveOptions): { stop(): Promise<void> } {
  let rows: Item[] = [];
  let readError: string | undefined;
  let shown = "";
  let shownRows = "";
  let stopped = false;
  const tick = async () => {
    try {
      rows = await readTable(options.dynamo, options.table());
      readError = undefined;
    } catch (err) {
      readError = `cannot read table ${options.table()}: ${(err as Error).message}`;
    }
    if (stopped) return;
    const status = options.status();
    if (options.live) {
      const view = renderView(status, rows, new Date()) + (readError ? `\n${readError}\n` : "");
      if (view !== shown) options.write(REDRAW + view);
      shown = view;
    } else {
      const current = JSON.stringify(rows);
      if (current !== shownRows) options.write(`\n${renderView(status, rows, new Date())}`);
      shownRows = current;
    }
  };
  // The next read is scheduled after this one ends: a slow table never queues reads.
  let timer: NodeJS.Timeout | undefined;
  const loop = async (): Promise<void> => {
    await tick();
    if (!stopped) {
      timer = setTimeout(() => {
        running = loop();
      }, options.pollMs);
    }
  };
  let running = loop();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
