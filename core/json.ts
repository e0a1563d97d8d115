/**
 * The one JSON check `JSON.parse` does not make: a key repeated within one
 * object. `JSON.parse` keeps the last value (`"mileage":-3,"mileage":5` reads
 * as 5), while another consumer of the same bytes may keep the first or
 * refuse the record; a record that means different things to different
 * readers is rejected rather than guessed at.
 *
 * @module
 */

const BACKSLASH = 92;
const COLON = 58;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;

function isWhitespace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Index of the quote that closes the string opened at `open` (skips escaped quotes). */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

/** An open object (its keys so far) or array (`undefined`), with the key it hangs from. */
interface Level {
  readonly keys: Set<string> | undefined;
  readonly path: string;
  /** The last key read in this object: the parent of what opens next. */
  key: string;
}

/**
 * The dotted path of the first key that appears twice in one object of
 * `text`, or `undefined` when every object's keys are distinct. `text` must
 * be a JSON document that `JSON.parse` accepted. Keys are compared after
 * unescaping (`"mil\u0065age"` repeats `"mileage"`).
 *
 * Fast enough to run on every record: the scan jumps from quote to quote
 * with `indexOf` and looks at single characters only between strings.
 *
 * @example
 * ```ts
 * import { duplicateKey } from "./json.ts";
 * duplicateKey('{"vehicle":{"mileage":-3,"mileage":5}}'); // "vehicle.mileage"
 * duplicateKey('{"a":{"b":1},"b":2}'); // undefined
 * ```
 */
export function duplicateKey(text: string): string | undefined {
  const levels: Level[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('"', from);
    const structureEnd = open < 0 ? text.length : open;
    for (let i = from; i < structureEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        const parent = levels[levels.length - 1];
        const path =
          parent === undefined ? "" : parent.keys === undefined ? parent.path : at(parent);
        levels.push({ keys: c === OPEN_OBJECT ? new Set() : undefined, path, key: "" });
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        levels.pop();
      }
    }
    if (open < 0) return undefined;
    const close = closingQuote(text, open);
    let next = close + 1;
    while (isWhitespace(text.charCodeAt(next))) next++;
    const level = levels[levels.length - 1];
    if (text.charCodeAt(next) === COLON && level?.keys !== undefined) {
      const raw = text.slice(open + 1, close);
      const key = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
      level.key = key;
      if (level.keys.has(key)) return at(level);
      level.keys.add(key);
    }
    from = close + 1;
  }
}

function at(level: Level): string {
  return level.path === "" ? level.key : `${level.path}.${level.key}`;
}

/**
 * False when `text` certainly repeats no key, decided by native string
 * searches; true when {@link duplicateKey} must look. `members` is the
 * number of object members (keys) in `JSON.parse(text)`, nested ones
 * included; `colonsInStrings` is at most the number of colons its keys and
 * string values hold, and equals it when they are unchanged since parsing.
 *
 * Outside strings a colon follows each member's key, so a text without
 * escapes (where a string holds exactly the colons written in it) has
 * `members + colonsInStrings` colons when every key is written once, and
 * more when a key is written twice: the extra member brings its own colon.
 */
export function mayRepeatKeys(text: string, members: number, colonsInStrings: number): boolean {
  if (text.includes("\\")) return true;
  return count(text, ":") !== members + colonsInStrings;
}

/** Occurrences of a one-character `needle` in `text`. */
export function count(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) n++;
  return n;
}
