/**
 * Environment variables set for a while: the bundle and the SDK read their
 * configuration (`TABLE_NAME`, `AWS_ENDPOINT_URL_*`, credentials) from
 * `process.env`, so a test that loads the bundle sets them, and must put
 * back exactly what was there before.
 *
 * @module
 */

/** A way back to the environment as it was. */
export type Restore = () => void;

/** Sets each variable (`undefined` deletes it) and returns how to put them all back. */
export function setEnv(vars: Readonly<Record<string, string | undefined>>): Restore {
  const saved = Object.keys(vars).map((name) => [name, process.env[name]] as const);
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return () => {
    for (const [name, value] of saved.reverse()) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
