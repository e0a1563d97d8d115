/**
 * The dashboard server of the load benchmark, in a child process of its own
 * (the real CLI, `tools/dashboard/main.ts`), so that its memory is measured
 * apart from the thousand clients that load it, and so that it is stopped by
 * its PID like any deployed process.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { cliEnv, startCli } from "../tools/testing.ts";

export type ServerProcess = {
  url: string;
  pid: number;
  /** Resident set size of the server process now, in MiB. */
  rssMb(): number;
  /** SIGTERM by PID, SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
};

const MAIN = new URL("../tools/dashboard/main.ts", import.meta.url).pathname;

export async function startServerProcess(opts: {
  endpoint: string;
  table: string;
  refreshMs: number;
  maxConnections: number;
}): Promise<ServerProcess> {
  const args = ["--port", "0", "--refresh-ms", `${opts.refreshMs}`];
  args.push("--max-connections", `${opts.maxConnections}`);
  const env = cliEnv({ AWS_ENDPOINT_URL_DYNAMODB: opts.endpoint, TABLE_NAME: opts.table });
  const cli = startCli(MAIN, args, env);
  const pid = cli.child.pid as number;
  const stop = async () => {
    if (cli.child.exitCode !== null || cli.child.signalCode !== null) return;
    process.kill(pid, "SIGTERM");
    const exited = await Promise.race([cli.done.then(() => true), sleep(5_000, false)]);
    if (!exited) {
      process.kill(pid, "SIGKILL");
      await cli.done;
    }
  };
  process.once("exit", () => {
    if (cli.child.exitCode === null) cli.child.kill("SIGKILL");
  });
  try {
    await cli.waitFor(/Open http:\/\/\S+\n/);
  } catch (err) {
    await stop();
    throw err;
  }
  const url = /Open (\S+)/.exec(cli.stdout())?.[1] as string;
  return { url, pid, rssMb: () => rssMb(pid), stop };
}

/** VmRSS of `pid` from /proc, in MiB (Linux). */
function rssMb(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return kb === undefined ? Number.NaN : Number(kb) / 1024;
}
