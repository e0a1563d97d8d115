import { test } from "uvu";
import * as assert from "uvu/assert";
import { miles, position, serviceFill, shortVin, utcTime } from "./format.ts";

test("values read the same for every viewer", () => {
  assert.is(miles(12453), "12,453 mi");
  assert.is(position(51.5208046, -0.1592323), "51.5208° N, 0.1592° W");
  assert.is(position(-33.9, 151.2), "33.9000° S, 151.2000° E");
  assert.is(utcTime("2018-08-02T21:50:49.000Z"), "2018-08-02 21:50:49");
  assert.is(utcTime("<b>not a time</b>"), "<b>not a time</b>");
  assert.is(shortVin("1HGCM82633A004352"), "1HG…4352");
  assert.is(shortVin("SHORT"), "SHORT");
});

test("the service bar is clamped for drawing", () => {
  assert.is(serviceFill(250, 1_000), 25);
  assert.is(serviceFill(1_500, 1_000), 100);
  assert.is(serviceFill(-5, 1_000), 0);
  assert.is(serviceFill(5, 0), 100);
});

test.run();
