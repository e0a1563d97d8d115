/**
 * ISO-8601 timestamps, normalised so that string order is time order.
 *
 * @module
 */

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/**
 * Normalises an ISO-8601 date-time with `Z` or a `±HH:MM` offset and an
 * optional fraction of any length to UTC `YYYY-MM-DDTHH:mm:ss.sssZ`, or
 * returns `undefined` when the text is not such a timestamp or names an
 * impossible date or time (February 30th, hour 25). Fractions are truncated to
 * milliseconds, never rounded, so that normalisation never reorders two events.
 *
 * @example
 * ```ts
 * import { normaliseTimestamp } from "./timestamp.ts";
 * normaliseTimestamp("2018-01-12T13:42:00.123456+01:00"); // "2018-01-12T12:42:00.123Z"
 * normaliseTimestamp("2018-02-30T00:00:00Z"); // undefined
 * ```
 */
export function normaliseTimestamp(text: string): string | undefined {
  const match = ISO_8601.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction = "", zulu, sign, oh, om] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as number[];
  if (year === undefined || month === undefined || day === undefined) return undefined;
  if (hour === undefined || minute === undefined || second === undefined) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zulu === undefined) {
    const offsetHours = Number(oh);
    const offsetMins = Number(om);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (sign === "-" ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = Number(fraction.slice(0, 3).padEnd(3, "0"));
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offsetMinutes, second, millis);
  const iso = date.toISOString();
  // An offset can push a date at the edge of year 0000 or 9999 out of the fixed-width range.
  return iso.length === 24 ? iso : undefined;
}
