/**
 * `node:util` parseArgs errors, shortened to the tools' one-line
 * `--option: problem` form: its own messages run to three lines of advice
 * about positionals that these commands do not need.
 *
 * @module
 */

/** The message for an error thrown by `parseArgs` (anything else keeps its own message). */
export function argumentError(err: Error & { code?: string }): string {
  const quoted = /'([^']+)'/.exec(err.message)?.[1] ?? "";
  const option = quoted.split(" ")[0];
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
