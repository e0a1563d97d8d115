import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseFlags } from "./flags.ts";

test("no flags: the documented defaults, bound to this machine only", () => {
  assert.equal(parseFlags([]), {
    ok: true,
    values: {
      port: 8080,
      host: "127.0.0.1",
      refreshMs: 1_000,
      serviceInterval: 1_000,
      maxConnections: 2_000,
      help: false,
    },
  });
});

test("every flag is read", () => {
  const parsed = parseFlags([
    "--port=0",
    "--host",
    "0.0.0.0",
    "--refresh-ms",
    "250",
    "--service-interval",
    "5000",
    "--max-connections",
    "10",
    "--table",
    "t",
    "--region",
    "eu-west-2",
  ]);
  assert.equal(parsed, {
    ok: true,
    values: {
      port: 0,
      host: "0.0.0.0",
      refreshMs: 250,
      serviceInterval: 5_000,
      maxConnections: 10,
      table: "t",
      region: "eu-west-2",
      help: false,
    },
  });
});

test("a bad value names the flag, what it expects and what it got", () => {
  assert.equal(parseFlags(["--port", "80000"]), {
    ok: false,
    error: "--port: expected an integer in 0..65535, got 80000",
  });
  assert.equal(parseFlags(["--refresh-ms", "10"]), {
    ok: false,
    error: "--refresh-ms: expected an integer in 100..3600000, got 10",
  });
  assert.equal(parseFlags(["--service-interval", "1e3"]), {
    ok: false,
    error: '--service-interval: expected an integer in 1..1000000, got "1e3"',
  });
  assert.equal(parseFlags(["--table="]), {
    ok: false,
    error: '--table: expected a table name, got ""',
  });
  assert.equal(parseFlags(["--prot", "1"]), { ok: false, error: "unknown option --prot" });
  assert.equal(parseFlags(["--port"]), { ok: false, error: "--port: expected a value" });
  assert.is(parseFlags(["stray"]).ok, false);
});

test.run();
