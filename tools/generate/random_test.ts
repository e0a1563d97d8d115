import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRandom, MAX_SEED } from "./random.ts";

test("a seed fixes the sequence", () => {
  const draw = (seed: number) => Array.from({ length: 5 }, createRandom(seed).next);
  assert.equal(draw(1), draw(1));
  assert.not.equal(draw(1), draw(2));
});

test("int covers [min, max] and nothing else, about evenly", () => {
  const random = createRandom(MAX_SEED);
  const counts = new Map<number, number>();
  for (let i = 0; i < 31_000; i++) {
    const n = random.int(0, 30);
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  assert.equal(
    [...counts.keys()].sort((a, b) => a - b),
    Array.from({ length: 31 }, (_, i) => i),
  );
  for (const count of counts.values()) assert.ok(count > 800 && count < 1200, `${count}`);
});

test("pick draws from the array and refuses an empty one", () => {
  const random = createRandom(0);
  for (let i = 0; i < 100; i++) assert.ok(["a", "b"].includes(random.pick(["a", "b"])));
  assert.throws(() => random.pick([]), /non-empty/);
});

test("seeds outside 0..2^32-1 are refused", () => {
  for (const seed of [-1, 1.5, MAX_SEED + 1, Number.NaN]) {
    assert.throws(() => createRandom(seed), /seed: expected an integer/);
  }
});

test.run();
