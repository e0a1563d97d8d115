/**
 * The truck status table as people and scripts read it: the chapter's table
 * 11.1 (location and miles since oil change per truck) plus the location time
 * and mileage it is computed from. Pure, shared by `make status` and the live
 * view of the local stack.
 *
 * @module
 */

import {
  ATTRIBUTES,
  fromItem,
  type Item,
  milesSinceOilChange,
  type Row,
  type StoredRow,
} from "../core/mod.ts";

/** Rows as core's {@link Row} (or partial ones), or as table items with their attribute names. */
export type TableInput = readonly (StoredRow | Item)[];

/** Shown where a value is not known yet (e.g. before the first oil change). */
export const UNKNOWN = "–";

/**
 * A UTC timestamp as the chapter's generator printed it: `2018-01-01 00:14:00`,
 * with milliseconds only when there are some.
 */
export function formatTime(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  return time
    .toISOString()
    .replace("T", " ")
    .replace(/(\.000)?Z$/, "");
}

/** A row as it will be shown, whichever form it came in. */
function toRow(input: StoredRow | Item): StoredRow {
  return "location" in input || "mileageAtOilChange" in input
    ? (input as StoredRow)
    : fromItem(input as Item);
}

/** Core's rule, for rows that may lack even a mileage. */
const milesSince = (row: StoredRow) =>
  row.mileage === undefined ? undefined : milesSinceOilChange(row as Row);

const byVin = (a: StoredRow, b: StoredRow) => {
  const [x, y] = [a.vin ?? "", b.vin ?? ""];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** `12s ago`, `5m ago`, `3h ago`, `41d ago`; the largest unit that keeps the number small. */
function age(iso: string, now: Date): string {
  const seconds = Math.floor((now.getTime() - Date.parse(iso)) / 1000);
  if (Number.isNaN(seconds)) return "";
  if (seconds < 0) return " (in the future)";
  const [amount, unit] =
    seconds < 120
      ? [seconds, "s"]
      : seconds < 7_200
        ? [Math.floor(seconds / 60), "m"]
        : seconds < 172_800
          ? [Math.floor(seconds / 3_600), "h"]
          : [Math.floor(seconds / 86_400), "d"];
  return ` (${amount}${unit} ago)`;
}

const show = (n: number | undefined) => (n === undefined ? UNKNOWN : String(n));

type Align = "left" | "right";

const COLUMNS: readonly {
  title: string;
  align: Align;
  cell: (r: StoredRow, now?: Date) => string;
}[] = [
  { title: "VIN", align: "left", cell: (r) => r.vin ?? UNKNOWN },
  { title: "latitude", align: "right", cell: (r) => show(r.location?.latitude) },
  { title: "longitude", align: "right", cell: (r) => show(r.location?.longitude) },
  {
    title: "location time",
    align: "left",
    cell: (r, now) =>
      r.location === undefined
        ? UNKNOWN
        : formatTime(r.location.timestamp) + (now ? age(r.location.timestamp, now) : ""),
  },
  { title: "mileage", align: "right", cell: (r) => show(r.mileage) },
  { title: "miles since oil change", align: "right", cell: (r) => show(milesSince(r)) },
];

/**
 * The rows as an aligned text table, one line per truck sorted by VIN, under
 * a header line; numbers right-aligned, unknown values shown as {@link UNKNOWN}.
 * With `now`, each location time also says how old it is.
 *
 * @example
 * ```ts
 * renderTrucks([{ vin: "1HGCM82633A004352", mileage: 12453, mileageAtOilChange: 12418 }]);
 * // VIN                latitude  longitude  location time  mileage  miles since oil change
 * // 1HGCM82633A004352         –          –  –                12453                      35
 * ```
 */
export function renderTrucks(rows: TableInput, now?: Date): string {
  const cells = [
    COLUMNS.map((c) => c.title),
    ...rows
      .map(toRow)
      .sort(byVin)
      .map((row) => COLUMNS.map((c) => c.cell(row, now))),
  ];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => (line[i] ?? "").length)));
  return cells
    .map((line) =>
      line
        .map((cell, i) => {
          const width = widths[i] ?? 0;
          return COLUMNS[i]?.align === "right" ? cell.padStart(width) : cell.padEnd(width);
        })
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** One truck for scripts: the table's attribute names, plus the derived miles since oil change. */
export type StatusRecord = {
  [K in (typeof ATTRIBUTES)[keyof typeof ATTRIBUTES] | "miles-since-oil-change"]: K extends
    | "vin"
    | "location-timestamp"
    ? string | null
    : number | null;
};

/** The rows for `--json`, sorted by VIN; every key is present, `null` where unknown. */
export function statusRecords(rows: TableInput): StatusRecord[] {
  return rows
    .map(toRow)
    .sort(byVin)
    .map((row) => ({
      [ATTRIBUTES.vin]: row.vin ?? null,
      [ATTRIBUTES.latitude]: row.location?.latitude ?? null,
      [ATTRIBUTES.longitude]: row.location?.longitude ?? null,
      [ATTRIBUTES.timestamp]: row.location?.timestamp ?? null,
      [ATTRIBUTES.mileage]: row.mileage ?? null,
      [ATTRIBUTES.mileageAtOilChange]: row.mileageAtOilChange ?? null,
      "miles-since-oil-change": milesSince(row) ?? null,
    }));
}
