/**
 * DynamoDB with a fixed round trip, on loopback: every request is answered
 * `rttMs` after it arrived, however many are in flight, as DynamoDB in the
 * function's region answers in a few milliseconds and serves different
 * items in parallel. dynalite cannot stand in for that: it is one
 * single-threaded process that queues concurrent requests and takes several
 * milliseconds to parse one expression, so a batch's latency in it is
 * mostly dynalite's. Here what is left is the round trips a batch waits for,
 * one after another, and the client's own time.
 *
 * So the table lives here, in memory: `UpdateItem` and `GetItem` are
 * answered from a model of the table (core's test interpreter evaluates
 * the condition and update expressions, in the subset the handler and the
 * chapter's writer use; anything else is refused as not modelled), with the
 * stored item returned with a refused write, as DynamoDB does when asked
 * (`ReturnValuesOnConditionCheckFailure`) and dynalite does not. The model
 * runs in the caller's process; its own work per request is microseconds.
 *
 * The model is checked, not trusted: {@link RoundTrip.verify} replays every
 * request it answered, in the order it applied them, into dynalite, which
 * must agree on each outcome (applied or refused, the item read), and which
 * then holds the same tables for the caller to read back. Create the tables
 * in dynalite first; the model takes any table name.
 *
 * @module
 */

