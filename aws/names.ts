/**
 * The names and shapes of the pipeline's AWS resources, in ONE place, equal
 * to the Terraform defaults (`terraform/variables.tf`,
 * `terraform/modules/storage/`): the local stack creates exactly these, the
 * tools fall back to them, the tests use them. Code that works against
 * `make local` then works against `make deploy` unchanged; `names_test.ts`
 * reads the Terraform text and fails when the two drift apart.
 *
 * @module
 */

/** What Terraform creates by default, and `make local` creates in the emulators. */
export interface Names {
  /** The event stream (Terraform `stream_name`). */
  readonly stream: string;
  /** Shards of the event stream (Terraform `stream_shard_count`). */
  readonly streamShards: number;
  /** The stream rejected records go to (Terraform `rejects_stream_name`). */
  readonly rejectsStream: string;
  /** Shards of the rejects stream (Terraform `rejects_shard_count`). */
  readonly rejectsShards: number;
  /** The truck table (Terraform `table_name`). */
  readonly table: string;
  /** The table's only key: a hash key. */
  readonly hashKey: { readonly name: string; readonly type: "S" | "N" | "B" };
  /** The Lambda function (Terraform `function_name`). */
  readonly functionName: string;
  /** The region (Terraform `aws_region`). */
  readonly region: string;
  /** The Firehose delivery stream that archives the event stream (Terraform `firehose_name`). */
  readonly deliveryStream: string;
}

/** The account kinesis-mock puts its streams in, and the local stack's account. */
export const LOCAL_ACCOUNT = "000000000000";

/** The Terraform defaults. */
export const NAMES: Names = {
  stream: "oops-events",
  streamShards: 2,
  rejectsStream: "oops-events-rejected",
  rejectsShards: 1,
  table: "oops-trucks",
  hashKey: { name: "vin", type: "S" },
  functionName: "oops-truck-status",
  region: "us-east-1",
  deliveryStream: "oops-events-archive",
};

/**
 * The archive bucket's default name (Terraform `archive_bucket_name`, with
 * the default `name_prefix`, none): bucket names are global, so the account
 * and region are in it.
 *
 * @example
 * ```ts
 * archiveBucket("000000000000", "us-east-1"); // "oops-events-archive-000000000000-us-east-1"
 * ```
 */
export function archiveBucket(account: string, region: string): string {
  return `oops-events-archive-${account}-${region}`;
}
