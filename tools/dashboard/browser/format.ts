/**
 * How values read on the page. Fixed to British English (the trucks are in
 * London and count miles) so every viewer sees the same figures.
 *
 * @module
 */

const integer = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });

/** `12,453 mi`. */
export function miles(n: number): string {
  return `${integer.format(n)} mi`;
}

/** `51.5208° N, 0.1592° W`: four decimals are about ten metres. */
export function position(latitude: number, longitude: number): string {
  const lat = `${Math.abs(latitude).toFixed(4)}° ${latitude < 0 ? "S" : "N"}`;
  const lon = `${Math.abs(longitude).toFixed(4)}° ${longitude < 0 ? "W" : "E"}`;
  return `${lat}, ${lon}`;
}

/** `2018-08-02 21:50:49` from a stored UTC timestamp; anything else unchanged. */
export function utcTime(timestamp: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(timestamp);
  return m === null ? timestamp : `${m[1]} ${m[2]}`;
}

/** `21:50:49` in the viewer's time zone. */
export function clock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString("en-GB", { hour12: false });
}

/**
 * A VIN short enough for a map label: the maker's code (first three
 * characters) and the last four of the serial number, e.g. `1HG…4352`.
 */
export function shortVin(vin: string): string {
  return vin.length > 8 ? `${vin.slice(0, 3)}…${vin.slice(-4)}` : vin;
}

/** How full the service interval is, in percent, clamped to 0–100 for drawing. */
export function serviceFill(milesSince: number, interval: number): number {
  if (!(interval > 0)) return 100;
  return Math.min(100, Math.max(0, (milesSince / interval) * 100));
}
