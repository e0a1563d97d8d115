/**
 * The bundle's log lines, captured: end-to-end tests read the batch summary
 * the way an operator would, and keep the test output quiet. Lines that are
 * not JSON (a property test's seed, say) still reach the terminal.
 *
 * @module
 */

/** A parsed log line. */
export type Line = Record<string, unknown>;

export interface Captured {
  readonly lines: Line[];
  /** The `msg: "batch"` lines, in order. */
  summaries(): Line[];
  restore(): void;
}

/** Replaces `console.log` and `console.error` until `restore()`. */
export function captureLogs(): Captured {
  const { log, error } = console;
  const lines: Line[] = [];
  const keep =
    (passThrough: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      const [first] = args;
      if (args.length === 1 && typeof first === "string" && first.startsWith("{")) {
        lines.push(JSON.parse(first) as Line);
      } else {
        passThrough(...args);
      }
    };
  console.log = keep(log);
  console.error = keep(error);
  return {
    lines,
    summaries: () => lines.filter((line) => line.msg === "batch"),
    restore: () => {
      console.log = log;
      console.error = error;
    },
  };
}
