/**
 * The physical limit of a sweep: the calls it made, per KMS quota group, divided by that group's
 * documented quota; the slowest group dominates, plus one call's latency for the last reply.
 */
import type { CallLogEntry } from '../emulator/protocol/call-log';
import type { Config } from '../shared/config-types';
import { DEFAULT_QUOTAS, quotaGroupOf, type QuotaGroup } from '../shared/quota-groups';
import { instanceRates } from '../shared/quota-share';

export interface CallCounts {
  total: number;
  kms: number;
  throttled: number;
  byAction: Record<string, number>;
  byGroup: Partial<Record<QuotaGroup, number>>;
}

export function countCalls(entries: readonly CallLogEntry[]): CallCounts {
  const counts: CallCounts = { total: 0, kms: 0, throttled: 0, byAction: {}, byGroup: {} };
  for (const e of entries) {
    counts.total += 1;
    const key = `${e.product}:${e.action}`;
    counts.byAction[key] = (counts.byAction[key] ?? 0) + 1;
    if (e.status === 429 || e.code === 'Rejected.Throttling') counts.throttled += 1;
    if (e.product !== 'kms') continue;
    counts.kms += 1;
    const group = quotaGroupOf(e.action);
    counts.byGroup[group] = (counts.byGroup[group] ?? 0) + 1;
  }
  return counts;
}

export function quotaBoundMs(
  byGroup: CallCounts['byGroup'],
  latencyMs: number,
  quotas = DEFAULT_QUOTAS,
): { boundMs: number; dominant: QuotaGroup | undefined } {
  let boundMs = 0;
  let dominant: QuotaGroup | undefined;
  for (const [group, calls] of Object.entries(byGroup) as Array<[QuotaGroup, number]>) {
    const q = quotas[group];
    // As issue 8 defines it: calls / quota (steady state, the bucket's initial burst not counted).
    const ms = (calls * q.perMs) / q.limit;
    if (ms >= boundMs) {
      boundMs = ms;
      dominant = group;
    }
  }
  return { boundMs: boundMs + latencyMs, dominant };
}

/**
 * The limits the sweep's one instance paces itself to: its part of the configured share
 * (shared/quota-share.ts), which is its physical limit now, not the documented quota.
 */
export function sweepQuotas(config: Pick<Config, 'api'>): typeof DEFAULT_QUOTAS {
  const rates = instanceRates(config, 'sweep');
  const perSecond = (limit: number) => ({ limit, perMs: 1000 });
  return { ...DEFAULT_QUOTAS, read: perSecond(rates.read), list: perSecond(rates.list), write: perSecond(rates.write) };
}
