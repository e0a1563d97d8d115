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

/** The digit at `i` of `text`, or NaN when it is not a digit. */
function digit(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
}

function digits(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) n = n * 10 + digit(text, i);
  return n;
}

/** The common wire form `YYYY-MM-DDTHH:mm:ssZ`, checked without a regex or a Date. */
function wholeSecondsZ(text: string): string | undefined {
  const separators =
    text[4] === "-" && text[7] === "-" && text[10] === "T" && text[13] === ":" && text[16] === ":";
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  // NaN (a non-digit) fails every comparison below.
  if (!separators || !(month >= 1 && month <= 12 && day >= 1)) return undefined;
  if (!(year >= 0 && day <= daysInMonth(year, month))) return undefined;
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return undefined;
  return `${text.slice(0, 19)}.000Z`;
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
  if (text.length === 20 && text.charCodeAt(19) === 90 /* Z */) return wholeSecondsZ(text);
  const match = ISO_8601.exec(text);
  if (match === null) return undefined;
  const [, y = "", mo = "", d = "", h = "", mi = "", s = "", fraction = "", zulu, sign, oh, om] =
    match;
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const millis = fraction.slice(0, 3).padEnd(3, "0");
  // Already UTC: the fields are validated and zero-padded, no date arithmetic needed.
  if (zulu !== undefined) return `${y}-${mo}-${d}T${h}:${mi}:${s}.${millis}Z`;
  const offsetHours = Number(oh);
  const offsetMinutes = Number(om);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offset = (sign === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(Number(h), Number(mi) - offset, Number(s), Number(millis));
  const iso = date.toISOString();
  // An offset can push a date at the edge of year 0000 or 9999 out of the fixed-width range.
  return iso.length === 24 ? iso : undefined;
}
