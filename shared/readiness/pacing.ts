/**
 * Pacing per product for the readiness reads: evenly spaced calls, so a sweep over a large fleet
 * never bursts into a product's API quota. The products publish per-API flow control in their
 * consoles, not in the API references: the rate here is a conservative UNCONFIRMED choice, well
 * under the lowest default we know of, and shares nothing with the KMS quota groups.
 */
import { realTime, type RealTime } from '../adapters/alibaba/pacing';

/** Calls per second per product for the forecast's describes (UNCONFIRMED quotas; see above). */
export const READINESS_CALLS_PER_SECOND = 5;

export function productPacer(
  callsPerSecond = READINESS_CALLS_PER_SECOND,
  time: RealTime = realTime,
): (product: string) => Promise<void> {
  const next = new Map<string, number>();
  const interval = 1000 / Math.max(1, callsPerSecond);
  return async (product) => {
    const now = time.now();
    const slot = Math.max(now, next.get(product) ?? 0);
    next.set(product, slot + interval);
    if (slot > now) await time.sleep(slot - now);
  };
}
