/**
 * Every cloud call goes through here: pacing (KMS quota groups), then the one retry policy, then
 * the SDK; every failure becomes a CloudError; calls, throttled replies and retries are counted.
 */
import type { Clock, Random } from '../../clock';
import { isThrottling, type Product } from '../../errors';
import type { Logger } from '../../ports/logger';
import { toCloudError } from './errors';
import { noPacing, type Pacer } from './pacing';
import { type RetryPolicy, withRetry } from './retry';

export interface CallStats {
  calls: number;
  throttled: number;
  retries: number;
}

export interface Caller {
  call<T>(product: Product, action: string, fn: () => Promise<T>): Promise<T>;
  stats(): CallStats;
}

/**
 * The one call-level retry policy: five attempts with full-jitter backoff from 200 ms to 10 s,
 * never past a minute in all. Throttling and 5xx clear in seconds; a cause that lasts longer is
 * the episode's to retry (domain/retry-policy.ts), not the call's.
 */
export const API_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  totalTimeoutMs: 60_000,
};

export function createCaller(deps: {
  policy: RetryPolicy;
  clock: Clock;
  random: Random;
  pacer?: Pacer;
  logger?: Logger;
}): Caller {
  const counts: CallStats = { calls: 0, throttled: 0, retries: 0 };
  const pacer = deps.pacer ?? noPacing;
  return {
    async call(product, action, fn) {
      return withRetry(
        async () => {
          if (product === 'kms') await pacer.acquire(action);
          counts.calls++;
          try {
            return await fn();
          } catch (error) {
            const cloudError = toCloudError(error, product, action);
            if (isThrottling(cloudError.code)) counts.throttled++;
            throw cloudError;
          }
        },
        deps.policy,
        {
          clock: deps.clock,
          random: deps.random,
          onRetry: ({ attempt, delayMs, error }) => {
            counts.retries++;
            deps.logger?.debug('retrying cloud call', {
              product,
              action,
              attempt,
              delayMs,
              code: error.code,
              requestId: error.requestId,
            });
          },
        },
      );
    },
    stats: () => ({ ...counts }),
  };
}
