import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseOptions } from "./options.ts";

const error = (argv: string[]) => {
  const parsed = parseOptions(argv);
  return parsed.ok ? "(parsed)" : parsed.error;
};

test("no arguments: forward from 2018-01-01, 1 event/s, random keys, unbounded, random seed", () => {
  assert.equal(parseOptions([]), {
    ok: true,
    values: {
      direction: "forward",
      rate: 1,
      start: new Date("2018-01-01T00:00:00Z"),
      help: false,
      partitionKey: "random",
    },
  });
});

test("every option, as make generate DIR=backwards ARGS=... passes them", () => {
  const argv = ["backwards", "--count", "10", "--rate", "0", "--seed", "42"];
  argv.push("--start", "2018-03-06T01:39:00+01:00", "--stream", "s", "--region", "eu-west-1");
  argv.push("--partition-key", "vin");
  assert.equal(parseOptions(argv), {
    ok: true,
    values: {
      direction: "backwards",
      count: 10,
      rate: 0,
      seed: 42,
      start: new Date("2018-03-06T00:39:00Z"),
      stream: "s",
      region: "eu-west-1",
      partitionKey: "vin",
      help: false,
    },
  });
  const short = parseOptions(["--rate=2.5", "-h"]);
  assert.equal(short.ok && [short.values.rate, short.values.help], [2.5, true]);
});

test("bad values get one line naming the option, the expectation and the input", () => {
  assert.is(error(["--rate", "x"]), '--rate: expected a number >= 0, got "x"');
  assert.is(error(["--rate", "0x10"]), '--rate: expected a number >= 0, got "0x10"');
  assert.is(error(["--rate=-1"]), '--rate: expected a number >= 0, got "-1"');
  assert.is(error(["--count", "0"]), "--count: expected an integer >= 1, got 0");
  assert.is(error(["--count", "1.5"]), '--count: expected an integer >= 1, got "1.5"');
  assert.is(
    error(["--seed", "4294967296"]),
    "--seed: expected an integer in 0..4294967295, got 4294967296",
  );
  assert.match(
    error(["--start", "yesterday"]),
    /^--start: expected an ISO-8601 date-time .*got "yesterday"$/,
  );
  assert.is(error(["--start", "2018-02-30T00:00:00Z"]).startsWith("--start: expected"), true);
  assert.is(
    error(["--partition-key", "shard"]),
    '--partition-key: expected random or vin, got "shard"',
  );
  assert.is(error(["--stream="]), '--stream: expected a stream name, got ""');
});

test("bad shapes of the command line are named too", () => {
  assert.is(error(["sideways"]), 'direction: expected "forward" or "backwards", got "sideways"');
  assert.is(
    error(["forward", "backwards"]),
    "expected at most one direction, got forward backwards",
  );
  assert.is(error(["--fast"]), "unknown option --fast");
  assert.is(error(["--count"]), "--count: expected a value");
  assert.is(
    error(["--count", "-5"]),
    '--count: for a value starting with "-", write --count=VALUE',
  );
});

test.run();
