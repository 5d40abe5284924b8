/**
 * The one call-level retry: exponential backoff with FULL jitter, bounded attempts and total time,
 * a server Retry-After hint as a floor, and only for retryable CloudErrors. openapi-core's own
 * retry stays off (its default), so every product retries the same way.
 */
import type { Clock, Random } from '../../clock';
import { CloudError } from '../../errors';
import { fullJitterDelay } from '../../domain/backoff';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Total time budget of the call, waits included. */
  totalTimeoutMs: number;
}

export interface RetryDeps {
  clock: Pick<Clock, 'now' | 'sleep'>;
  random: Random;
  /** Told before each wait; used for the retries counter and debug logs. */
  onRetry?: (info: { attempt: number; delayMs: number; error: CloudError }) => void;
}

/** Delay before attempt `attempt + 1`, after attempt `attempt` (1-based) failed. */
export function nextDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: Random,
  retryAfterMs?: number,
): number {
  const jittered = Math.floor(fullJitterDelay(attempt, policy.baseDelayMs, policy.maxDelayMs, random));
  return retryAfterMs !== undefined && retryAfterMs > jittered ? retryAfterMs : jittered;
}

export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  deps: RetryDeps,
): Promise<T> {
  const started = deps.clock.now();
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!(error instanceof CloudError) || !error.retryable || attempt >= policy.maxAttempts) throw error;
      const delayMs = nextDelay(attempt, policy, deps.random, error.retryAfterMs);
      // A simulated clock does not move while we wait, so count the waits ourselves as well.
      const elapsed = Math.max(deps.clock.now() - started, waited);
      if (elapsed + delayMs > policy.totalTimeoutMs) throw error;
      deps.onRetry?.({ attempt, delayMs, error });
      await deps.clock.sleep(delayMs);
      waited += delayMs;
    }
  }
}