import {
  type AttributeValue,
  type DynamoDBClient,
  ReturnValuesOnConditionCheckFailure,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { Item } from "../../core/mod.ts";
import { applyUpdate, conditionHolds } from "../../core/testing/expressions.ts";
import { dynamoClient } from "../clients.ts";
import { startDynalite } from "./dynalite.ts";
import { received, serveOnLoopback } from "./loopback.ts";
import type { Emulator } from "./process.ts";

/** One request the model answered, and what it answered. */
interface Answered {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly operation: "UpdateItem" | "GetItem";
  /** `applied` or `refused` for an update; the item read (JSON) for a read. */
  readonly outcome: string;
}

export interface RoundTrip {
  readonly endpoint: string;
  /** Requests answered so far, by operation. */
  readonly answered: Readonly<Record<string, number>>;
  /** Milliseconds from each request's arrival to its answer, as they happened. */
  readonly delays: readonly number[];
  /**
   * Replays every request answered so far into dynalite (`upstream`), one at
   * a time, in the model's order; throws at the first outcome dynalite does
   * not share. Resolves to the number of requests checked.
   */
  verify(): Promise<number>;
  stop(): Promise<void>;
}

type Body = Record<string, unknown>;
type Table = Map<string, Item>;

const JSON_10 = { "content-type": "application/x-amz-json-1.0" };
const REFUSED = "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException";

/** An item (or none) as a string that does not depend on the order of its attributes. */
const canonical = (item: Item | undefined) =>
  JSON.stringify(item === undefined ? null : Object.fromEntries(Object.entries(item).sort()));

/** The model's tables, and how it answers one request. */
function model() {
  const tables = new Map<string, Table>();
  const itemAt = (body: Body) => {
    const name = String(body.TableName);
    const table = tables.get(name) ?? (tables.set(name, new Map()).get(name) as Table);
    const key = unmarshall(body.Key as Record<string, AttributeValue>);
    return { table, id: JSON.stringify(key), key };
  };
  const update = (body: Body): { status: number; answer: Body; outcome: string } => {
    const { table, id, key } = itemAt(body);
    const stored = table.get(id);
    const placeholders = {
      names: (body.ExpressionAttributeNames ?? {}) as Record<string, string>,
      values: unmarshall((body.ExpressionAttributeValues ?? {}) as Record<string, AttributeValue>),
    };
    const condition = body.ConditionExpression as string | undefined;
    if (condition !== undefined && !conditionHolds(condition, placeholders, stored ?? {})) {
      const returned =
        body.ReturnValuesOnConditionCheckFailure === ReturnValuesOnConditionCheckFailure.ALL_OLD &&
        stored !== undefined;
      const answer = { __type: REFUSED, message: "The conditional request failed" };
      return {
        status: 400,
        answer: returned ? { ...answer, Item: marshall(stored) } : answer,
        outcome: "refused",
      };
    }
    table.set(id, applyUpdate(String(body.UpdateExpression), placeholders, { ...stored, ...key }));
    return { status: 200, answer: {}, outcome: "applied" };
  };
  const get = (body: Body) => {
    const { table, id } = itemAt(body);
    const stored = table.get(id);
    return {
      status: 200,
      answer: stored === undefined ? {} : { Item: marshall(stored) },
      outcome: canonical(stored),
    };
  };
  return { update, get };
}

/** Replays `log` into dynalite at `upstream`, one request at a time; throws at the first disagreement. */
async function replay(upstream: string, log: readonly Answered[]): Promise<void> {
  for (const [i, entry] of log.entries()) {
    const response = await fetch(upstream, {
      method: "POST",
      headers: entry.headers,
      body: entry.body,
    });
    const answer = (await response.json()) as Body;
    const item = answer.Item as Record<string, AttributeValue> | undefined;
    const outcome =
      entry.operation === "GetItem"
        ? canonical(item === undefined ? undefined : unmarshall(item))
        : response.ok
          ? "applied"
          : String(answer.__type).endsWith("ConditionalCheckFailedException")
            ? "refused"
            : `failed: ${JSON.stringify(answer)}`;
    if (outcome !== entry.outcome) {
      throw new Error(
        `round-trip model: request ${i + 1} (${entry.operation} ${entry.body}): the model said ` +
          `${entry.outcome}, dynalite ${outcome}`,
      );
    }
  }
}

/**
 * Starts the model on a free loopback port, answering each request `rttMs`
 * after it arrived; `upstream` is the dynalite that {@link RoundTrip.verify}
 * replays into.
 */
export async function startRoundTrip(upstream: string, rttMs: number): Promise<RoundTrip> {
  const { update, get } = model();
  const log: Answered[] = [];
  const answered: Record<string, number> = {};
  const delays: number[] = [];
  const server = await serveOnLoopback(async (req, res) => {
    const arrived = performance.now();
    const { text, operation, headers } = await received(req);
    const body = JSON.parse(text || "{}") as Body;
    let status = 400;
    let answer: Body = { __type: "ValidationException", message: `${operation} is not modelled` };
    if (operation === "UpdateItem" || operation === "GetItem") {
      const result = operation === "UpdateItem" ? update(body) : get(body);
      ({ status, answer } = result);
      log.push({ headers, body: text, operation, outcome: result.outcome });
      answered[operation] = (answered[operation] ?? 0) + 1;
    }
    // Timers run on the event loop's cached clock and may fire a little early: wait again until due.
    const answerWhenDue = () => {
      const early = rttMs - (performance.now() - arrived);
      if (early > 0) return void setTimeout(answerWhenDue, early);
      res.writeHead(status, JSON_10);
      res.end(JSON.stringify(answer));
      delays.push(performance.now() - arrived);
    };
    answerWhenDue();
  });
  let verified = 0;
  return {
    endpoint: server.endpoint,
    answered,
    delays,
    verify: async () => {
      await replay(upstream, log.slice(verified));
      verified = log.length;
      return verified;
    },
    stop: server.stop,
  };
}

/** dynalite, the round-trip model in front of it, and a client of dynalite itself. */
export interface ModelledDynamo {
  readonly dynalite: Emulator;
  readonly model: RoundTrip;
  /** Talks to dynalite directly: creating tables, reading them back after `model.verify()`. */
  readonly admin: DynamoDBClient;
  /** Talks to the model, one attempt per request. */
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

/** Starts dynalite and the round-trip model in front of it, answering after `rttMs`. */
export async function startModelledDynamo(rttMs: number): Promise<ModelledDynamo> {
  const dynalite = await startDynalite();
  const model = await startRoundTrip(dynalite.endpoint, rttMs).catch(async (error) => {
    await dynalite.stop();
    throw error;
  });
  const admin = dynamoClient(dynalite.endpoint);
  const client = dynamoClient(model.endpoint, { maxAttempts: 1 });
  return {
    dynalite,
    model,
    admin,
    client,
    stop: async () => {
      client.destroy();
      admin.destroy();
      await model.stop();
      await dynalite.stop();
    },
  };
}
