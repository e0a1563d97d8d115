/**
 * The scale model as an SVG chart (no dependencies): one panel per fleet size,
 * one group per batch size, one bar per (partition key, shard count), on a log
 * scale of DynamoDB writes per 1,000 events.
 *
 * @module
 */

import type { ScaleResult } from "./scale_model.ts";

const WIDTH = 900;
const HEIGHT = 360;
const TOP = 50;
const BOTTOM = 300;
const LEFT = 60;
const MIN = 0.1;
const MAX = 1000;

const SERIES = [
  { partitionKey: "random", shards: 2, colour: "#1f5fa8", label: "random keys, 2 shards" },
  { partitionKey: "random", shards: 16, colour: "#6b9bd1", label: "random keys, 16 shards" },
  { partitionKey: "vin", shards: 2, colour: "#b2461c", label: "VIN keys, 2 shards" },
  { partitionKey: "vin", shards: 16, colour: "#e59866", label: "VIN keys, 16 shards" },
] as const;

const y = (value: number) =>
  BOTTOM -
  ((Math.log10(Math.max(value, MIN)) - Math.log10(MIN)) / (Math.log10(MAX) - Math.log10(MIN))) *
    (BOTTOM - TOP);

const text = (x: number, yy: number, content: string, extra = "") =>
  `<text x="${x.toFixed(1)}" y="${yy.toFixed(1)}" ${extra}>${content}</text>`;

/** Widths of a fleet's panel, of a batch size's group within it, and of one bar. */
type Layout = { panel: number; group: number; bar: number };

type Series = (typeof SERIES)[number];

/** Renders the chart; `results` must hold every case of `scaleCases()`. */
export function scaleChart(results: readonly ScaleResult[]): string {
  const fleets = [...new Set(results.map((r) => r.trucks))];
  const batches = [...new Set(results.map((r) => r.batchSize))];
  const panel = (WIDTH - LEFT - 20) / fleets.length;
  const group = panel / batches.length;
  const layout: Layout = { panel, group, bar: (group - 16) / SERIES.length };
  return svg([
    ...logGrid(),
    ...fleets.flatMap((trucks, f) =>
      fleetPanel(results, trucks, batches, LEFT + f * panel, layout),
    ),
    ...legend(),
  ]);
}

/** A horizontal line and a label at each power of ten. */
function logGrid(): string[] {
  return [0.1, 1, 10, 100, 1000].flatMap((tick) => [
    `<line x1="${LEFT}" x2="${WIDTH - 20}" y1="${y(tick)}" y2="${y(tick)}" stroke="#ddd"/>`,
    text(LEFT - 6, y(tick) + 4, String(tick), 'text-anchor="end"'),
  ]);
}

/** One fleet size's panel, starting at `x0`: its title, then a group per batch size. */
function fleetPanel(
  results: readonly ScaleResult[],
  trucks: number,
  batches: readonly number[],
  x0: number,
  layout: Layout,
): string[] {
  return [
    text(
      x0 + layout.panel / 2,
      TOP - 14,
      `${trucks.toLocaleString("en")} trucks`,
      'text-anchor="middle" font-weight="bold"',
    ),
    ...batches.flatMap((batchSize, b) =>
      batchGroup(results, trucks, batchSize, x0 + b * layout.group + 8, layout),
    ),
  ];
}

/** One batch size's group, starting at `gx`: its label, then a bar per series it has a case of. */
function batchGroup(
  results: readonly ScaleResult[],
  trucks: number,
  batchSize: number,
  gx: number,
  layout: Layout,
): string[] {
  const label = text(
    gx + (layout.group - 16) / 2,
    BOTTOM + 16,
    `batch ${batchSize.toLocaleString("en")}`,
    'text-anchor="middle"',
  );
  const bars = SERIES.flatMap((s, i) => {
    const r = results.find(
      (c) =>
        c.trucks === trucks &&
        c.batchSize === batchSize &&
        c.partitionKey === s.partitionKey &&
        c.shards === s.shards,
    );
    return r === undefined ? [] : [barOf(r, s, gx + i * layout.bar, layout.bar)];
  });
  return [label, ...bars];
}

/** One case's bar, from the axis up to its writes per 1,000 events, with a tooltip. */
function barOf(r: ScaleResult, s: Series, x: number, width: number): string {
  const top = y(r.writesPer1000);
  return `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(width - 1).toFixed(1)}" height="${(BOTTOM - top).toFixed(1)}" fill="${s.colour}"><title>${s.label}, ${r.trucks} trucks, batch ${r.batchSize}: ${r.writesPer1000.toFixed(1)} writes per 1,000 events</title></rect>`;
}

function legend(): string[] {
  return SERIES.flatMap((s, i) => {
    const lx = LEFT + i * 200;
    return [
      `<rect x="${lx}" y="${HEIGHT - 26}" width="12" height="12" fill="${s.colour}"/>`,
      text(lx + 16, HEIGHT - 16, s.label),
    ];
  });
}

/** The document around the chart's parts: its size, title, background and y-axis label. */
function svg(parts: readonly string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12" role="img" aria-labelledby="t">`,
    '<title id="t">DynamoDB writes per 1,000 events after pre-aggregation, by fleet size, batch size, partition key and shard count (log scale)</title>',
    '<rect width="100%" height="100%" fill="white"/>',
    text(
      14,
      (TOP + BOTTOM) / 2,
      "writes per 1,000 events (log)",
      `transform="rotate(-90 14 ${(TOP + BOTTOM) / 2})" text-anchor="middle"`,
    ),
    ...parts,
    "</svg>",
  ].join("\n");
}
