/**
 * DynamoDB requests counted where they leave the client: an SDK middleware
 * placed inside the retry loop, so each HTTP attempt counts once, whichever
 * code sent it (our handler, the chapter's writer). Condition failures are
 * counted too: DynamoDB bills a refused conditional write like a write.
 *
 * @module
 */

import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** Requests by operation, and refusals. */
export interface RequestCounts {
  readonly updates: number;
  readonly gets: number;
  /** Every other operation (CreateTable, Scan, …). */
  readonly other: number;
  readonly conditionFailures: number;
}

/** A live counter on a client. */
export interface Counter {
  /** The counts so far. */
  now(): RequestCounts;
}

/** The difference `after - before`. */
export function minus(after: RequestCounts, before: RequestCounts): RequestCounts {
  return {
    updates: after.updates - before.updates,
    gets: after.gets - before.gets,
    other: after.other - before.other,
    conditionFailures: after.conditionFailures - before.conditionFailures,
  };
}

/** Installs a counter on `client` (once per client). */
export function countRequests(client: DynamoDBClient): Counter {
  const counts = { updates: 0, gets: 0, other: 0, conditionFailures: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = context.commandName;
      if (operation === "UpdateItemCommand") counts.updates++;
      else if (operation === "GetItemCommand") counts.gets++;
      else counts.other++;
      try {
        return await next(args);
      } catch (error) {
        if ((error as Error).name === "ConditionalCheckFailedException") {
          counts.conditionFailures++;
        }
        throw error;
      }
    },
    // Below the retry middleware (finalizeRequest, high): once per attempt.
    { step: "finalizeRequest", priority: "low", name: "benchCountRequests" },
  );
  return { now: () => ({ ...counts }) };
}
