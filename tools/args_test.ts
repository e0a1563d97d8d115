import { parseArgs } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as v from "valibot";
import { argumentError, integer, name, parseCommandLine } from "./args.ts";

/** The message for `args` parsed against a `--json` flag and a `--table` value. */
function message(args: string[]): string {
  try {
    parseArgs({
      args,
      strict: true,
      options: {
        json: { type: "boolean" },
        table: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    return argumentError(err as Error);
  }
  return "(parsed)";
}

test("parseArgs errors become one line naming the option", () => {
  assert.is(message(["--foo"]), "unknown option --foo");
  assert.is(message(["x"]), "unexpected argument x");
  assert.is(message(["--json=1"]), "--json: takes no value");
  assert.is(message(["--table"]), "--table: expected a value");
  assert.is(
    message(["--table", "-x"]),
    '--table: for a value starting with "-", write --table=VALUE',
  );
  assert.is(message(["--table=-x"]), "(parsed)");
  assert.is(message(["--help=1"]), "--help: takes no value");
});

test("other errors keep their message", () => {
  assert.is(argumentError(new Error("something else")), "something else");
});

const Schema = v.object({
  mode: v.optional(v.picklist(["a", "b"]), "a"),
  n: v.optional(integer(1, 9), "1"),
  label: v.optional(name("a label")),
});
const OPTIONS = { n: { type: "string" }, label: { type: "string" } } as const;
const read = (argv: string[]) => parseCommandLine(argv, OPTIONS, Schema, "mode");

test("parseCommandLine: parseArgs, then the schema, one line naming what is wrong", () => {
  assert.equal(read(["b", "--n=3"]), { ok: true, values: { mode: "b", n: 3 } });
  assert.equal(read([]), { ok: true, values: { mode: "a", n: 1 } });
  assert.equal(read(["--n", "10"]), {
    ok: false,
    error: "--n: expected an integer in 1..9, got 10",
  });
  assert.equal(read(["--label="]), { ok: false, error: '--label: expected a label, got ""' });
  const sideways = read(["c"]);
  assert.ok(!sideways.ok && sideways.error.startsWith("mode: "), "a positional has no dashes");
  assert.equal(read(["a", "b"]), { ok: false, error: "expected at most one mode, got a b" });
  assert.equal(read(["--m"]), { ok: false, error: "unknown option --m" });
  assert.equal(parseCommandLine(["a"], OPTIONS, Schema), {
    ok: false,
    error: "unexpected argument a",
  });
});

test.run();
