/**
 * The rejects stream read as an operator wants it: the records counted by
 * what is wrong with them (the reason: the field and what was expected, not
 * the value found: `vehicle.mileage: expected a non-negative integer`), the
 * most frequent first, with a few examples each to look at or replay. Each reason falls
 * in one of the handler's reject groups (malformed, unknown-event,
 * invalid-field, unwritable): the groups the metrics count and the
 * dashboard stacks, so an alarm's group leads straight to its reasons.
 *
 * @module
 */

import type { RejectGroup } from "../../handler/records.ts";
import type { Envelope } from "../../handler/rejects.ts";
import { GROUP_FIELDS } from "../../handler/summary.ts";

/** An example of a reason: where the record was, and the start of its data. */
export interface Example {
  readonly sequenceNumber: string;
  readonly shardId: string;
  readonly arrived: string;
  /** The record's data as text, cut to 80 characters. */
  readonly data: string;
  /** The whole reason, value found included. */
  readonly reason: string;
}

/** The records rejected for one reason. */
export interface ReasonCount {
  /** The reason without the value found. */
  readonly reason: string;
  /** The handler's group of the reason; absent on envelopes older than groups. */
  readonly group: RejectGroup | undefined;
  readonly count: number;
  readonly examples: Example[];
}

/** `vehicle.mileage: expected a non-negative integer, got -3` → `…, got …` cut off. */
export function reasonOf(reason: string): string {
  const got = reason.lastIndexOf(", got ");
  return got < 0 ? reason : reason.slice(0, got);
}

const preview = (base64: string) => {
  const text = Buffer.from(base64, "base64").toString("utf8");
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** The envelope's group, if it names one of the handler's (envelopes from before groups have none). */
function groupOf(envelope: Envelope): RejectGroup | undefined {
  const group: unknown = envelope.group;
  return typeof group === "string" && Object.hasOwn(GROUP_FIELDS, group)
    ? (group as RejectGroup)
    : undefined;
}

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
 * The rejects (the stream's records, as text) by reason, largest first,
 * with up to `examples` examples each, and counted by the handler's group;
 * records that are not envelopes are counted apart.
 */
export function groupRejects(records: readonly string[], examples = 3) {
  const byReason = new Map<
    string,
    { group: RejectGroup | undefined; count: number; examples: Example[] }
  >();
  const byGroup: Partial<Record<RejectGroup, number>> = {};
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
    const key = reasonOf(envelope.reason);
    const group = groupOf(envelope);
    const entry = byReason.get(key) ?? { group, count: 0, examples: [] };
    entry.group ??= group; // the first envelope of a reason may predate groups
    entry.count++;
    if (group !== undefined) byGroup[group] = (byGroup[group] ?? 0) + 1;
    if (entry.examples.length < examples) {
      entry.examples.push({
        sequenceNumber: envelope.sequenceNumber,
        shardId: envelope.shardId,
        arrived: envelope.approximateArrivalTimestamp,
        data: preview(envelope.data),
        reason: envelope.reason,
      });
    }
    byReason.set(key, entry);
  }
  const sorted: ReasonCount[] = [...byReason]
    .map(([reason, entry]) => ({ reason, ...entry }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  return { reasons: sorted, byGroup, foreign, total: records.length };
}
