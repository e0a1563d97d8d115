/**
 * An equirectangular projection fitted to a set of points: longitude scaled
 * by the cosine of the middle latitude, so that a small area (a city) keeps
 * its shape. No tiles, no library: enough to see where trucks are relative
 * to each other and to the depots.
 *
 * @module
 */

export type LatLon = { latitude: number; longitude: number };
export type Point = { x: number; y: number };

/** A drawing area, in SVG user units. */
export type Frame = { width: number; height: number; padding: number };

export type Projection = {
  project(p: LatLon): Point;
  /** The area covered by the frame's inner box, in degrees. */
  south: number;
  north: number;
  west: number;
  east: number;
};

/** Smallest span shown, in degrees (about 1 km), so a single point gets a sensible zoom. */
const MIN_SPAN = 0.01;

/** Fits `points` (at least one) into `frame`, centred, keeping the aspect ratio. */
export function fit(points: readonly LatLon[], frame: Frame): Projection {
  if (points.length === 0) throw new RangeError("fit: no points");
  const lats = points.map((p) => p.latitude);
  const lons = points.map((p) => p.longitude);
  const [south, north] = span(Math.min(...lats), Math.max(...lats));
  const mid = (south + north) / 2;
  const k = Math.max(Math.cos((mid * Math.PI) / 180), 0.01);
  const [west, east] = span(Math.min(...lons), Math.max(...lons), MIN_SPAN / k);
  const innerW = frame.width - 2 * frame.padding;
  const innerH = frame.height - 2 * frame.padding;
  const scale = Math.min(innerW / ((east - west) * k), innerH / (north - south));
  const x0 = frame.padding + (innerW - (east - west) * k * scale) / 2;
  const y0 = frame.padding + (innerH - (north - south) * scale) / 2;
  const project = (p: LatLon): Point => ({
    x: x0 + (p.longitude - west) * k * scale,
    y: y0 + (north - p.latitude) * scale,
  });
  // What the whole inner box covers, which is more than the points on one axis.
  const southOfBox = north - (innerH - (y0 - frame.padding)) / scale;
  const eastOfBox = west + (innerW - (x0 - frame.padding)) / (k * scale);
  return {
    project,
    south: southOfBox,
    north: north + (y0 - frame.padding) / scale,
    west: west - (x0 - frame.padding) / (k * scale),
    east: eastOfBox,
  };
}

/** `[min, max]` widened symmetrically to at least `minimum`. */
function span(min: number, max: number, minimum = MIN_SPAN): [number, number] {
  const grow = Math.max(0, minimum - (max - min)) / 2;
  return [min - grow, max + grow];
}

/** Round values (steps of 1, 2 or 5 × 10ⁿ) inside `[min, max]`, about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  const eps = step * 1e-9; // 51.47 / 0.01 is 5146.999…
  for (let i = Math.ceil((min - eps) / step); i * step <= max + eps; i++) {
    ticks.push(Number((i * step).toFixed(12)));
  }
  return ticks;
}
