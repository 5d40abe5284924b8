/**
 * DescribeSecret calls in flight at once, in the sweep and the audit: enough to keep the instance's
 * share of the read quota group (quota-share.ts) busy at tens of ms per call, few enough for a
 * 512 MB function.
 */
export const DESCRIBE_CONCURRENCY = 32;

/** State tag writes in flight at once when a pass commits (core/episode-store.ts saveAll). */
export const TAG_WRITE_CONCURRENCY = 8;

/**
 * The most KMS calls of one quota group an invocation keeps in flight at once: the describe workers
 * (one call at a time each), the listing ahead of them, and the state tag writes of a commit
 * should they overlap. The pacer waits out a queue this long at any rate
 * rather than refusing it (adapters/alibaba/pacing.ts): at an instance's small share of a quota,
 * the queue is what makes the wait long, not a caller out of bounds.
 */
export const MAX_KMS_CALLS_IN_FLIGHT = DESCRIBE_CONCURRENCY + 1 + TAG_WRITE_CONCURRENCY;

/** Runs fn over items with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
