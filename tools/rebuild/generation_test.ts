import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  baseOf,
  generationOf,
  ORIGINAL,
  parseGenerations,
  tableOf,
  withActive,
  without,
} from "./generation.ts";

test("a generation is the rebuild's start, in Terraform's alphabet", () => {
  const g = generationOf(new Date("2026-12-01T23:50:12.345Z"));
  assert.is(g, "20261201t235012");
  assert.match(g, /^[a-z0-9]{0,24}$/);
  assert.is(tableOf("oops-trucks", g), "oops-trucks-20261201t235012");
  assert.is(tableOf("dev-oops-trucks", ""), "dev-oops-trucks");
  assert.is(baseOf("oops-trucks-20261201t235012", g), "oops-trucks");
  assert.is(baseOf("dev-oops-trucks", ""), "dev-oops-trucks");
});

test("no file: the original table only; a bad file is named", () => {
  assert.equal(parseGenerations(undefined, "f"), ORIGINAL);
  assert.throws(
    () => parseGenerations('{"table_generations":["A"]}', "f.json"),
    /f\.json: expected/,
  );
});

test("a rebuild adds and activates; a drop removes, never the active one", () => {
  const two = withActive(ORIGINAL, "20261201t235012");
  assert.equal(two, {
    table_generations: ["", "20261201t235012"],
    active_table_generation: "20261201t235012",
  });
  assert.equal(without(two, ""), {
    table_generations: ["20261201t235012"],
    active_table_generation: "20261201t235012",
  });
  assert.throws(() => without(two, "20261201t235012"), /is the active table/);
  assert.equal(withActive(two, ""), {
    table_generations: ["20261201t235012", ""],
    active_table_generation: "",
  });
});

test.run();
