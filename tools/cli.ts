/**
 * How every tool's command starts: read the command line (a mistake is one
 * line on stderr and exit 2), answer `--help` (exit 0), find the target by
 * the tools' one rule (a state file that cannot be read is one line and exit
 * 1), then do the work, whose answer is the exit code.
 *
 * @module
 */

import type { CommandLine } from "./args.ts";
import { loadTarget, type Target, type TargetFlags, type TargetSources } from "./target.ts";

/** A tool, as its `main` describes it. */
export interface Tool<T extends { readonly help?: boolean | undefined }> {
  /** The command's name in its messages: `generate: …`. */
  readonly name: string;
  readonly usage: string;
  parse(argv: readonly string[]): CommandLine<T>;
  /** The options that choose the target (stream or table name, region). */
  target(values: T): TargetFlags;
  /** Where to look for the target, when not in the usual places (a local stack's state directory). */
  sources?(values: T): TargetSources;
  /** The work; resolves with the exit code. */
  run(values: T, target: Target): Promise<number>;
}

/** The exit code of `tool` on `argv` (the arguments after the script). */
export async function runTool<T extends { readonly help?: boolean | undefined }>(
  tool: Tool<T>,
  argv: readonly string[],
): Promise<number> {
  const parsed = tool.parse(argv);
  if (!parsed.ok) {
    console.error(`${tool.name}: ${parsed.error}\nRun with --help for the options.`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(tool.usage);
    return 0;
  }
  let target: Target;
  try {
    target = await loadTarget(tool.target(parsed.values), tool.sources?.(parsed.values));
  } catch (err) {
    console.error(`${tool.name}: ${(err as Error).message}`);
    return 1;
  }
  return tool.run(parsed.values, target);
}
