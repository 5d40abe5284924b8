/** A full Config with the documented defaults (shared/config-types.ts), plus per-test tweaks. */
import type { Config } from '../../shared/config-types';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends Array<unknown> ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

const DAY = 86_400;

export function testConfig(overrides: DeepPartial<Config> = {}): Config {
  const base: Config = {
    regionId: 'cn-hangzhou',
    accountId: '1234567890123456',
    dryRun: false,
    logLevel: 'info',
    stateTagKey: 'kro-state',
    envTagKey: 'env',
    functions: { sweep: 'kro-sweep', onEvent: 'kro-on-event', remediate: 'kro-remediate' },
    sweep: { pageSize: 100, concurrency: 32, safetyMarginSeconds: 20, intervalSeconds: 600 },
    retry: { baseDelaySeconds: 120, maxDelaySeconds: 3600, maxAttempts: 4, maxEpisodeHours: 24, rotateBudgetPerHour: 40 },
    api: {
      maxAttempts: 5,
      baseDelayMs: 200,
      maxDelayMs: 10_000,
      totalTimeoutMs: 60_000,
      connectTimeoutMs: 5000,
      readTimeoutMs: 10_000,
      pacing: true,
      quotas: { readPerSecond: 450, listPerSecond: 40, writePerSecond: 10, rotatePerHour: 45 },
    },
    policies: {
      production: { minIntervalSeconds: 7 * DAY, maxIntervalSeconds: 30 * DAY, requireAutomaticRotation: true, requireDoubleAccountRds: true, genericMaxAgeSeconds: 90 * DAY },
      staging: { minIntervalSeconds: 1 * DAY, maxIntervalSeconds: 90 * DAY, requireAutomaticRotation: true, requireDoubleAccountRds: false, genericMaxAgeSeconds: 180 * DAY },
      dev: { minIntervalSeconds: 6 * 3600, maxIntervalSeconds: 365 * DAY, requireAutomaticRotation: false, requireDoubleAccountRds: false, genericMaxAgeSeconds: 365 * DAY },
    },
    checks: { ramExpectedHours: 48, defaultExpectedMinutes: 30, overdueGraceMinutes: 30 },
    alerts: { groupId: '0', reminderHours: 24, stormThreshold: 5, stormWindowSeconds: 60, contactGroup: 'kro-secops', mail: [] },
    verification: { enabled: true, scheduleHours: 24, connectTimeoutMs: 5000, queryTimeoutMs: 5000 },
  };
  return merge(base, overrides) as Config;
}

function merge(base: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch) || typeof base !== 'object' || base === null) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) out[k] = merge(out[k], v);
  return out;
}
