/**
 * The subset of DynamoDB's expression language that the handler's plans and
 * the chapter's writer use, evaluated on a plain item: conditions with AND,
 * OR, parentheses, `attribute_not_exists`, `<`, `<=` and `=`, and updates of
 * the form `SET #a = :a, #b = :b`. An interpreter written from DynamoDB's
 * documentation, not from `plan.ts`, so that a test of a plan against it
 * checks the plan. Anything outside that subset throws. For tests and for
 * the bench's table model only.
 *
 * @module
 */

import type { Item } from "../item.ts";

/** An expression's placeholders: `ExpressionAttributeNames` and unmarshalled values. */
export interface Placeholders {
  readonly names: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, unknown>>;
}

const TOKEN = /\(|\)|<=|<|=|[#:][A-Za-z0-9_]+|attribute_not_exists|AND|OR/g;

/**
 * Compares like DynamoDB: numbers with numbers, strings with strings; any
 * other pair (a missing attribute, a number against a string) is false.
 */
function compare(left: unknown, op: string, right: unknown): boolean {
  const comparable =
    (typeof left === "number" && typeof right === "number") ||
    (typeof left === "string" && typeof right === "string");
  if (!comparable) return false;
  const [a, b] = [left, right] as [number, number];
  return op === "<" ? a < b : op === "<=" ? a <= b : a === b;
}

/**
 * Whether `condition` holds for `item` (absent: `{}`).
 *
 * @example
 * ```ts
 * import { conditionHolds } from "./expressions.ts";
 * const p = { names: { "#m": "mileage" }, values: { ":m": 10 } };
 * conditionHolds("attribute_not_exists(#m) OR #m < :m", p, { mileage: 12 }); // false
 * ```
 */
export function conditionHolds(condition: string, p: Placeholders, item: Item): boolean {
  if (condition.replace(TOKEN, "").trim() !== "") {
    throw new RangeError(`a condition outside the interpreted subset: ${condition}`);
  }
  const tokens = condition.match(TOKEN) ?? [];
  let i = 0;
  const next = () => tokens[i++] as string;
  const operand = (t: string) => (t.startsWith("#") ? item[p.names[t] as string] : p.values[t]);
  const primary = (): boolean => {
    const t = next();
    if (t === "(") {
      const value = or();
      next(); // ")"
      return value;
    }
    if (t === "attribute_not_exists") {
      next();
      const absent = operand(next()) === undefined;
      next();
      return absent;
    }
    const [left, op, right] = [operand(t), next(), operand(next())];
    return compare(left, op, right);
  };
  const and = (): boolean => {
    let value = primary();
    while (tokens[i] === "AND") {
      next();
      value = primary() && value;
    }
    return value;
  };
  const or = (): boolean => {
    let value = and();
    while (tokens[i] === "OR") {
      next();
      value = and() || value;
    }
    return value;
  };
  return or();
}

/**
 * The item after DynamoDB applied the `SET` clauses of `update` to it.
 *
 * @example
 * ```ts
 * import { applyUpdate } from "./expressions.ts";
 * const p = { names: { "#m": "mileage" }, values: { ":m": 10 } };
 * applyUpdate("SET #m = :m", p, { vin: "1HGCM82633A004352" }); // { vin: "1HGCM82633A004352", mileage: 10 }
 * ```
 */
export function applyUpdate(update: string, p: Placeholders, item: Item): Item {
  if (!/^SET [#:\w]+ = [#:\w]+(, [#:\w]+ = [#:\w]+)*$/.test(update)) {
    throw new RangeError(`an update outside the interpreted subset: ${update}`);
  }
  const after: Record<string, unknown> = { ...item };
  for (const set of update.replace(/^SET /, "").split(", ")) {
    const [name, value] = set.split(" = ") as [string, string];
    after[p.names[name] as string] = p.values[value];
  }
  return after;
}
