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

/** Renders the chart; `results` must hold every case of `scaleCases()`. */
export function scaleChart(results: readonly ScaleResult[]): string {
  const fleets = [...new Set(results.map((r) => r.trucks))];
  const batches = [...new Set(results.map((r) => r.batchSize))];
  const panel = (WIDTH - LEFT - 20) / fleets.length;
  const group = panel / batches.length;
  const bar = (group - 16) / SERIES.length;
  const parts: string[] = [];
  for (const tick of [0.1, 1, 10, 100, 1000]) {
    parts.push(
      `<line x1="${LEFT}" x2="${WIDTH - 20}" y1="${y(tick)}" y2="${y(tick)}" stroke="#ddd"/>`,
    );
    parts.push(text(LEFT - 6, y(tick) + 4, String(tick), 'text-anchor="end"'));
  }
  fleets.forEach((trucks, f) => {
    const x0 = LEFT + f * panel;
    parts.push(
      text(
        x0 + panel / 2,
        TOP - 14,
        `${trucks.toLocaleString("en")} trucks`,
        'text-anchor="middle" font-weight="bold"',
      ),
    );
    batches.forEach((batchSize, b) => {
      const gx = x0 + b * group + 8;
      parts.push(
        text(
          gx + (group - 16) / 2,
          BOTTOM + 16,
          `batch ${batchSize.toLocaleString("en")}`,
          'text-anchor="middle"',
        ),
      );
      SERIES.forEach((s, i) => {
        const r = results.find(
          (c) =>
            c.trucks === trucks &&
            c.batchSize === batchSize &&
            c.partitionKey === s.partitionKey &&
            c.shards === s.shards,
        );
        if (r === undefined) return;
        const top = y(r.writesPer1000);
        parts.push(
          `<rect x="${(gx + i * bar).toFixed(1)}" y="${top.toFixed(1)}" width="${(bar - 1).toFixed(1)}" height="${(BOTTOM - top).toFixed(1)}" fill="${s.colour}"><title>${s.label}, ${trucks} trucks, batch ${batchSize}: ${r.writesPer1000.toFixed(1)} writes per 1,000 events</title></rect>`,
        );
      });
    });
  });
  SERIES.forEach((s, i) => {
    const lx = LEFT + i * 200;
    parts.push(`<rect x="${lx}" y="${HEIGHT - 26}" width="12" height="12" fill="${s.colour}"/>`);
    parts.push(text(lx + 16, HEIGHT - 16, s.label));
  });
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
