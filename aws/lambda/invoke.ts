/**
 * The "Lambda runtime" of the local mapping: loads the handler bundle into
 * this process and invokes it as Lambda would, with the function's
 * environment, a context with a real deadline, and a timeout.
 *
 * In-process rather than a process per invocation: one import is the cold
 * start, every later batch is a warm invocation costing microseconds, which is
 * what keeps the local pipeline's freshness near the real one. Like a Lambda
 * container, the bundle's module state (SDK clients, configuration) is shared
 * by the invocations of both shards.
 *
 * @module
 */

import type { Context, KinesisStreamEvent } from "aws-lambda";
import { loadBundle } from "./bundle.ts";
import { lambdaContext } from "./event.ts";
import type { InvocationResult } from "./rules.ts";

type Handler = (event: KinesisStreamEvent, context: Context, callback: Callback) => unknown;
type Callback = (error?: unknown, result?: unknown) => void;

/** The function, as the mapping sees it. */
export interface LocalFunction {
  readonly name: string;
  readonly region: string;
  /** Lambda's timeout; the function's own deadline comes from its context. */
  readonly timeoutMs: number;
  /** Path of the ES module bundle exporting `handler`. */
  readonly bundle: string;
}

/**
 * Sets the function's environment, replacing (not merging with) whatever AWS
 * settings this process inherited: a real `AWS_PROFILE` or session token must
 * never reach the bundle, which would then sign with, or even call, a real
 * account. The SDK's own switches (`AWS_SDK_JS_*`, e.g. its Node version
 * warning) are neither, and stay.
 */
export function setFunctionEnvironment(environment: Readonly<Record<string, string>>): void {
  for (const name of Object.keys(process.env)) {
    const setting = name.startsWith("AWS_") && !name.startsWith("AWS_SDK_JS_");
    if (setting && !(name in environment)) delete process.env[name];
  }
  Object.assign(process.env, environment);
}

/** Invokes the function; `newContainer()` makes the next invocation a cold start. */
export type Invoker = ((event: KinesisStreamEvent) => Promise<InvocationResult>) & {
  /**
   * Starts the next invocations on a new container, which imports the bundle
   * afresh and so reads the environment as it is then (a configuration
   * change); invocations already running finish on the old one.
   */
  newContainer(): void;
};

/**
 * An invoker of the bundle. The bundle is imported on the first invocation
 * (the cold start); if the import throws (bad configuration, syntax error),
 * that invocation fails and the next one imports afresh, as a new Lambda
 * container would.
 */
export function localInvoker(fn: LocalFunction): Invoker {
  let handler: Promise<Handler> | undefined;
  const load = async () => (await loadBundle(fn.bundle)) as unknown as Handler;
  const invoke = async (event: KinesisStreamEvent): Promise<InvocationResult> => {
    try {
      handler ??= load();
      const loaded = await handler.catch((error) => {
        handler = undefined;
        throw error;
      });
      // As on Lambda, the cold start (init) does not count against the function's timeout.
      const deadline = Date.now() + fn.timeoutMs;
      const context = lambdaContext({ functionName: fn.name, region: fn.region, deadline });
      const response = await withTimeout(call(loaded, event, context), deadline - Date.now());
      return { ok: true, response };
    } catch (error) {
      return { ok: false, error };
    }
  };
  return Object.assign(invoke, {
    newContainer: () => {
      handler = undefined;
    },
  });
}

/** Calls an async or a callback-style handler; either way, one settled answer. */
function call(handler: Handler, event: KinesisStreamEvent, context: Context): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const callback: Callback = (error, result) => (error ? reject(error) : resolve(result));
    const returned = handler(event, context, callback);
    if (returned instanceof Promise) returned.then(resolve, reject);
  });
}

/**
 * Rejects after `ms` like a Lambda timeout. The invocation itself cannot be
 * killed in-process; it runs on, and its late writes are harmless (conditional).
 */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Task timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
