#!/usr/bin/env bash
# Apply terraform/local (the same streams and table as the AWS deployment, via
# modules/storage) to fresh emulators, check what was created through the AWS
# SDK, check a second plan is empty, destroy, check it is gone.
#
#   dynalite      DynamoDB   node_modules/dynalite/cli.js
#   kinesis-mock  Kinesis    node_modules/kinesis-local/main.js
#
# Both run on free loopback ports and are stopped by PID on exit; Terraform's
# state and working directory live in a temporary directory. Nothing is
# written to the tree, and a running `make local` stack is not touched.
#
# usage: [TF_PLUGIN_DIR=/opt/tf-plugins] terraform/scripts/emulator-smoke.sh
#        KEEP_TMP=1 keeps the temporary directory (logs, state) for a look.
set -euo pipefail

tf_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo_root=$(cd "$tf_root/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/oops-tf-emulators.XXXXXX")
pids=()

cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ $status -ne 0 ]]; then
    for log in "$work"/*.log; do
      [[ -f $log ]] || continue
      echo "---- tail of $log" >&2
      tail -n 20 "$log" >&2
    done
  fi
  if [[ ${KEEP_TMP:-} == 1 || $status -ne 0 ]]; then
    echo "emulator-smoke: logs and state kept in $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf -- '--> %s\n' "$*"; }

for path in node_modules/dynalite/cli.js node_modules/kinesis-local/main.js node_modules/@aws-sdk/client-kinesis; do
  [[ -e $repo_root/$path ]] || { echo "emulator-smoke: $path missing: run \`make install\`" >&2; exit 1; }
done

read -r dynamo_port kinesis_port kinesis_tls_port < <(node -e '
  const net = require("node:net");
  const servers = [0, 1, 2].map(() => net.createServer().listen(0, "127.0.0.1"));
  Promise.all(servers.map((s) => new Promise((r) => s.on("listening", r)))).then(() => {
    console.log(servers.map((s) => s.address().port).join(" "));
    servers.forEach((s) => s.close());
  });')
dynamodb_endpoint=http://127.0.0.1:$dynamo_port
kinesis_endpoint=http://127.0.0.1:$kinesis_port

# Loaded into both emulators: exit when stdin reaches EOF, i.e. when this
# script is gone even if it was SIGKILLed (it holds the only writer of the
# fifo), and listen on loopback only (kinesis-mock has no host option).
cat >"$work/lifeline.mjs" <<'JS'
import net from "node:net";
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === "number" && (args.length === 1 || typeof args[1] === "function")) args.splice(1, 0, "127.0.0.1");
  return listen.apply(this, args);
};
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
JS
mkfifo "$work/lifeline"
exec 9<>"$work/lifeline"

step "starting dynalite on $dynamodb_endpoint and kinesis-mock on $kinesis_endpoint"
node --import "file://$work/lifeline.mjs" "$repo_root/node_modules/dynalite/cli.js" \
  --host 127.0.0.1 --port "$dynamo_port" --createTableMs 0 --deleteTableMs 0 --updateTableMs 0 \
  <"$work/lifeline" 9>&- >"$work/dynalite.log" 2>&1 &
pids+=($!)
KINESIS_MOCK_PLAIN_PORT=$kinesis_port KINESIS_MOCK_TLS_PORT=$kinesis_tls_port \
  KINESIS_MOCK_CERT_PATH="$repo_root/node_modules/kinesis-local/server.json" \
  CREATE_STREAM_DURATION=0ms DELETE_STREAM_DURATION=0ms START_STREAM_ENCRYPTION_DURATION=0ms \
  UPDATE_STREAM_MODE_DURATION=0ms LOG_LEVEL=WARN \
  node --import "file://$work/lifeline.mjs" "$repo_root/node_modules/kinesis-local/main.js" \
  <"$work/lifeline" 9>&- >"$work/kinesis-mock.log" 2>&1 &
pids+=($!)

wait_for() { # name url
  local deadline=$((SECONDS + 60))
  until curl -s -o /dev/null -m 2 "$2" 9>&-; do
    ((SECONDS < deadline)) || { echo "emulator-smoke: $1 did not answer on $2 within 60 s" >&2; return 1; }
    sleep 0.5
  done
}
wait_for dynalite "$dynamodb_endpoint"
wait_for kinesis-mock "$kinesis_endpoint"

# The SDK checks below and Terraform both use fake keys; nothing reaches AWS.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN
export TF_DATA_DIR=$work/.terraform TF_IN_AUTOMATION=1
# 9>&-: only this shell may hold the lifeline open, not Terraform or its provider.
tf() { terraform -chdir="$tf_root/local" "$@" 9>&-; }
tf_vars=(-var "kinesis_endpoint=$kinesis_endpoint" -var "dynamodb_endpoint=$dynamodb_endpoint")

step "terraform init (state in $work)"
init_args=(-input=false -no-color -lockfile=readonly "-backend-config=path=$work/terraform.tfstate")
# Providers: the mirror if given, else the ones `terraform/tests/run.sh` (or
# any init) already put in terraform/local/.terraform, else the registry.
if [[ -n ${TF_PLUGIN_DIR:-} ]]; then
  init_args+=("-plugin-dir=$TF_PLUGIN_DIR")
elif [[ -d $tf_root/local/.terraform/providers/registry.terraform.io ]]; then
  init_args+=("-plugin-dir=$tf_root/local/.terraform/providers")
fi
tf init "${init_args[@]}" >"$work/init.log"

step "terraform apply"
tf apply -input=false -no-color -auto-approve "${tf_vars[@]}" >"$work/apply.log"
grep -E '^Apply complete' "$work/apply.log"

# Checks through the SDK, not through Terraform's own view of things.
check() { # phase
  (exec 9>&- && cd "$repo_root" && NODE_NO_WARNINGS=1 KINESIS="$kinesis_endpoint" DYNAMODB="$dynamodb_endpoint" PHASE="$1" node --input-type=module -e '
    import { DynamoDBClient, DescribeTableCommand, UpdateItemCommand, GetItemCommand, ListTablesCommand } from "@aws-sdk/client-dynamodb";
    import { KinesisClient, DescribeStreamSummaryCommand, PutRecordsCommand, ListShardsCommand, GetShardIteratorCommand, GetRecordsCommand, ListStreamsCommand } from "@aws-sdk/client-kinesis";
    import { NodeHttpHandler } from "@smithy/node-http-handler";
    // HTTP/1.1: the Kinesis client defaults to HTTP/2, which kinesis-mock handles badly (tools/local/clients.ts).
    const kinesis = new KinesisClient({ endpoint: process.env.KINESIS, requestHandler: new NodeHttpHandler() });
    const dynamo = new DynamoDBClient({ endpoint: process.env.DYNAMODB, requestHandler: new NodeHttpHandler() });
    const fail = (msg) => { console.error("emulator-smoke: " + msg); process.exit(1); };
    const eq = (what, got, want) => { if (JSON.stringify(got) !== JSON.stringify(want)) fail(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`); };

    if (process.env.PHASE === "gone") {
      const { StreamNames = [] } = await kinesis.send(new ListStreamsCommand({}));
      const { TableNames = [] } = await dynamo.send(new ListTablesCommand({}));
      eq("streams left after destroy", StreamNames.filter((n) => n.startsWith("oops-")), []);
      eq("tables left after destroy", TableNames.filter((n) => n.startsWith("oops-")), []);
      console.log("    streams and table are gone");
      process.exit(0);
    }

    for (const [name, shards] of [["oops-events", 2], ["oops-events-rejected", 1]]) {
      const { StreamDescriptionSummary: s } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      eq(`${name} status`, s.StreamStatus, "ACTIVE");
      eq(`${name} open shards`, s.OpenShardCount, shards);
      eq(`${name} encryption`, [s.EncryptionType, s.KeyId], ["KMS", "alias/aws/kinesis"]);
      eq(`${name} retention`, s.RetentionPeriodHours, 24);
      // A record in, the same record out (what the generator and the handler do).
      const data = new TextEncoder().encode(JSON.stringify({ smoke: name }));
      const put = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: [{ Data: data, PartitionKey: "smoke" }] }));
      eq(`${name} PutRecords failures`, put.FailedRecordCount ?? 0, 0);
      const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: name }));
      let found = false;
      for (const shard of Shards) {
        const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: name, ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON" }));
        const { Records = [] } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
        found ||= Records.some((r) => new TextDecoder().decode(r.Data) === JSON.stringify({ smoke: name }));
      }
      if (!found) fail(`${name}: the record put was not read back`);
    }
    console.log("    streams: ACTIVE, 2 + 1 shards, KMS (alias/aws/kinesis), 24 h, a record written and read back");

    const { Table: t } = await dynamo.send(new DescribeTableCommand({ TableName: "oops-trucks" }));
    eq("table status", t.TableStatus, "ACTIVE");
    eq("table key", t.KeySchema, [{ AttributeName: "vin", KeyType: "HASH" }]);
    eq("table attributes", t.AttributeDefinitions, [{ AttributeName: "vin", AttributeType: "S" }]);
    // The shape of the handler write: conditional on the stored mileage being older.
    const update = (mileage) => dynamo.send(new UpdateItemCommand({
      TableName: "oops-trucks", Key: { vin: { S: "1HGCM82633A004352" } },
      UpdateExpression: "SET #m = :m", ConditionExpression: "attribute_not_exists(#m) OR #m < :m",
      ExpressionAttributeNames: { "#m": "mileage" }, ExpressionAttributeValues: { ":m": { N: String(mileage) } },
    }));
    await update(33207);
    await update(100).then(() => fail("a lower mileage overwrote a higher one"), (e) => { if (e.name !== "ConditionalCheckFailedException") throw e; });
    const { Item } = await dynamo.send(new GetItemCommand({ TableName: "oops-trucks", Key: { vin: { S: "1HGCM82633A004352" } } }));
    eq("stored mileage", Item?.mileage, { N: "33207" });
    console.log("    table: ACTIVE, hash key vin (S), conditional update applied once and refused when older");
  ')
}

step "checking streams and table through the AWS SDK"
check created

step "terraform plan again: no changes expected (nothing the emulators drop)"
set +e
tf plan -input=false -no-color -detailed-exitcode "${tf_vars[@]}" >"$work/replan.log" 2>&1
replan=$?
set -e
if [[ $replan -ne 0 ]]; then
  cat "$work/replan.log" >&2
  echo "emulator-smoke: second plan exit code $replan (2 = changes: an attribute the emulator does not keep)" >&2
  exit 1
fi
echo "    no changes"

step "terraform destroy"
tf destroy -input=false -no-color -auto-approve "${tf_vars[@]}" >"$work/destroy.log"
grep -E '^Destroy complete' "$work/destroy.log"
check gone

step "emulator smoke test passed"
