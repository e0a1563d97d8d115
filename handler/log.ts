/**
 * Structured logging: one JSON object per line, so that CloudWatch Logs
 * Insights can query every field. `console.log` and `console.error` let the
 * Lambda runtime tag each line with the request id and the INFO / ERROR level.
 *
 * @module
 */

/** Where the handler reports; tests pass a recorder. */
export interface Log {
  info(fields: object): void;
  error(fields: object): void;
}

/** The Lambda runtime's log: stdout for info, stderr for errors. */
export const consoleLog: Log = {
  info: (fields) => console.log(JSON.stringify({ level: "info", ...fields })),
  error: (fields) => console.error(JSON.stringify({ level: "error", ...fields })),
};
