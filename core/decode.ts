/**
 * Bytes to a typed OOPS event, or a rejection naming the field at fault.
 *
 * @module
 */

import type { EventName, OopsEvent } from "./event.ts";
import { isStorableNumber } from "./item.ts";
import { count, duplicateKey, mayRepeatKeys } from "./json.ts";
import { normaliseTimestamp } from "./timestamp.ts";

/**
 * The kind of fault, from a small fixed set (the reason is free text): what
 * metrics count and alarms watch. A climb in `unknown-event` or
 * `invalid-field` usually means a producer shipped a new event format;
 * `malformed` means bytes that are not a JSON object at all.
 */
export type RejectGroup = "malformed" | "unknown-event" | "invalid-field";

/** Why a record is not a valid OOPS event. */
export interface Rejection {
  readonly ok: false;
  /** Dotted path of the field at fault (`vehicle.mileage`); empty for the record as a whole. */
  readonly path: string;
  readonly group: RejectGroup;
  /** The path, what was expected and what was found: `vehicle.mileage: expected a non-negative integer, got -3`. */
  readonly reason: string;
}

/** A record that decoded. */
export interface Decoded {
  readonly ok: true;
  readonly event: OopsEvent;
}

/** What {@link decode} returns: never an exception. */
export type DecodeResult = Decoded | Rejection;

/** Thrown inside the validators only; {@link decode} turns it into a {@link Rejection}. */
class Invalid {
  constructor(
    readonly path: string,
    readonly problem: string,
    readonly group: RejectGroup = "invalid-field",
  ) {}
}

