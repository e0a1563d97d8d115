/**
 * The machine a run was made on. Every figure of the bench is a ratio against
 * a baseline measured in the same run, but the absolute numbers still only
 * mean something next to the CPU, core count and Node version that made them.
 *
 * @module
 */

import { cpus, loadavg, platform, release, totalmem } from "node:os";

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  /** ISO 8601, when the run started. */
  readonly date: string;
  /** 1-minute load average when the run started: other work on the machine skews every timing. */
  readonly loadAverage: number;
}

/** Describes this machine, now. */
export function machine(now = new Date()): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${platform()} ${release()}`,
    date: now.toISOString(),
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** One line: `Intel(R) Xeon(R) … × 2 cores, 24 GiB, Node v20.20.2, linux 6.1, 2025-11-26…, load 0.4`. */
export function describeMachine(m: Machine): string {
  return (
    `${m.cpu} × ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}, ${m.date}, ` +
    `load average ${m.loadAverage} at start`
  );
}
