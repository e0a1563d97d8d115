/**
 * `make dashboard`: the live truck dashboard, served to browsers from this
 * machine, over whichever table the tools' target rule picks (a running
 * `make local`, or a deployment). Needs only `dynamodb:Scan` on the table.
 *
 * Exit codes: 0 stopped with Ctrl-C (or SIGTERM), 1 the table could not be
 * read or the port could not be bound, 2 bad command line.
 *
 * @module
 */

import { readTable } from "../../aws/table.ts";
import { runTool } from "../cli.ts";
import { explain } from "../explain.ts";
import { describeTarget, dynamoFor, type Target } from "../target.ts";
import { type DashboardFlags, parseFlags, USAGE } from "./flags.ts";
import { isLoopback } from "./headers.ts";
import { openFilesLimit } from "./open_files.ts";
import { startDashboard } from "./server.ts";

/** Serves the dashboard of the target's table until Ctrl-C. */
async function serve(flags: DashboardFlags, target: Target): Promise<number> {
  const dynamo = dynamoFor(target);
  try {
    // One read first, so that a missing table or permission is one clear line, not a blank page.
    await readTable(dynamo, target.table, { consistent: false });
  } catch (err) {
    const subject = { kind: "table", name: target.table, flag: "--table", target } as const;
    console.error(`dashboard: ${explain(err, subject)}`);
    dynamo.destroy();
    return 1;
  }
  const limit = openFilesLimit();
  if (limit !== undefined && flags.maxConnections + 64 > limit) {
    console.error(
      `dashboard: warning: --max-connections ${flags.maxConnections} is near the open-files ` +
        `limit (${limit}); raise it with \`ulimit -n\` or lower --max-connections`,
    );
  }
  let dashboard: Awaited<ReturnType<typeof startDashboard>>;
  try {
    dashboard = await startDashboard({ ...flags, table: target.table, dynamo });
  } catch (err) {
    console.error(
      `dashboard: cannot listen on ${flags.host}:${flags.port}: ${(err as Error).message}`,
    );
    dynamo.destroy();
    return 1;
  }
  console.log(`Dashboard of table ${target.table} ${describeTarget(target, "dynamodb")}`);
  console.log(`Open ${dashboard.url}`);
  if (!isLoopback(flags.host)) {
    console.log(`Listening on ${flags.host}: anyone who can reach it can read the table.`);
  }
  const signal = await new Promise<string>((resolve) => {
    for (const s of ["SIGINT", "SIGTERM"] as const) process.once(s, () => resolve(s));
  });
  console.log(`Stopping (${signal})`);
  await dashboard.close();
  dynamo.destroy();
  return 0;
}

process.exitCode = await runTool(
  {
    name: "dashboard",
    usage: USAGE,
    parse: parseFlags,
    target: (flags) => ({ table: flags.table, region: flags.region }),
    run: serve,
  },
  process.argv.slice(2),
);