function expected(path: string, what: string, found: unknown, group?: RejectGroup): Invalid {
  return new Invalid(path, `expected ${what}, got ${describe(found)}`, group);
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Validates one value, throwing {@link Invalid}; returns it, normalised. */
type Check<T> = (value: unknown) => T;

/**
 * A check for a position in the schema. Built once per position, with its
 * path baked in, so that validating a valid event builds no strings.
 * `members` counts the object members (keys) a valid value holds, nested
 * ones included: the duplicate-key check compares it with the text.
 */
type Field<T> = ((path: string) => Check<T>) & { readonly members: number };

function leaf<T>(what: string, accepts: (value: unknown) => value is T): Field<T> {
  const field = (path: string) => (value: unknown) => {
    if (!accepts(value)) throw expected(path, what, value);
    return value;
  };
  return Object.assign(field, { members: 0 });
}

/**
 * A number within `accepts` that DynamoDB can store, whether or not the
 * table holds this field today: "no record that decode accepts may be
 * refused by the table" must not depend on which fields a release stores.
 * Adding 0 turns -0 into 0, so that equal coordinates are equal everywhere.
 */
function number(what: string, accepts: (n: number) => boolean): Field<number> {
  const storable = `${what}, 0 or of magnitude 1e-130 to below 1e126 (DynamoDB's range)`;
  const field = (path: string) => (value: unknown) => {
    if (typeof value !== "number" || !accepts(value)) throw expected(path, what, value);
    if (!isStorableNumber(value)) throw expected(path, storable, value);
    return value + 0;
  };
  return Object.assign(field, { members: 0 });
}

/** Safe integers are always storable: 0, or 1 to 2^53 - 1. */
const nonNegativeInteger = number(
  "a non-negative integer",
  (n) => Number.isSafeInteger(n) && n >= 0,
);
const degrees = (limit: number) =>
  number(`a number in [-${limit}, ${limit}]`, (n) => n >= -limit && n <= limit);
const finite = number("a finite number", Number.isFinite);

const string = (what: string, pattern: RegExp): Field<string> =>
  leaf(what, (v): v is string => typeof v === "string" && pattern.test(v));

const VIN = string("a 17-character VIN (digits and A-Z except I, O, Q)", /^[0-9A-HJ-NPR-Z]{17}$/);
const UUID = string("a UUID", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const nonEmptyString = string("a non-empty string", /./);
const boolean = leaf("true or false", (v): v is boolean => typeof v === "boolean");

const timestamp: Field<string> = Object.assign(
  (path: string) => (value: unknown) => {
    const normalised = typeof value === "string" ? normaliseTimestamp(value) : undefined;
    if (normalised === undefined) {
      throw expected(path, "an ISO-8601 date-time with Z or an offset", value);
    }
    return normalised;
  },
  { members: 0 },
);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const at = (path: string, key: string) => (path === "" ? key : `${path}.${key}`);

/**
 * An object with exactly these fields; an extra field is an error. One pass
 * over the record's own keys in wire order, so the first problem reported is
 * the first bad field of the record. Normalised values are written back into
 * the object, which is JSON.parse's fresh output and ours to change: no copy
 * per event.
 */
function object<T>(fields: { [K in keyof T]: Field<T[K]> }): Field<T> {
  const names = Object.keys(fields) as (keyof T & string)[];
  const members = names.reduce((n, name) => n + 1 + fields[name].members, 0);
  const field = (path: string): Check<T> => {
    const checks = new Map<string, Check<unknown>>(
      names.map((name) => [name, fields[name](at(path, name))]),
    );
    return (value) => {
      if (!isRecord(value)) throw expected(path, "an object", value);
      let present = 0;
      for (const key in value) {
        const check = checks.get(key);
        if (check === undefined) throw new Invalid(at(path, key), "unexpected field");
        const field = value[key];
        const checked = check(field);
        if (!Object.is(checked, field)) value[key] = checked;
        present++;
      }
      if (present !== names.length) {
        // A field is missing: its check reports it ("expected …, got nothing").
        const missing = names.find((name) => !Object.hasOwn(value, name)) as string;
        (checks.get(missing) as Check<unknown>)(undefined);
      }
      return value as T;
    };
  };
  return Object.assign(field, { members });
}

const literal = <T extends string>(name: T): Field<T> =>
  leaf(JSON.stringify(name), (v): v is T => v === name);

const vehicle = object({ vin: VIN, mileage: nonNegativeInteger });
const location = object({ latitude: degrees(90), longitude: degrees(180), elevation: finite });
const employee = object({ id: UUID, jobRole: nonEmptyString });
const parcel = object({ id: UUID });
const customer = object({ id: UUID, isVip: boolean });

const truckMoves = <T extends "TRUCK_ARRIVES" | "TRUCK_DEPARTS">(name: T) =>
  object({ event: literal(name), timestamp, vehicle, location });

const driverVisits = <T extends "DRIVER_DELIVERS_PACKAGE" | "DRIVER_MISSES_CUSTOMER">(name: T) =>
  object({ event: literal(name), timestamp, employee, package: parcel, customer, location });

const SCHEMAS: { readonly [N in EventName]: Field<Extract<OopsEvent, { event: N }>> } = {
  TRUCK_ARRIVES: truckMoves("TRUCK_ARRIVES"),
  TRUCK_DEPARTS: truckMoves("TRUCK_DEPARTS"),
  MECHANIC_CHANGES_OIL: object({
    event: literal("MECHANIC_CHANGES_OIL"),
    timestamp,
    employee,
    vehicle,
  }),
  DRIVER_DELIVERS_PACKAGE: driverVisits("DRIVER_DELIVERS_PACKAGE"),
  DRIVER_MISSES_CUSTOMER: driverVisits("DRIVER_MISSES_CUSTOMER"),
};

/** Each event's check, built once, and the number of members a valid one holds. */
const EVENTS = new Map(
  Object.entries(SCHEMAS).map(([name, schema]) => [
    name,
    { check: schema("") as Check<OopsEvent>, members: schema.members },
  ]),
);

const EVENT_LIST = [...EVENTS.keys()].join(", ");

/** A leading byte order mark stays in the text, to be refused by name (`parse`). */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function text(input: Uint8Array | string): string {
  try {
    return typeof input === "string" ? input : utf8.decode(input);
  } catch {
    throw new Invalid("", "expected UTF-8 text, got invalid UTF-8", "malformed");
  }
}

/**
 * JSON text to a value. A byte order mark is refused, not skipped: RFC 8259
 * forbids producers to send one, and readers differ on it (JSON.parse fails,
 * a TextDecoder strips it), so accepting it would make the same bytes valid
 * for some consumers of the stream and not for others.
 */
function parse(json: string): unknown {
  if (json.charCodeAt(0) === 0xfeff) {
    throw new Invalid(
      "",
      "expected JSON text, got a byte order mark (U+FEFF) before it",
      "malformed",
    );
  }
  try {
    return JSON.parse(json);
  } catch (error) {
    const found = (error as Error).message;
    throw new Invalid("", `expected one JSON document, got ${found}`, "malformed");
  }
}

/**
 * Colons in the string values of a valid event, timestamp normalised: its
 * two, and any in a job role (VINs, UUIDs and event names hold none).
 */
function colonsInStrings(event: OopsEvent): number {
  return "employee" in event ? 2 + count(event.employee.jobRole, ":") : 2;
}

function validate(value: unknown, json: string): OopsEvent {
  if (!isRecord(value)) throw expected("", "a JSON object", value, "malformed");
  const name = Object.hasOwn(value, "event") ? value.event : undefined;
  const schema = typeof name === "string" ? EVENTS.get(name) : undefined;
  if (schema === undefined) throw expected("event", `one of ${EVENT_LIST}`, name, "unknown-event");
  const event = schema.check(value);
  if (mayRepeatKeys(json, schema.members, colonsInStrings(event))) {
    const repeated = duplicateKey(json);
    if (repeated !== undefined) throw new Invalid(repeated, "duplicate field");
  }
  return event;
}

/**
 * Decodes one Kinesis record's data (UTF-8 JSON bytes, or text) into an OOPS
 * event, validating every field of the design card's wire format and
 * normalising the timestamp to UTC milliseconds. Never throws: anything else
 * becomes a {@link Rejection} whose reason names the field and what was
 * expected. Unknown fields are rejected too, so a producer's typo never passes
 * silently, and so are a key written twice in one object (`JSON.parse` would
 * keep the last, other readers the first), a leading byte order mark, and
 * any number DynamoDB could not store: a record that decodes is one every
 * reader agrees on and the table accepts.
 *
 * @example
 * ```ts
 * import { decode } from "./decode.ts";
 * const ok = decode('{"event":"TRUCK_ARRIVES","timestamp":"2018-01-12T12:42:00Z",' +
 *   '"vehicle":{"vin":"1HGCM82633A004352","mileage":33207},' +
 *   '"location":{"latitude":51.522834,"longitude":-0.081813,"elevation":7}}');
 * if (ok.ok) ok.event.timestamp; // "2018-01-12T12:42:00.000Z"
 * decode('{"event":"TRUCK_ARRIVES"}');
 * // { ok: false, path: "timestamp", group: "invalid-field", reason: "timestamp: expected ..." }
 * ```
 */
export function decode(input: Uint8Array | string): DecodeResult {
  try {
    const json = text(input);
    return { ok: true, event: validate(parse(json), json) };
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    const reason = `${error.path || "record"}: ${error.problem}`;
    return { ok: false, path: error.path, group: error.group, reason };
  }
}
