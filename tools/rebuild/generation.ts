/**
 * Table generations: a rebuild writes a new table, named after the time it
 * started, next to the old one, which stays until the operator drops it.
 * On AWS the generations live in a small Terraform variables file beside the
 * deployment's state (`table_generations`, `active_table_generation`); the
 * generation "" is the original table, `<name>` itself, and any other is
 * `<name>-<generation>`.
 *
 * @module
 */

import * as v from "valibot";

/** A rebuild's generation: its start, UTC, `20261201t235012` (fits Terraform's ^[a-z0-9]{0,24}$). */
export function generationOf(time: Date): string {
  return time.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "t");
}

/** The table of `generation`, from the base table name. */
export function tableOf(base: string, generation: string): string {
  return generation === "" ? base : `${base}-${generation}`;
}

/** The base table name, from the active table and its generation: the inverse of {@link tableOf}. */
export function baseOf(active: string, generation: string): string {
  return generation === "" ? active : active.slice(0, -generation.length - 1);
}

const Generations = v.object({
  table_generations: v.array(v.pipe(v.string(), v.regex(/^[a-z0-9]{0,24}$/))),
  active_table_generation: v.pipe(v.string(), v.regex(/^[a-z0-9]{0,24}$/)),
});

/** The tables file's contents: every generation kept, and the one the function writes. */
export type Generations = v.InferOutput<typeof Generations>;

/** A deployment that never rebuilt: the original table only. */
export const ORIGINAL: Generations = { table_generations: [""], active_table_generation: "" };

/** The tables file's contents from its text; `undefined` text (no file) is {@link ORIGINAL}. */
export function parseGenerations(text: string | undefined, path: string): Generations {
  if (text === undefined) return ORIGINAL;
  const parsed = v.safeParse(Generations, JSON.parse(text));
  if (!parsed.success) {
    throw new Error(
      `${path}: expected {"table_generations": [...], "active_table_generation": "..."}`,
    );
  }
  return parsed.output;
}

/** `generations` with `next` added and active (the previous ones are all kept). */
export function withActive(generations: Generations, next: string): Generations {
  const kept = generations.table_generations.filter((g) => g !== next);
  return { table_generations: [...kept, next], active_table_generation: next };
}

/** `generations` without `dropped`, which must not be the active one. */
export function without(generations: Generations, dropped: string): Generations {
  if (generations.active_table_generation === dropped) {
    throw new Error(
      `generation "${dropped}" is the active table: switch away from it first (make rebuild)`,
    );
  }
  return {
    ...generations,
    table_generations: generations.table_generations.filter((g) => g !== dropped),
  };
}
