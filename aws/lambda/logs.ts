/**
 * The bundle's log lines, captured: end-to-end tests read the batch summary
 * the way an operator would, and keep the test output quiet. The handler
 * writes its JSON lines to stdout and stderr directly (see handler/log.ts),
 * so that is where they are caught; anything else written there (the test
 * runner's output, a property test's seed) still reaches the terminal.
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

type Write = typeof process.stdout.write;

/** Takes the JSON lines written to stdout and stderr until `restore()`. */
export function captureLogs(): Captured {
  const lines: Line[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write);
  for (const stream of streams) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === "string" && chunk.startsWith("{") && chunk.endsWith("}\n")) {
        lines.push(JSON.parse(chunk) as Line);
        return true;
      }
      return write(chunk, ...rest);
    }) as Write;
  }
  return {
    lines,
    summaries: () => lines.filter((line) => line.msg === "batch"),
    restore: () => {
      for (const [i, stream] of streams.entries()) stream.write = writes[i] as Write;
    },
  };
}
