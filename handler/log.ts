/**
 * Structured logging: one JSON object per line, its fields at the top.
 *
 * The lines go to stdout and stderr as they are, not through `console`:
 * under Lambda's JSON log format the runtime's `console` nests whatever it is
 * given in a `message` member, where CloudWatch does not look for the batch
 * line's metrics block (`metrics.ts`) and Logs Insights shows
 * `message.records` instead of `records`. Raw output reaches the log
 * unchanged, in either log format; the level and the request id, which the
 * runtime would have added, are added here.
 *
 * @module
 */

/** Where the handler reports; tests pass a recorder. */
export interface Log {
  info(fields: object): void;
  error(fields: object): void;
}

/** Lines on stdout (`"level":"INFO"`) and stderr (`"level":"ERROR"`), Lambda's level names. */
export const streamLog: Log = {
  info: (fields) => {
    process.stdout.write(`${JSON.stringify({ level: "INFO", ...fields })}\n`);
  },
  error: (fields) => {
    process.stderr.write(`${JSON.stringify({ level: "ERROR", ...fields })}\n`);
  },
};

/** `log` with `fields` (an invocation's request id) at the start of every line. */
export function withFields(log: Log, fields: object): Log {
  return {
    info: (line) => log.info({ ...fields, ...line }),
    error: (line) => log.error({ ...fields, ...line }),
  };
}
