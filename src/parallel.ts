/**
 * Runs `body` on each item, at most `limit` at a time, and returns the results in the items'
 * order. After a failure no further item starts, but those running are awaited: their
 * cleanups must not race with the caller's. The first failure in time is thrown.
 */
export async function eachLimited<T, R>(
  items: readonly T[],
  limit: number,
  body: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        results[index] = await body(items[index]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
