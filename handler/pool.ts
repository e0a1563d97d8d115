/**
 * Bounded concurrency: DynamoDB charges nothing for parallelism, but a
 * hundred trucks written at once would open a hundred sockets and turn one
 * throttling episode into a hundred retries.
 *
 * @module
 */

/**
 * Runs `task` over every item with at most `limit` running at once, and
 * settles like `Promise.allSettled`: one failure never stops the others.
 */
export async function settleAll<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await task(items[index] as T) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
