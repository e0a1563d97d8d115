/**
 * The chapter's write strategy (Writer.scala), for comparison in measurements
 * only: per truck row, one conditional write per part (mileage, mileage at oil
 * change, location), each on its own condition, refusals ignored, trucks one
 * after another. The guards are core's, so only the strategy differs.
 *
 * @module
 */

import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import type { KinesisStreamEvent } from "aws-lambda";
import { type Part, plan, type Row } from "../../core/mod.ts";
import { readBatch } from "../records.ts";
import { type Table, updateCommand, type WriteCounts } from "../write.ts";

const PARTS: readonly Part[] = ["mileage", "mileageAtOilChange", "location"];

/** Writes each part `row` has with its own conditional UpdateItem. */
export async function threeWrites(table: Table, row: Row, counts: WriteCounts): Promise<void> {
  for (const part of PARTS) {
    const p = plan(row, [part]);
    if (p.parts.length === 0) continue;
    counts.writeRequests++;
    try {
      await table.dynamo.send(updateCommand(table.tableName, p));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      counts.conditionFailures++;
    }
  }
}

/** The chapter's Lambda function: decode, reduce, then three writes per truck, in turn. */
export function chapterHandler(table: Table, counts: WriteCounts) {
  return async (event: KinesisStreamEvent) => {
    for (const { row } of readBatch(event.Records).trucks) await threeWrites(table, row, counts);
    return { batchItemFailures: [] };
  };
}
