/**
 * decode's properties over generated input: it never throws, every valid
 * event round-trips, and any single corrupted or extra field is rejected
 * with that field's path.
 */
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decode } from "./decode.ts";
import { event } from "./testing/arbitraries.ts";
import { check } from "./testing/property.ts";

test("decode never throws on random bytes, text or JSON", async () => {
  const inputs = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.string({ unit: "binary", maxLength: 300 }),
    fc.json({ maxDepth: 4 }),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? "null"),
    fc.object().map((v) => JSON.stringify(v) ?? "null"),
  );
  await check(
    fc.property(inputs, (input) => {
      const result = decode(input);
      if (result.ok) return;
      assert.type(result.reason, "string");
      // The record as a whole is at fault exactly when it is not a JSON object.
      assert.is(result.group === "malformed", result.path === "", result.reason);
      if (result.group === "unknown-event") assert.is(result.path, "event");
      else assert.is(result.group, result.path === "" ? "malformed" : "invalid-field");
    }),
    2000,
  );
});

test("every valid event round-trips through its JSON", async () => {
  await check(
    fc.property(event(), (e) => {
      assert.equal(decode(new TextEncoder().encode(JSON.stringify(e))), { ok: true, event: e });
    }),
    1000,
  );
});

/** Every path to a value inside `value`, objects included. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== "object" || value === null) return [prefix];
  const nested = Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]));
  return prefix.length === 0 ? nested : [prefix, ...nested];
}

function replaced(value: unknown, path: string[], by: unknown): unknown {
  const [head, ...tail] = path;
  if (head === undefined) return by;
  const copy = { ...(value as Record<string, unknown>) };
  copy[head] = replaced(copy[head], tail, by);
  return copy;
}

const at = (value: unknown, path: string[]) =>
  path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], value);

/** Values that no field of the original's type accepts (the same type only where always invalid). */
function corruptions(original: unknown): unknown[] {
  const always = [undefined, null, [], {}];
  if (typeof original === "string") return [...always, "", 1, true];
  if (typeof original === "number") return [...always, "1", true, Number.POSITIVE_INFINITY];
  if (typeof original === "boolean") return [...always, "true", 0];
  return [...always, "x", 1, true];
}

test("every single-field corruption is rejected with that field's path", async () => {
  const corrupted = event().chain((e) =>
    fc
      .constantFrom(...paths(e))
      .chain((path) =>
        fc.tuple(fc.constant(e), fc.constant(path), fc.constantFrom(...corruptions(at(e, path)))),
      ),
  );
  await check(
    fc.property(corrupted, ([e, path, bad]) => {
      const result = decode(JSON.stringify(replaced(e, path, bad)));
      const name = path.join(".");
      assert.is(result.ok, false, `${name} = ${JSON.stringify(bad)} was accepted`);
      if (result.ok) return;
      // An object replaced by {} is reported at its first missing field.
      const about = result.path === name || result.path.startsWith(`${name}.`);
      assert.ok(about, `${result.reason} is not about ${name}`);
      assert.ok(result.reason.startsWith(`${result.path}: `), result.reason);
    }),
    1000,
  );
});

test("an extra field anywhere is rejected with its path", async () => {
  const withExtra = event().chain((e) =>
    fc.tuple(
      fc.constant(e),
      fc.constantFrom(...paths(e).filter((p) => typeof at(e, p) === "object"), []),
    ),
  );
  await check(
    fc.property(withExtra, ([e, path]) => {
      const text = JSON.stringify(replaced(e, path, { ...(at(e, path) as object), extra: 1 }));
      const name = [...path, "extra"].join(".");
      const reason = `${name}: unexpected field`;
      assert.equal(decode(text), { ok: false, path: name, group: "invalid-field", reason });
    }),
    1000,
  );
});

test.run();
