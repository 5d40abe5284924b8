/**
 * DescribeSecret calls in flight at once, in the sweep and the audit: enough to keep the read quota
 * group (450/s, shared with the customer's applications) busy at tens of ms per call, few enough
 * for a 512 MB function.
 */
export const DESCRIBE_CONCURRENCY = 32;

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
