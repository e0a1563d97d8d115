import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { duplicateKey, mayRepeatKeys } from "./json.ts";
import { check } from "./testing/property.ts";

test("a key written twice is found at its path; the same key in two objects is not", () => {
  const cases: [string, string | undefined][] = [
    ['{"a":1,"a":2}', "a"],
    ['{"vehicle":{"mileage":-3,"mileage":5}}', "vehicle.mileage"],
    ['{"vehicle":{"mileage":1},"location":{"mileage":2}}', undefined],
    ['{"a":{"b":1},"b":2}', undefined],
    ['{"mil\\u0065age":1,"mileage":2}', "mileage"],
    ['{"a":"\\"a\\":1","b":2}', undefined],
    ['{"a":"x\\\\","a":2}', "a"],
    ['{ "a" : 1 ,\n "a"\t: 2 }', "a"],
    ['{"a":[{"b":1,"b":2}]}', "a.b"],
    ['{"a":[1,{"b":1}],"c":[{"b":2}]}', undefined],
    ["[1,2,3]", undefined],
    ['"a"', undefined],
    ["{}", undefined],
  ];
  for (const [text, expected] of cases) assert.is(duplicateKey(text), expected, text);
});

/** A JSON value with one object's key written twice, and where: the independent side of the test. */
interface Repeated {
  readonly text: string;
  readonly path: string;
}

/** Members and colons in keys and string values of a parsed value. */
function tally(value: unknown): { members: number; colons: number } {
  const colons = (s: string) => s.split(":").length - 1;
  if (typeof value === "string") return { members: 0, colons: colons(value) };
  if (typeof value !== "object" || value === null) return { members: 0, colons: 0 };
  let members = 0;
  let inner = 0;
  for (const [key, child] of Object.entries(value)) {
    const t = tally(child);
    members += Array.isArray(value) ? t.members : 1 + t.members;
    inner += (Array.isArray(value) ? 0 : colons(key)) + t.colons;
  }
  return { members, colons: inner };
}

/** Objects with keys that collide with JSON's syntax: quotes, colons, backslashes, braces. */
const json = fc.jsonValue({
  maxDepth: 3,
  stringUnit: fc.constantFrom("a", "b", ":", '"', "\\", "{", "}", "[", " ", "é"),
});

/** Serialises `value`, writing the key at `pick` (in serialisation order) twice, first with `first`. */
function withRepeat(
  value: unknown,
  pick: number,
  first: unknown,
  spaced: boolean,
): Repeated | undefined {
  let seen = 0;
  let found: string | undefined;
  const colon = spaced ? " : " : ":";
  const write = (v: unknown, path: string): string => {
    if (typeof v !== "object" || v === null) return JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map((x) => write(x, path)).join(",")}]`;
    const members = Object.entries(v).map(([key, child]) => {
      const here = path === "" ? key : `${path}.${key}`;
      const own = `${JSON.stringify(key)}${colon}${write(child, here)}`;
      if (seen++ !== pick) return own;
      found ??= here;
      return `${JSON.stringify(key)}${colon}${JSON.stringify(first)},${own}`;
    });
    return `{${members.join(",")}}`;
  };
  const text = write(value, "");
  return found === undefined ? undefined : { text, path: found };
}

test("a repeat anywhere is found at its path, whatever the keys and values hold", async () => {
  const cases = fc
    .tuple(json, fc.nat(), json, fc.boolean())
    .map(([value, pick, first, spaced]) => withRepeat(value, pick % 50, first, spaced))
    .filter((r): r is Repeated => r !== undefined);
  await check(
    fc.property(cases, ({ text, path }) => {
      assert.is(duplicateKey(text), path, text);
      const { members, colons } = tally(JSON.parse(text));
      assert.ok(mayRepeatKeys(text, members, colons), `the fast check missed ${text}`);
    }),
    2000,
  );
});

test("text with no repeated key passes, and the fast check agrees when it has no escapes", async () => {
  await check(
    fc.property(json, fc.boolean(), (value, pretty) => {
      const text = JSON.stringify(value, null, pretty ? 2 : undefined);
      assert.is(duplicateKey(text), undefined, text);
      const { members, colons } = tally(value);
      if (!text.includes("\\")) assert.not.ok(mayRepeatKeys(text, members, colons), text);
    }),
    2000,
  );
});

test("an object of 100,000 keys is scanned in linear time", () => {
  const keys = Array.from({ length: 100_000 }, (_, i) => `"k${i}":0`);
  const started = performance.now();
  assert.is(duplicateKey(`{${keys.join(",")},"k7":1}`), "k7");
  assert.ok(performance.now() - started < 10_000, "a quadratic scan would take minutes");
});

test.run();
