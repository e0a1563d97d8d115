/**
 * What `make local` shows in the terminal: a few header lines saying what
 * runs where and whether events are flowing, then the truck table
 * (`renderTrucks`, the chapter's table 11.1 plus its inputs). Pure: the shell
 * decides when to draw it.
 *
 * @module
 */

import type { Item } from "../../core/mod.ts";
import { renderTrucks } from "../trucks.ts";

/** What the header says. */
export interface Status {
  /** Start-up time, process start to mapping polling. */
  readonly readyMs: number;
  readonly stream: string;
  readonly table: string;
  readonly kinesisEndpoint: string;
  readonly dynamodbEndpoint: string;
  readonly dashboardUrl: string | undefined;
  /** Where the archive is and what it holds so far. */
  readonly archive: {
    readonly url: string;
    readonly objects: number;
    readonly records: number;
    readonly bytes: number;
  };
  /** E.g. `pid 4242`, or why it is not running. */
  readonly mapping: string;
  /** Records the mapping has handed to the function. */
  readonly records: number;
  readonly perSecond: number | undefined;
  /** Epoch ms of the last batch. */
  readonly lastBatchAt: number | undefined;
  /** How far behind the stream the last batch was. */
  readonly lagMs: number | undefined;
  /** The last minutes from the function's batch lines (`renderFigures`). */
  readonly figures: string;
  /** The generator's last line, or why there is none. */
  readonly generator: string;
}

/** `12:00:01 (0.4 s ago)`; the clock time is UTC, like every timestamp in the project. */
function when(at: number, now: Date): string {
  const clock = new Date(at).toISOString().slice(11, 19);
  const seconds = Math.max(0, (now.getTime() - at) / 1000);
  return `${clock} UTC (${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s ago)`;
}

const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(bytes < 10_240 ? 1 : 0)} KiB`;

/** The header lines. */
export function renderHeader(status: Status, now: Date): string {
  const flow = [
    `events seen ${status.records}`,
    ...(status.perSecond === undefined ? [] : [`${status.perSecond}/s`]),
    `last batch ${status.lastBatchAt === undefined ? "none yet" : when(status.lastBatchAt, now)}`,
    ...(status.lagMs === undefined ? [] : [`lag ${status.lagMs} ms`]),
  ];
  const endpoints = [
    `kinesis ${status.kinesisEndpoint}`,
    `dynamodb ${status.dynamodbEndpoint}`,
    `dashboard ${status.dashboardUrl ?? "off"}`,
  ];
  const { archive } = status;
  const held = `${archive.objects} objects, ${archive.records} records, ${kilobytes(archive.bytes)}`;
  return [
    `OOPS truck status · local stack, ready in ${(status.readyMs / 1000).toFixed(1)} s · Ctrl-C stops everything`,
    `stream ${status.stream} → mapping (${status.mapping}) → handler bundle → table ${status.table}`,
    endpoints.join(" · "),
    `archive ${archive.url} · ${held}`,
    flow.join(" · "),
    status.figures,
    `generator: ${status.generator}`,
  ].join("\n");
}

/** Header, a blank line, the table (or a word on its absence). */
export function renderView(status: Status, rows: readonly Item[], now: Date): string {
  // No ages: the generated world's clock is years behind this one, so "3250d ago" says nothing.
  const table = rows.length === 0 ? "(no trucks yet)" : renderTrucks(rows);
  return `${renderHeader(status, now)}\n\n${table}\n`;
}
