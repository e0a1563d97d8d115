/**
 * The conditional write of one truck's row: one `UpdateItem` per truck per
 * batch in the common case, narrowed only when the table already knows better.
 *
 * Why not the chapter's three writes (Writer.scala: mileage, oil change,
 * location, each on its own condition)? Because in order, which is the usual
 * case, all three pass: one combined write costs a third of the requests. Its
 * price is that the combined condition fails as a whole when any one part is
 * stale; the write then learns the stored item and retries only the parts
 * that are still newer (core's `planImprovements`).
 *
 * Termination: a failed condition means at least one written part was newer
 * in the table, and stored values only move forward, so that part is never
 * newer in this row again and leaves the next plan. The set of parts shrinks
 * every round, from at most three, so there are at most three write requests
 * per truck per batch: the chapter's count, as the worst case. The bound is
 * enforced anyway (a table that breaks the rules, e.g. an attribute of the
 * wrong type, must not loop us forever): exceeding it is a failure.
 *
 * The container's floor (`floor.ts`), when there is one, is what the table
 * is known to hold: the first plan leaves out every part that does not beat
 * it, and a truck that beats nothing is not written at all (counted as
 * `skippedByFloor`). Every refusal and every accepted write teaches it.
 *
 * Failures come in two kinds. Throttling, 5xx, timeouts and lost connections
 * may pass: the batch is retried from the truck's first record. A write the
 * table refuses for what it is (a `ValidationException`, or an item that
 * does not move forward) fails the same way on every retry, and retrying it
 * would hold up its whole shard until the records expire: {@link
 * refusedForGood} tells the two apart, and the caller sets the truck's
 * records aside instead.
 *
 * @module
 */

import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { fromItem, planImprovements, type Row, type WritePlan } from "../core/mod.ts";
import type { Floor } from "./floor.ts";

/** The most write requests one truck may take in one batch: one per part. */
export const MAX_WRITES = 3;

/** What the writes of a batch cost; shared by its trucks, added to as they go. */
export interface WriteCounts {
  /** `UpdateItem` requests sent (successful or not). */
  writeRequests: number;
  /** Of those, the ones refused by their condition. */
  conditionFailures: number;
  /** Strongly consistent `GetItem`s, when a refusal did not carry the stored item. */
  storedReads: number;
  /** Trucks not written because the table is known to hold at least their row. */
  skippedByFloor: number;
}

/** Zero counts for a new batch. */
export function noWrites(): WriteCounts {
  return { writeRequests: 0, conditionFailures: 0, storedReads: 0, skippedByFloor: 0 };
}

/** Where and how to write. */
export interface Table {
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
  /** Aborts the requests in flight, e.g. before the function times out. */
  readonly signal?: AbortSignal | undefined;
  /** What the container knows of the table; without it every write plans every part. */
  readonly floor?: Floor | undefined;
}

/** The `UpdateItem` of a write plan. */
export function updateCommand(tableName: string, p: WritePlan): UpdateItemCommand {
  return new UpdateItemCommand({
    TableName: tableName,
    Key: marshall(p.key),
    UpdateExpression: p.update,
    ConditionExpression: p.condition,
    ExpressionAttributeNames: { ...p.names },
    ExpressionAttributeValues: marshall(p.values),
    // Real DynamoDB returns the stored item with the refusal: no read needed.
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  });
}

/** The table keeps refusing parts that its stored item should have let through. */
export class StuckItemError extends Error {
  override name = "StuckItemError";
}

/**
 * True for a write that no retry can make succeed: DynamoDB rejected the
 * request itself (`ValidationException`: a number out of its range, an item
 * too large, a type that does not match the stored one), or the stored item
 * breaks the rules ({@link StuckItemError}). A missing table, missing
 * permissions or a throttle are not: they are the deployment's state, which
 * changes, and the records must wait for it rather than leave.
 */
export function refusedForGood(error: unknown): boolean {
  return error instanceof StuckItemError || (error as Error)?.name === "ValidationException";
}

/** The stored item, by a strongly consistent read: it must not be older than the refusal. */
async function read(table: Table, vin: string, counts: WriteCounts) {
  counts.storedReads++;
  const { Item } = await table.dynamo.send(
    new GetItemCommand({
      TableName: table.tableName,
      Key: marshall({ vin }),
      ConsistentRead: true,
    }),
    { abortSignal: table.signal },
  );
  return Item;
}

/**
 * Brings the table's item for `row.vin` up to at least `row`, part by part.
 * Resolves when every part of `row` is stored or beaten by a newer stored
 * value (or by what the floor knows the table holds); rejects with the SDK's
 * error (after its retries) on anything but a condition failure, or with a
 * {@link StuckItemError} when the write bound is exceeded.
 */
export async function writeRow(table: Table, row: Row, counts: WriteCounts): Promise<void> {
  const { floor, tableName } = table;
  let next: WritePlan | undefined = planImprovements(row, floor?.known(tableName, row.vin));
  if (next === undefined) counts.skippedByFloor++;
  for (let writes = 1; next !== undefined; writes++) {
    counts.writeRequests++;
    try {
      await table.dynamo.send(updateCommand(tableName, next), { abortSignal: table.signal });
      floor?.wrote(tableName, row, next.parts);
      return;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      counts.conditionFailures++;
      const item = error.Item ?? (await read(table, row.vin, counts));
      const stored = item === undefined ? {} : fromItem(unmarshall(item));
      floor?.saw(tableName, row.vin, stored);
      next = planImprovements(row, stored);
      if (next !== undefined && writes === MAX_WRITES) {
        throw new StuckItemError(
          `${row.vin}: parts ${next.parts.join(", ")} still newer after ${MAX_WRITES} refused writes; ` +
            "the stored item does not move forward",
        );
      }
    }
  }
}
