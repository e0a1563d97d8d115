// One cold start, run by bench/cold_start.ts in a fresh `node` process: import
// BENCH_MODULE and, when BENCH_EVENT names a file, hand its Kinesis event to
// the module's `handler` once. Prints one line, `BENCH {json}`, with the
// process's own timings, then exits at once (open sockets must not hold it).
import { readFileSync } from "node:fs";

const started = performance.now();
const mod = await import(process.env.BENCH_MODULE);
const imported = performance.now();
let failures = 0;
if (process.env.BENCH_EVENT) {
  const event = JSON.parse(readFileSync(process.env.BENCH_EVENT, "utf8"));
  const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: "cold-start" };
  const response = await mod.handler(event, context);
  failures = response.batchItemFailures.length;
}
const handled = performance.now();
console.log(
  `BENCH ${JSON.stringify({ bootMs: started, importMs: imported - started, batchMs: handled - imported, failures })}`,
);
process.exit(0);
