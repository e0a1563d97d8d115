/**
 * The one reader of the table. However many viewers and pollers there are,
 * a table read starts at most once per `refreshMs`: callers within that time
 * share the snapshot of the last read (or the read in flight), which is what
 * keeps the cost of a dashboard flat in the number of people watching it.
 *
 * While someone is subscribed (`poll(true)`), a loop re-reads the table every
 * `refreshMs` and reports a snapshot whose hash differs from the previous one;
 * with nobody watching there are no reads but those `get()` asks for.
 *
 * @module
 */
import type { Snapshot } from "./snapshot.ts";

export type CacheOptions = {
  /** One full read of the table. */
  read: () => Promise<Snapshot>;
  /** Minimum time between the starts of two reads. */
  refreshMs: number;
  /** Called with each snapshot whose content differs from the previous one. */
  onChange?: (snapshot: Snapshot) => void;
  /** Called with each failed read; the previous snapshot stays in service. */
  onError?: (err: unknown) => void;
  /** Epoch milliseconds; a parameter so that tests can move time. */
  now?: () => number;
};

export class SnapshotCache {
  /** Reads started, successful or not. */
  reads = 0;
  /** Epoch ms at which the last successful read started; null before the first. */
  lastReadAt: number | null = null;
  /** True while the latest read failed. */
  failing = false;

  #opts: CacheOptions;
  #now: () => number;
  #current: Snapshot | undefined;
  #lastError: unknown;
  #startedAt = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<Snapshot> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polling = false;
  /** Bumped by every start and stop, so that a loop from before a stop never resumes. */
  #generation = 0;

  constructor(opts: CacheOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
  }

  /** The last snapshot read, if any, without touching the table. */
  get current(): Snapshot | undefined {
    return this.#current;
  }

  /**
   * A snapshot no older than `refreshMs` when the table can be read: the
   * cached one if it is young enough, else the result of a new read (shared
   * with every concurrent caller). When the table cannot be read, the last
   * good snapshot; rejects only if there has never been one.
   */
  get(): Promise<Snapshot> {
    if (this.#inFlight !== undefined) return this.#inFlight;
    if (this.#now() - this.#startedAt < this.#opts.refreshMs) {
      return this.#current !== undefined
        ? Promise.resolve(this.#current)
        : Promise.reject(this.#lastError);
    }
    const startedAt = this.#now();
    this.#startedAt = startedAt;
    this.reads++;
    const read = this.#opts.read().then(
      (next) => {
        this.failing = false;
        this.lastReadAt = startedAt;
        const previous = this.#current;
        this.#current = next;
        if (previous?.hash !== next.hash) this.#opts.onChange?.(next);
        return next;
      },
      (err: unknown) => {
        this.failing = true;
        this.#lastError = err;
        this.#opts.onError?.(err);
        if (this.#current === undefined) throw err;
        return this.#current;
      },
    );
    this.#inFlight = read.finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /** Starts (true) or stops (false) the refresh loop; idempotent. */
  poll(on: boolean): void {
    if (on === this.#polling) return;
    this.#polling = on;
    this.#generation++;
    clearTimeout(this.#timer);
    if (on) this.#tick(this.#generation);
  }

  /** One turn of the loop: refresh if due, then sleep until the next read may start. */
  #tick(generation: number): void {
    this.get()
      .catch(() => {}) // reported through onError; the loop carries on
      .then(() => {
        if (generation !== this.#generation) return;
        const wait = Math.max(0, this.#startedAt + this.#opts.refreshMs - this.#now());
        this.#timer = setTimeout(() => this.#tick(generation), wait);
        this.#timer.unref();
      });
  }
}
