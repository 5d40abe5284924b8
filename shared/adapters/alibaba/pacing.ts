/**
 * Client-side pacing per KMS quota group (shared/quota-groups.ts), so the orchestrator stays within
 * its share of the service's limits (shared/quota-share.ts) instead of bouncing off
 * Rejected.Throttling and crowding out the customer's applications. A GCRA token bucket per group:
 * each acquire reserves its slot synchronously, so parallel callers are served in arrival order.
 * Pacing runs on REAL time: the business clock does not move inside a simulated invocation.
 */
import type { Config } from '../../config-types';
import { MAX_KMS_CALLS_IN_FLIGHT } from '../../concurrency';
import { CloudError } from '../../errors';
import { InstanceMemory } from '../../instance-memory';
import { type QuotaGroup, quotaGroupOf } from '../../quota-groups';
import { instanceRates, type QuotaConsumer } from '../../quota-share';

export interface RealTime {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTime: RealTime = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface Bucket {
  intervalMs: number;
  /** How far ahead of now the schedule may run before callers wait: (burst - 1) * interval. */
  toleranceMs: number;
  /** The longest wait served rather than refused. */
  maxWaitMs: number;
  theoreticalArrival: number;
}

export interface Pacer {
  /** Waits for a slot of the action's quota group; throws a throttling CloudError rather than wait past maxWaitMs. */
  acquire(action: string): Promise<void>;
}

export const noPacing: Pacer = { acquire: async () => {} };

export function createPacer(options: {
  /** A group without a limit is not paced. */
  limits: Partial<Record<QuotaGroup, { limit: number; perMs: number }>>;
  /** A wait longer than this is refused: a function must not idle most of its timeout away. */
  maxWaitMs: number;
  /**
   * The most calls the callers keep in flight on one group. Every wait comes from the slots queued
   * ahead, so a queue this long is waited out whatever the rate (a lower share makes each slot
   * longer, not the caller wrong); only a longer queue is refused.
   */
  maxQueued?: number;
  time?: RealTime;
}): Pacer {
  const time = options.time ?? realTime;
  const buckets = new Map<QuotaGroup, Bucket>();
  for (const [group, { limit, perMs }] of Object.entries(options.limits) as Array<
    [QuotaGroup, { limit: number; perMs: number }]
  >) {
    const intervalMs = perMs / Math.max(1, limit);
    // Per-second groups are spaced evenly (no window can see more than the limit); the hourly
    // RotateSecret budget may be spent in a burst, which is how remediation needs it.
    const burst = perMs > 1000 ? limit : 1;
    buckets.set(group, {
      intervalMs,
      toleranceMs: (burst - 1) * intervalMs,
      maxWaitMs: Math.max(options.maxWaitMs, (options.maxQueued ?? 0) * intervalMs),
      theoreticalArrival: 0,
    });
  }

  return {
    async acquire(action) {
      const group = quotaGroupOf(action);
      const bucket = buckets.get(group);
      if (!bucket) return;
      const now = time.now();
      const start = Math.max(bucket.theoreticalArrival, now);
      const waitMs = Math.max(0, start - now - bucket.toleranceMs);
      if (waitMs > bucket.maxWaitMs) {
        throw new CloudError({
          code: 'Throttling.ClientPacing',
          message: `the ${group} quota group is paced; next slot in ${Math.ceil(waitMs)} ms`,
          product: 'kms',
          action,
          retryable: true,
          retryAfterMs: Math.ceil(waitMs),
        });
      }
      bucket.theoreticalArrival = start + bucket.intervalMs;
      if (waitMs > 0) await time.sleep(waitMs);
    },
  };
}

/** A slot further away than this (and than MAX_KMS_CALLS_IN_FLIGHT slots) is refused as throttled: the caller backs off. */
const MAX_PACING_WAIT_MS = 5_000;

/**
 * One pacer per warm instance (its Config object) and consumer: the invocations an instance runs at
 * once (on-event's instanceConcurrency) share its part, so the parts add up to at most the share
 * whether FC's reserved concurrency counts requests or instances (UNCONFIRMED which).
 */
const instancePacers = new InstanceMemory(() => new Map<QuotaConsumer, Pacer>());

export function instancePacer(config: Config, consumer: QuotaConsumer): Pacer {
  const byConsumer = instancePacers.of(config);
  let pacer = byConsumer.get(consumer);
  if (!pacer) byConsumer.set(consumer, (pacer = pacerFromConfig(config, consumer)));
  return pacer;
}

/**
 * Paces the per-second groups at this instance's part of the orchestrator's share
 * (quota-share.ts: the sweep's, on-event's, remediate's or the CLI's). RotateSecret is not paced
 * here: its one budget (KRO_ROTATE_BUDGET_PER_HOUR) is enforced across the deployment by the domain
 * (domain/rotate-budget.ts), which a per-instance bucket cannot see.
 */
export function pacerFromConfig(config: Config, consumer: QuotaConsumer, time?: RealTime): Pacer {
  if (!config.api.pacing) return noPacing;
  const rates = instanceRates(config, consumer);
  const perSecond = (limit: number) => ({ limit, perMs: 1000 });
  return createPacer({
    limits: { read: perSecond(rates.read), list: perSecond(rates.list), write: perSecond(rates.write) },
    maxWaitMs: MAX_PACING_WAIT_MS,
    maxQueued: MAX_KMS_CALLS_IN_FLIGHT,
    time,
  });
}
