/**
 * The options `make replay` and `make diff` share: which part of the
 * archive (a window of arrival times, a bucket), whether to read the stream
 * too, and the target's names.
 *
 * @module
 */

import * as v from "valibot";
import { normaliseTimestamp } from "../../core/mod.ts";
import { got, name } from "../args.ts";

/** An instant, as a date (`2026-12-01`, midnight UTC) or an ISO-8601 date-time with Z or an offset. */
export function instant(text: string): number | undefined {
  const full = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? `${text}T00:00:00Z`
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(Z|[+-]\d{2}:?\d{2})$/.test(text)
      ? text.replace(/^(.{16})/, "$1:00")
      : text;
  const normalised = normaliseTimestamp(full);
  return normalised === undefined ? undefined : Date.parse(normalised);
}

const EXPECTED_TIME = "a date (2026-12-01) or an ISO-8601 date-time with Z or an offset";

const time = v.pipe(
  v.string(),
  v.check((text) => instant(text) !== undefined, got(EXPECTED_TIME)),
  v.transform((text) => instant(text) as number),
);

/** parseArgs options of the archive's window, bucket and stream, plus target and help. */
export const ARCHIVE_OPTIONS = {
  from: { type: "string" },
  to: { type: "string" },
  bucket: { type: "string" },
  stream: { type: "boolean" },
  table: { type: "string" },
  region: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The checks of {@link ARCHIVE_OPTIONS}'s values. */
export const ARCHIVE_ENTRIES = {
  from: v.optional(time),
  to: v.optional(time),
  bucket: v.optional(name("a bucket name")),
  stream: v.optional(v.boolean(), false),
  table: v.optional(name("a table name")),
  region: v.optional(name("a region")),
  help: v.optional(v.boolean(), false),
};

/** The `--help` lines of the shared options. */
export const ARCHIVE_HELP = `  --from TIME     records that arrived from this time on (a date, 2026-12-01, or
                  an ISO-8601 date-time; default: the archive's start)
  --to TIME       records that arrived up to this time (default: now)
  --stream        also read the records still in the event stream: the archive
                  lags the stream by its buffer interval (up to 15 min on AWS)
  --bucket NAME   the archive's bucket (default: the target's, see below)
  --table NAME    the table (default: the target's, see below)
  --region R      the AWS region`;
