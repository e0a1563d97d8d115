import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeArchive } from "./archive_lines.ts";
import { event } from "./testing/arbitraries.ts";
import { CHAPTER_RECORD } from "./testing/fixtures.ts";
import { check } from "./testing/property.ts";

const utf8 = new TextEncoder();

/** An archive object as Firehose writes it: each record's bytes, then a newline. */
const object = (records: readonly string[]) => utf8.encode(records.map((r) => `${r}\n`).join(""));

/** What an archived record is: its first line, and the event (or undefined for a rejection). */
const summary = (bytes: Uint8Array) =>
  [...decodeArchive(bytes)].map(({ line, result }) => [
    line,
    result.ok ? result.event : result.path,
  ]);

/** A record of an event: compact, or pretty-printed over several lines (newlines as whitespace). */
const written = fc
  .tuple(event(), fc.constantFrom(undefined, 2, "\t"))
  .map(([e, indent]) => ({ event: e, text: JSON.stringify(e, null, indent) }));

test("every record comes back, in order, at the line it starts on, pretty-printed or not", async () => {
  await check(
    fc.property(fc.array(written, { maxLength: 20 }), (records) => {
      let line = 1;
      const expected = records.map(({ event: e, text }) => {
        const at = line;
        line += text.split("\n").length;
        return [at, e];
      });
      assert.equal(summary(object(records.map((r) => r.text))), expected);
    }),
    500,
  );
});

test("garbage between records is reported by line and never swallows a record", async () => {
  const garbage = fc.constantFrom("not json", "{", '{"event":', "}", "[1,", "\u0000", "]]");
  const mixed = fc.array(
    fc.oneof(
      written.map((w) => ({ good: w })),
      garbage.map((g) => ({ bad: g })),
    ),
    {
      maxLength: 20,
    },
  );
  await check(
    fc.property(mixed, (entries) => {
      const texts = entries.map((e) => ("good" in e ? e.good.text : e.bad));
      const found = [...decodeArchive(object(texts))];
      const events = found.flatMap(({ result }) => (result.ok ? [result.event] : []));
      const wanted = entries.flatMap((e) => ("good" in e ? [e.good.event] : []));
      // A fragment may complete a broken neighbour into JSON, but never into a valid event.
      assert.equal(events, wanted);
    }),
    500,
  );
});

test("a truncated last line and a record without its newline are still seen", () => {
  const chapter = CHAPTER_RECORD;
  const found = summary(utf8.encode(`${chapter}\n\n${chapter.slice(0, 50)}`));
  assert.equal(
    found.map(([line]) => line),
    [1, 3],
  );
  assert.equal(found[1]?.[1], "", "the cut record is not JSON: rejected as a whole");
  assert.equal(summary(utf8.encode(chapter)).length, 1);
  assert.equal(summary(new Uint8Array()), []);
});

test("a long run of broken lines is reported line by line, and the record after it decodes", () => {
  const broken = Array.from({ length: 1_000 }, () => '{"event":{}');
  const found = summary(object([...broken, CHAPTER_RECORD]));
  assert.equal(
    found.map(([line, at]) => [line, typeof at === "string" ? at : "event"]),
    [...broken.map((_, i) => [i + 1, ""]), [1_001, "event"]],
  );
});

test.run();
