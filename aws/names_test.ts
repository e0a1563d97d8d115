/**
 * The local stack and the Terraform configuration must name the same streams,
 * table (with the same keys) and archive bucket; this reads the Terraform
 * text (no terraform binary needed) and compares.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { archiveBucket, NAMES } from "./names.ts";

const ROOT = join(import.meta.dirname, "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** The `default` of `variable "name" { ... }` in HCL text, as written (quotes stripped). */
function variableDefault(hcl: string, name: string): string | undefined {
  const block = new RegExp(`variable\\s+"${name}"\\s*\\{([\\s\\S]*?)\\n\\}`).exec(hcl);
  const value = block?.[1] && /^\s*default\s*=\s*(.+?)\s*$/m.exec(block[1]);
  return value ? value[1]?.replace(/^"(.*)"$/, "$1") : undefined;
}

for (const file of ["terraform/variables.tf", "terraform/local/variables.tf"]) {
  test(`names and shard count agree with ${file}`, () => {
    const hcl = read(file);
    assert.is(variableDefault(hcl, "stream_name"), NAMES.stream);
    assert.is(variableDefault(hcl, "rejects_stream_name"), NAMES.rejectsStream);
    assert.is(variableDefault(hcl, "table_name"), NAMES.table);
    assert.is(variableDefault(hcl, "stream_shard_count"), String(NAMES.streamShards));
  });
}

test("the rejects stream's shard count agrees with Terraform", () => {
  assert.is(
    variableDefault(read("terraform/variables.tf"), "rejects_shard_count"),
    String(NAMES.rejectsShards),
  );
  assert.match(read("terraform/local/main.tf"), /rejects_shard_count\s*=\s*1\b/);
});

test("the table's hash key agrees with Terraform (name and type)", () => {
  const hcl = read("terraform/modules/storage/dynamodb.tf");
  const hashKey = /hash_key\s*=\s*"([^"]+)"/.exec(hcl)?.[1];
  assert.is(hashKey, NAMES.hashKey.name);
  const attribute = /attribute\s*\{\s*name\s*=\s*"([^"]+)"\s*type\s*=\s*"([^"]+)"\s*\}/.exec(hcl);
  assert.equal(attribute?.slice(1), [NAMES.hashKey.name, NAMES.hashKey.type]);
  assert.not.match(hcl, /range_key/, "the table has a hash key only");
});

test("the archive bucket's name agrees with Terraform's default (terraform/main.tf)", () => {
  const main = read("terraform/main.tf");
  const expression = /archive_bucket_name\s*=\s*coalesce\(var\.archive_bucket_name,\s*"([^"]+)"\)/;
  const values: Record<string, string | undefined> = {
    "var.name_prefix": variableDefault(read("terraform/variables.tf"), "name_prefix"),
    "local.account_id": "123456789012",
    "var.aws_region": "eu-west-2",
  };
  const name = expression
    .exec(main)?.[1]
    ?.replace(/\$\{([^}]+)\}/g, (_, reference: string) => values[reference] ?? `<${reference}>`);
  assert.is(name, archiveBucket("123456789012", "eu-west-2"));
});

test("the parser reads what it should and nothing else", () => {
  const hcl =
    'variable "a" {\n  type = string\n  default = "x"\n}\nvariable "b" {\n  default = 3\n}\n';
  assert.is(variableDefault(hcl, "a"), "x");
  assert.is(variableDefault(hcl, "b"), "3");
  assert.is(variableDefault(hcl, "c"), undefined);
});

test.run();
