import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseLocalArgs } from "./local_options.ts";

test("defaults: the documented ports, a generator at 1 event/s, in memory", () => {
  assert.equal(parseLocalArgs([], {}, true), {
    kinesisPort: 4567,
    dynamodbPort: 8000,
    s3Port: 4568,
    dashboardPort: 8080,
    rate: 1,
    seed: undefined,
    region: "us-east-1",
    fresh: false,
    persist: false,
    stateDir: ".local",
    live: true,
    help: false,
  });
});

test("environment variables set the ports, flags win over them", () => {
  const env = { KINESIS_PORT: "4600", DYNAMODB_PORT: "8100", AWS_REGION: "eu-west-1" };
  const options = parseLocalArgs(["--dynamodb-port", "8200"], env, true);
  assert.is(options.kinesisPort, 4600);
  assert.is(options.dynamodbPort, 8200);
  assert.is(options.region, "eu-west-1");
});

test("switches", () => {
  const options = parseLocalArgs(
    ["--no-dashboard", "--no-generator", "--persist", "--fresh", "--plain", "--seed", "7"],
    {},
    true,
  );
  assert.is(options.dashboardPort, undefined);
  assert.is(options.rate, undefined);
  assert.is(options.seed, 7);
  assert.ok(options.persist && options.fresh);
  assert.is(options.live, false);
  assert.is(parseLocalArgs(["--rate", "2.5"], {}, false).rate, 2.5);
  assert.is(parseLocalArgs([], {}, false).live, false, "not a terminal: no redrawing");
});

test("bad values are named", () => {
  const fails = (argv: string[], message: RegExp, env = {}) =>
    assert.throws(() => parseLocalArgs(argv, env, true), message);
  fails(["--kinesis-port", "http"], /--kinesis-port: expected a number/);
  fails([], /--kinesis-port: expected a number in 0\.\.65535, got "99999"/, {
    KINESIS_PORT: "99999",
  });
  fails(["--dynamodb-port", "1.5"], /--dynamodb-port: expected a port/);
  fails(["--rate", "0"], /--rate: expected a number above 0/);
  fails(["--dynamodb-port", "4567"], /ports must differ/);
  fails(["--wat"], /wat/);
});

test.run();
