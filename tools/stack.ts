/**
 * The local stack file, `.local/stack.json`: how `make local` tells the other
 * tools (generator, status, dashboard) where its emulators listen, without
 * fixed ports. It lives only as long as the stack does: a file whose `pid` is
 * no longer alive is a leftover from a crashed run and counts as absent, so the
 * tools never aim at ports that nobody (or, worse, somebody else) serves.
 *
 * @module
 */

import * as v from "valibot";
import { readTextIfExists, writeJsonAtomic } from "../aws/files.ts";

const name = v.pipe(v.string(), v.nonEmpty());
const url = v.pipe(v.string(), v.url());

/** What `make local` writes once its emulators are ready. */
export const StackSchema = v.object({
  /** The process that owns the stack; the file is stale once it has exited. */
  pid: v.pipe(v.number(), v.integer(), v.minValue(1)),
  region: name,
  kinesisEndpoint: url,
  dynamodbEndpoint: url,
  s3Endpoint: url,
  archiveBucket: name,
  stream: name,
  rejectsStream: name,
  table: name,
  dashboardUrl: v.optional(url),
});

/** A running local stack, as described by its stack file. */
export type Stack = v.InferOutput<typeof StackSchema>;

/**
 * Writes the stack file atomically (temporary file, then rename), so that a
 * reader never sees half a file. Creates the directory if needed.
 */
export async function writeStack(path: string, stack: Stack): Promise<void> {
  await writeJsonAtomic(path, v.parse(StackSchema, stack), 2);
}

/**
 * The stack described at `path`, or `undefined` when there is no file or its
 * owner has exited. A file that exists but does not match {@link StackSchema}
 * throws: it means two versions of the tools disagree, which should be loud.
 */
export async function readStack(path: string): Promise<Stack | undefined> {
  const text = await readTextIfExists(path);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not a valid stack file: ${(err as Error).message}`);
  }
  const parsed = v.safeParse(StackSchema, json);
  if (!parsed.success) {
    const issues = parsed.issues.map((i) => `${v.getDotPath(i) ?? "file"}: ${i.message}`);
    throw new Error(`${path} is not a valid stack file: ${issues.join("; ")}`);
  }
  return isAlive(parsed.output.pid) ? parsed.output : undefined;
}

/** Signal 0 checks existence only; EPERM means alive but someone else's. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
