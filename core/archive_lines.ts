/**
 * The records of one archive object, decoded. The archive stores records
 * byte for byte with a newline after each (Firehose's delimiter processor),
 * so a record that itself holds a newline (pretty-printed JSON: the newline
 * is whitespace) spans lines. Such a record is put back together: lines that
 * are not JSON on their own are joined with the next ones until the whole
 * parses; JSON never parses when cut at a newline, so the join is exact for
 * every valid event. What never parses (garbage, a truncated object's last
 * line) is reported line by line, as not JSON. Blank lines are whitespace
 * between records, not records.
 *
 * @module
 */

import { type DecodeResult, decode } from "./decode.ts";

/** A record of an archive object, where it starts (1-based line), and what decode made of it. */
export interface ArchivedRecord {
  readonly line: number;
  readonly result: DecodeResult;
}

/** Kinesis's largest record: a join never grows past it. */
const MAX_RECORD_BYTES = 1024 * 1024;
/**
 * The most lines a join spans: every valid event has fewer tokens than this
 * (blank lines are never joined), and each new line re-tries every suffix
 * of the pending ones, so a long run of broken lines must not pile up.
 */
const MAX_RECORD_LINES = 128;
const NEWLINE = 0x0a;

const utf8 = new TextDecoder("utf-8", { fatal: false });

function isJson(bytes: Uint8Array): boolean {
  try {
    JSON.parse(utf8.decode(bytes));
    return true;
  } catch {
    return false;
  }
}

/** Whether decode refused `bytes` for not being JSON text at all (rare: checked only then). */
function notJson(result: DecodeResult, bytes: Uint8Array): boolean {
  return !result.ok && result.path === "" && !isJson(bytes);
}

function isBlank(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0d);
}

function joined(parts: readonly Uint8Array[]): Uint8Array {
  const size = parts.reduce((n, p) => n + p.byteLength, parts.length - 1);
  const out = new Uint8Array(size);
  let at = 0;
  for (const [i, part] of parts.entries()) {
    if (i > 0) out[at++] = NEWLINE;
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** The lines of `bytes`, each with its 1-based number (a newline ends a line; the end of the bytes does too). */
function* lines(bytes: Uint8Array): Generator<{ line: number; bytes: Uint8Array }> {
  let start = 0;
  for (let line = 1; start < bytes.byteLength; line++) {
    const end = bytes.indexOf(NEWLINE, start);
    const stop = end < 0 ? bytes.byteLength : end;
    yield { line, bytes: bytes.subarray(start, stop) };
    start = stop + 1;
  }
}

/** Whether a line may start a record: a JSON object's first line (every valid event is one). */
const opensObject = (bytes: Uint8Array) => bytes.find((b) => b > 0x20) === 0x7b;

type Line = { line: number; bytes: Uint8Array };

/** The first of `pending`'s lines from which the lines to the end are one JSON text, if any. */
function recordStart(pending: readonly Line[]): number | undefined {
  for (const [start, first] of pending.entries()) {
    const last = start === pending.length - 1;
    if (
      (last || opensObject(first.bytes)) &&
      isJson(joined(pending.slice(start).map((p) => p.bytes)))
    ) {
      return start;
    }
  }
  return undefined;
}

/**
 * Every record of a (decompressed) archive object, in order, decoded by
 * core's `decode`. Never throws.
 *
 * @example
 * ```ts
 * import { decodeArchive } from "./archive_lines.ts";
 * const text = '{"event":\n"X"}\nnot json\n';
 * [...decodeArchive(new TextEncoder().encode(text))].map((r) => [r.line, r.result.ok]);
 * // [[1, false], [3, false]]  (lines 1-2 are one JSON record, an unknown event; line 3 is not JSON)
 * ```
 */
export function* decodeArchive(bytes: Uint8Array): Generator<ArchivedRecord> {
  // Lines not (yet) part of a record: a record cut over several lines, or garbage.
  let pending: Line[] = [];
  let pendingBytes = 0;
  const broken = (lines: readonly Line[]) =>
    lines.map((p) => ({ line: p.line, result: decode(p.bytes) }));
  for (const next of lines(bytes)) {
    if (isBlank(next.bytes)) continue;
    if (pending.length === 0) {
      const result = decode(next.bytes);
      if (!notJson(result, next.bytes)) {
        yield { line: next.line, result };
        continue;
      }
    }
    pending.push(next);
    pendingBytes += next.bytes.byteLength;
    const start = pending.length > 1 ? recordStart(pending) : undefined;
    if (start !== undefined) {
      yield* broken(pending.slice(0, start));
      const record = pending.slice(start);
      const result = decode(joined(record.map((p) => p.bytes)));
      yield { line: record[0]?.line as number, result };
      pending = [];
      pendingBytes = 0;
    }
    while (pendingBytes > MAX_RECORD_BYTES || pending.length > MAX_RECORD_LINES) {
      const [oldest] = pending.splice(0, 1) as [Line];
      pendingBytes -= oldest.bytes.byteLength;
      yield* broken([oldest]);
    }
  }
  yield* broken(pending);
}
