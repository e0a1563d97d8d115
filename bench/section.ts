/**
 * What a bench section is: a named measurement that runs on its own (small
 * sizes with `quick`), and hands back its figures as JSON, the table it
 * prints and the goals it checks. `main.ts` only runs the list.
 *
 * @module
 */

/** How a section is run. */
export interface RunOptions {
  /** Small sizes: a smoke run that proves the code works, not a measurement. */
  readonly quick: boolean;
  /** Seed of every generated event and shard choice. */
  readonly seed: number;
  /** Writes committed artefacts (the scale chart); off for quick runs. */
  readonly writeArtefacts: boolean;
}

/** A goal the project sets itself; checked and printed, never fatal. */
export interface Goal {
  readonly name: string;
  /** The measured value, as printed. */
  readonly value: string;
  readonly met: boolean;
}

/** What a section reports. */
export interface Report {
  /** The figures, as written to results.json. */
  readonly figures: unknown;
  /** The table and notes, as printed. */
  readonly text: string;
  readonly goals: readonly Goal[];
}

export interface Section {
  /** Key in results.json and for `--only`. */
  readonly name: string;
  readonly title: string;
  /** Whether it starts emulators or child processes (the unit test runs only those that do not). */
  readonly emulators: boolean;
  run(options: RunOptions): Promise<Report>;
}

/** Thrown when the strategies disagree about the table: the one failure that fails the bench. */
export class MismatchError extends Error {
  override readonly name = "MismatchError";
}
