import { parseArgs } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { argumentError } from "./args.ts";

/** The message for `args` parsed against a `--json` flag and a `--table` value. */
function message(args: string[]): string {
  try {
    parseArgs({
      args,
      strict: true,
      options: { json: { type: "boolean" }, table: { type: "string" } },
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
});

test("other errors keep their message", () => {
  assert.is(argumentError(new Error("something else")), "something else");
});

test.run();
