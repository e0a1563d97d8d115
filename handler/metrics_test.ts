import { Ajv } from "ajv";
import type { KinesisStreamRecord } from "aws-lambda";
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { recordsOf } from "../aws/lambda/event.ts";
import { event } from "../core/testing/arbitraries.ts";
import { check } from "../core/testing/property.ts";
import SCHEMA from "./emf.schema.json" with { type: "json" };
import CONTRACT from "./metrics.json" with { type: "json" };
import { batchLine, outcomeOf } from "./testing/batch_line.ts";

const validate = new Ajv({ allErrors: true, strict: true }).compile(SCHEMA);

type Document = Record<string, unknown> & {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
};

/** The batch line as the log holds it (JSON text, parsed back). */
function line(records: KinesisStreamRecord[], now: number): Document {
  return JSON.parse(JSON.stringify(batchLine(outcomeOf(records, { durationMs: 3.2, now }))));
}

/**
 * The specification's rules a schema cannot state: every dimension of every
 * set is a string member of the root, every declared metric a number member.
 */
function referencesHold(document: Document): string[] {
  const problems: string[] = [];
  for (const directive of document._aws.CloudWatchMetrics) {
    for (const key of directive.Dimensions.flat()) {
      if (typeof document[key] !== "string")
        problems.push(`dimension ${key} is not a string member`);
    }
    for (const { Name } of directive.Metrics) {
      if (!Number.isFinite(document[Name])) problems.push(`metric ${Name} is not a number member`);
    }
  }
  return problems;
}

const payload = fc.oneof(event(), fc.string({ maxLength: 30 }));

test("every batch line is an EMF document whose metrics are its own numbers", async () => {
  await check(
    fc.property(fc.array(payload, { minLength: 1, maxLength: 30 }), fc.nat(), (payloads, ms) => {
      const now = 1_515_760_920_123 + ms;
      const document = line(recordsOf(payloads), now);
      assert.ok(validate(document), JSON.stringify(validate.errors));
      assert.equal(referencesHold(document), []);
      const [directive] = document._aws.CloudWatchMetrics;
      assert.is(directive?.Namespace, CONTRACT.namespace);
      assert.equal(directive?.Dimensions, [[CONTRACT.dimension]]);
      assert.is(document[CONTRACT.dimension], "oops-truck-status");
      assert.is(document._aws.Timestamp, now);
      // A batch with records has every metric of the contract, in its unit.
      const declared = directive?.Metrics.map(({ Name, Unit }) => [Name, Unit]);
      const contract = Object.entries(CONTRACT.metrics).map(([name, { unit }]) => [name, unit]);
      assert.equal(declared, contract);
    }),
    200,
  );
});

test("a value that cannot be computed is left out of the declared metrics, not sent as null", () => {
  const document = line([], 1_000);
  assert.ok(validate(document), JSON.stringify(validate.errors));
  assert.equal(referencesHold(document), []);
  const names = document._aws.CloudWatchMetrics[0]?.Metrics.map(({ Name }) => Name) ?? [];
  assert.not.ok(names.includes("oldestEventAgeMs"));
  assert.ok(names.includes("records"));
});

test("the checks catch what the specification forbids", () => {
  const good = line(recordsOf(["x"]), 2_000);
  const directive = good._aws.CloudWatchMetrics[0];
  assert.not.ok(validate({ ...good, _aws: { CloudWatchMetrics: good._aws.CloudWatchMetrics } }));
  const badUnit = { ...directive, Metrics: [{ Name: "records", Unit: "Events" }] };
  assert.not.ok(validate({ ...good, _aws: { ...good._aws, CloudWatchMetrics: [badUnit] } }));
  assert.equal(referencesHold({ ...good, records: "1" }), [
    "metric records is not a number member",
  ]);
  assert.equal(referencesHold({ ...good, FunctionName: 7 }), [
    "dimension FunctionName is not a string member",
  ]);
});

test.run();
