/**
 * Terraform as the emulator test runs it: in terraform/local, with a scrubbed
 * environment, each command bounded by a timeout (SIGINT, then SIGKILL) and
 * logged to `<work>/<step>.log`; what is still running can be killed by PID.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { localRegion } from "../../aws/clients.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const LOCAL_ROOT = join(ROOT, "terraform/local");

/** After SIGINT (Terraform's graceful stop), how long before SIGKILL. */
const TF_GRACE_MS = 15_000;

/** Terraform commands still running, for `killTerraform`. */
const running = new Set<ChildProcess>();

/** SIGKILLs every Terraform command still running (a test's `finally`, its watchdog). */
export function killTerraform(): void {
  for (const child of running) child.kill("SIGKILL");
}

/** Exit code, stdout alone (for `output -json`), stdout and stderr interleaved (for the log). */
export type TfRun = { code: number; stdout: string; output: string };

/**
 * Runs `terraform <args>` in terraform/local, output to `<work>/<step>.log`.
 * After `timeoutMs`, SIGINT (Terraform stops gracefully), then SIGKILL.
 * Resolves with the exit code; throws only on a timeout or spawn failure.
 */
export async function terraform(
  work: string,
  step: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<TfRun> {
  const child = spawn("terraform", args, {
    cwd: LOCAL_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const chunks: Buffer[] = [];
  const stdout: Buffer[] = [];
  child.stdout.on("data", (c: Buffer) => {
    chunks.push(c);
    stdout.push(c);
  });
  child.stderr.on("data", (c: Buffer) => chunks.push(c));
  let timedOut = false;
  const interrupt = setTimeout(() => {
    timedOut = true;
    child.kill("SIGINT");
  }, timeoutMs);
  const kill = setTimeout(() => child.kill("SIGKILL"), timeoutMs + TF_GRACE_MS);
  try {
    const code = await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (status, signal) => resolve(status ?? (signal ? 128 : 1)));
    });
    const output = Buffer.concat(chunks).toString("utf8");
    await writeFile(join(work, `${step}.log`), output);
    if (timedOut) {
      throw new Error(`terraform ${step} timed out after ${timeoutMs} ms${tail(output)}`);
    }
    return { code, stdout: Buffer.concat(stdout).toString("utf8"), output };
  } finally {
    clearTimeout(interrupt);
    clearTimeout(kill);
    running.delete(child);
  }
}

/** The last lines of a command's output, for an error message. */
export function tail(output: string, lines = 25): string {
  const kept = output.trimEnd().split("\n").slice(-lines);
  return kept.length === 0 ? "" : `; last output:\n${kept.join("\n")}`;
}

/** Like `terraform`, but a non-zero exit is an error carrying the output. */
export async function terraformOk(...args: Parameters<typeof terraform>): Promise<TfRun> {
  const run = await terraform(...args);
  if (run.code !== 0)
    throw new Error(`terraform ${args[1]} exited with ${run.code}${tail(run.output)}`);
  return run;
}

/**
 * The environment Terraform runs in: no AWS profile, keys, endpoints or
 * TF_VAR_/TF_CLI_ARGS from the caller (they could point it elsewhere or
 * rename what it makes); fake keys; data directory in `work`.
 */
export function terraformEnv(work: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(AWS_|TF_VAR_|TF_CLI_ARGS|TF_WORKSPACE$|TF_DATA_DIR$)/.test(name)) continue;
    // A CLI configuration that does not exist only adds a warning to every command.
    if (name === "TF_CLI_CONFIG_FILE" && (value === undefined || !existsSync(value))) continue;
    env[name] = value;
  }
  return {
    ...env,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: localRegion(),
    TF_DATA_DIR: join(work, ".terraform"),
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
  };
}

/**
 * `-plugin-dir`: the mirror in TF_PLUGIN_DIR, else the providers an earlier
 * init (terraform/tests/run.sh) left in terraform/local/.terraform, else
 * none (the registry).
 */
export function pluginDirArgs(): string[] {
  const mirror = process.env.TF_PLUGIN_DIR;
  if (mirror) return [`-plugin-dir=${mirror}`];
  const earlier = join(LOCAL_ROOT, ".terraform/providers");
  if (existsSync(join(earlier, "registry.terraform.io"))) return [`-plugin-dir=${earlier}`];
  return [];
}
