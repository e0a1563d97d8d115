/**
 * The rejects stream read as an operator wants it: the records grouped by
 * what is wrong with them (the field and what was expected, not the value
 * found: `vehicle.mileage: expected a non-negative integer`), biggest group
 * first, with a few examples each to look at or replay.
 *
 * @module
 */

import type { Envelope } from "../../handler/rejects.ts";

/** An example of a group: where the record was, and the start of its data. */
export interface Example {
  readonly sequenceNumber: string;
  readonly shardId: string;
  readonly arrived: string;
  /** The record's data as text, cut to 80 characters. */
  readonly data: string;
  /** The whole reason, value found included. */
  readonly reason: string;
}

export interface RejectGroup {
  /** The reason without the value found. */
  readonly reason: string;
  readonly count: number;
  readonly examples: Example[];
}

/** `vehicle.mileage: expected a non-negative integer, got -3` → `…, got …` cut off. */
export function reasonGroup(reason: string): string {
  const got = reason.lastIndexOf(", got ");
  return got < 0 ? reason : reason.slice(0, got);
}

const preview = (base64: string) => {
  const text = Buffer.from(base64, "base64").toString("utf8");
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** Whether a record on the rejects stream is one of the handler's envelopes. */
function isEnvelope(value: unknown): value is Envelope {
  const e = value as Partial<Envelope> | null;
  return (
    typeof e?.reason === "string" &&
    typeof e.data === "string" &&
    typeof e.sequenceNumber === "string"
  );
}

/**
 * The rejects (the stream's records, as text) by reason group, largest
 * first, with up to `examples` examples each; records that are not
 * envelopes are counted apart.
 */
export function groupRejects(records: readonly string[], examples = 3) {
  const groups = new Map<string, { count: number; examples: Example[] }>();
  let foreign = 0;
  for (const text of records) {
    let envelope: unknown;
    try {
      envelope = JSON.parse(text);
    } catch {
      envelope = undefined;
    }
    if (!isEnvelope(envelope)) {
      foreign++;
      continue;
    }
    const key = reasonGroup(envelope.reason);
    const group = groups.get(key) ?? { count: 0, examples: [] };
    group.count++;
    if (group.examples.length < examples) {
      group.examples.push({
        sequenceNumber: envelope.sequenceNumber,
        shardId: envelope.shardId,
        arrived: envelope.approximateArrivalTimestamp,
        data: preview(envelope.data),
        reason: envelope.reason,
      });
    }
    groups.set(key, group);
  }
  const sorted: RejectGroup[] = [...groups]
    .map(([reason, group]) => ({ reason, ...group }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  return { groups: sorted, foreign, total: records.length };
}
