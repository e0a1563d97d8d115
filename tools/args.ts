/**
 * The tools' command lines, read the same way everywhere: `node:util`
 * parseArgs, then a valibot schema, and any problem as one line of the form
 * `--option: expected …, got …`. Node's own parseArgs messages run to three
 * lines of advice about positionals that these commands do not need.
 *
 * @module
 */

import { type ParseArgsConfig, parseArgs } from "node:util";
import * as v from "valibot";

/** The message for an error thrown by `parseArgs` (anything else keeps its own message). */
export function argumentError(err: Error & { code?: string }): string {
  const quoted = /'([^']+)'/.exec(err.message)?.[1] ?? "";
  // Options with a short form are quoted as "-h, --help": name the long one.
  const words = quoted.split(/[ ,]+/);
  const option = words.find((word) => word.startsWith("--")) ?? words[0];
  switch (err.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${option}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${quoted}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (/ambiguous/.test(err.message)) {
        return `${option}: for a value starting with "-", write ${option}=VALUE`;
      }
      return `${option}: ${/does not take/.test(err.message) ? "takes no value" : "expected a value"}`;
    default:
      return err.message;
  }
}

/** A valibot message function that names what was expected and the value it got. */
export const got =
  (expected: string) =>
  (issue: { input: unknown }): string =>
    `expected ${expected}, got ${JSON.stringify(issue.input)}`;

/** An option's text as a whole number in `min..max` (no sign, point or exponent). */
export const integer = (min: number, max: number, expected = `an integer in ${min}..${max}`) =>
  v.pipe(
    v.string(),
    v.regex(/^\d+$/, got(expected)),
    v.transform(Number),
    v.minValue(min, got(expected)),
    v.maxValue(max, got(expected)),
  );

/** An option's text as a number >= 0, decimals allowed (no sign, exponent or hex). */
export const decimal = (expected: string) =>
  v.pipe(v.string(), v.regex(/^(\d+\.?\d*|\.\d+)$/, got(expected)), v.transform(Number));

/** An option's text that must not be empty: a name, a region, an address. */
export const name = (expected: string) => v.pipe(v.string(), v.nonEmpty(got(expected)));

/** The options of a command line, or the one line that says what is wrong with it. */
export type CommandLine<T> = { ok: true; values: T } | { ok: false; error: string };

/**
 * Reads `argv` (without `node` and the script) with parseArgs against
 * `options` (strict), then checks the values with `schema`. With `positional`,
 * at most one positional argument is allowed and is checked as that key,
 * named without dashes in a message.
 */
export function parseCommandLine<const S extends v.GenericSchema>(
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig["options"]>,
  schema: S,
  positional?: string,
): CommandLine<v.InferOutput<S>> {
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: positional !== undefined,
      strict: true,
      options,
    }));
  } catch (err) {
    return { ok: false, error: argumentError(err as Error & { code?: string }) };
  }
  if (positional !== undefined) {
    if (positionals.length > 1) {
      return {
        ok: false,
        error: `expected at most one ${positional}, got ${positionals.join(" ")}`,
      };
    }
    values = { ...values, [positional]: positionals[0] };
  }
  const parsed = v.safeParse(schema, values);
  if (!parsed.success) {
    const [issue] = parsed.issues;
    const key = issue === undefined ? undefined : v.getDotPath(issue);
    const label = positional !== undefined && key === positional ? key : `--${key}`;
    return { ok: false, error: `${label}: ${issue?.message}` };
  }
  return { ok: true, values: parsed.output };
}
