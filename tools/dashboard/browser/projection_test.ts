import { test } from "uvu";
import * as assert from "uvu/assert";
import { DEPOTS } from "./depots.ts";
import { fit, niceTicks } from "./projection.ts";

const frame = { width: 800, height: 480, padding: 40 };

test("every point lands inside the padded frame, and the frame is used on one axis", () => {
  const { project } = fit(DEPOTS, frame);
  const xs = DEPOTS.map((d) => project(d).x);
  const ys = DEPOTS.map((d) => project(d).y);
  for (const x of xs) assert.ok(x >= 40 - 1e-9 && x <= 760 + 1e-9, `x ${x}`);
  for (const y of ys) assert.ok(y >= 40 - 1e-9 && y <= 440 + 1e-9, `y ${y}`);
  const filledX = Math.max(...xs) - Math.min(...xs);
  const filledY = Math.max(...ys) - Math.min(...ys);
  assert.ok(Math.abs(filledX - 720) < 1e-6 || Math.abs(filledY - 400) < 1e-6);
});

test("north is up, east is right, and shapes keep their aspect at London's latitude", () => {
  const { project } = fit(
    [
      { latitude: 51.5, longitude: -0.1 },
      { latitude: 51.51, longitude: -0.1 + 0.01 / Math.cos((51.505 * Math.PI) / 180) },
    ],
    frame,
  );
  const sw = project({ latitude: 51.5, longitude: -0.1 });
  const ne = project({
    latitude: 51.51,
    longitude: -0.1 + 0.01 / Math.cos((51.505 * Math.PI) / 180),
  });
  assert.ok(ne.y < sw.y && ne.x > sw.x);
  assert.ok(Math.abs(ne.x - sw.x - (sw.y - ne.y)) < 1e-6, "a square stays a square");
});

test("a single point is centred with a sensible zoom", () => {
  const p = fit([{ latitude: 51.5, longitude: -0.1 }], frame).project({
    latitude: 51.5,
    longitude: -0.1,
  });
  assert.ok(Math.abs(p.x - 400) < 1e-6 && Math.abs(p.y - 240) < 1e-6);
});

test("the reported bounds are those of the padded box", () => {
  const proj = fit(DEPOTS, frame);
  const nw = proj.project({ latitude: proj.north, longitude: proj.west });
  const se = proj.project({ latitude: proj.south, longitude: proj.east });
  assert.ok(Math.abs(nw.x - 40) < 1e-6 && Math.abs(nw.y - 40) < 1e-6);
  assert.ok(Math.abs(se.x - 760) < 1e-6 && Math.abs(se.y - 440) < 1e-6);
});

test("nice ticks are round and inside the range", () => {
  assert.equal(niceTicks(51.47, 51.53, 5), [51.48, 51.5, 51.52]);
  assert.equal(niceTicks(-0.16, -0.08, 4), [-0.16, -0.14, -0.12, -0.1, -0.08]);
  assert.equal(niceTicks(1, 1), []);
});

test.run();
