/**
 * Kinesis sequence numbers: decimal strings of up to 128 bits, increasing
 * within a shard. They exceed `Number`'s precision and their length may vary,
 * so neither `Number` nor string order compares them; `BigInt` does.
 *
 * @module
 */

const DECIMAL = /^\d+$/;

/**
 * The value of a sequence number. Throws a `RangeError` on anything else,
 * rather than guess an order: the whole batch then fails, which is safe.
 */
function parse(text: string): bigint {
  if (!DECIMAL.test(text)) throw new RangeError(`not a sequence number: ${JSON.stringify(text)}`);
  return BigInt(text);
}

/** The lower of two sequence numbers, as given. */
export function lower(a: string, b: string): string {
  return parse(b) < parse(a) ? b : a;
}

/** The lowest of some sequence numbers, as given; `undefined` for none. */
export function lowest(sequenceNumbers: Iterable<string>): string | undefined {
  let min: string | undefined;
  for (const text of sequenceNumbers) min = lower(min ?? text, text);
  return min;
}
