import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseConfig } from "./config.ts";

test("defaults the tuning knobs and leaves the rejects stream out", () => {
  assert.equal(parseConfig({ TABLE_NAME: "oops-trucks" }), {
    tableName: "oops-trucks",
    rejectsStreamName: undefined,
    maxConcurrentWrites: 16,
    sdkMaxAttempts: 3,
    floorMaxTrucks: 10_000,
    floorTtlSeconds: 600,
  });
});

test("reads every variable", () => {
  const config = parseConfig({
    TABLE_NAME: "t",
    REJECTS_STREAM_NAME: "oops-events-rejected",
    MAX_CONCURRENT_WRITES: "100",
    SDK_MAX_ATTEMPTS: "1",
    FLOOR_MAX_TRUCKS: "0",
    FLOOR_TTL_SECONDS: "86400",
  });
  assert.equal(config, {
    tableName: "t",
    rejectsStreamName: "oops-events-rejected",
    maxConcurrentWrites: 100,
    sdkMaxAttempts: 1,
    floorMaxTrucks: 0,
    floorTtlSeconds: 86_400,
  });
});

test("an empty optional variable counts as unset", () => {
  const config = parseConfig({ TABLE_NAME: "t", REJECTS_STREAM_NAME: "", SDK_MAX_ATTEMPTS: "" });
  assert.is(config.rejectsStreamName, undefined);
  assert.is(config.sdkMaxAttempts, 3);
});

const fails = (env: Record<string, string | undefined>, message: RegExp) =>
  assert.throws(() => parseConfig(env), message);

test("a missing or empty TABLE_NAME is named", () => {
  fails({}, /invalid configuration: TABLE_NAME: expected a non-empty string, got nothing/);
  fails({ TABLE_NAME: "" }, /TABLE_NAME: expected a non-empty string, got ""/);
});

test("out-of-range or non-integer tuning is named with its range", () => {
  for (const bad of ["0", "101", "abc", "1.5", "-1", " 4"]) {
    fails(
      { TABLE_NAME: "t", MAX_CONCURRENT_WRITES: bad },
      /MAX_CONCURRENT_WRITES: expected an integer in 1\.\.100, got /,
    );
  }
  fails(
    { TABLE_NAME: "t", SDK_MAX_ATTEMPTS: "11" },
    /SDK_MAX_ATTEMPTS: expected an integer in 1\.\.10, got 11/,
  );
  fails(
    { TABLE_NAME: "t", FLOOR_MAX_TRUCKS: "100001" },
    /FLOOR_MAX_TRUCKS: expected an integer in 0\.\.100000, got 100001/,
  );
  fails(
    { TABLE_NAME: "t", FLOOR_TTL_SECONDS: "0" },
    /FLOOR_TTL_SECONDS: expected an integer in 1\.\.86400, got 0/,
  );
});

test("every bad variable is reported at once", () => {
  fails({ MAX_CONCURRENT_WRITES: "0" }, /TABLE_NAME: .*; MAX_CONCURRENT_WRITES: /);
});

test.run();
