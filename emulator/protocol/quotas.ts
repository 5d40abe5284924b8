/**
 * The KMS quota groups as token buckets on the emulator clock (shared/quota-groups.ts holds the
 * table). A bucket refills continuously, so "450 per second" and "50 per hour" both hold over any
 * window of that length.
 */
import { DEFAULT_QUOTAS, type QuotaGroup } from '../../shared/quota-groups';

export type QuotaSettings = Partial<Record<QuotaGroup, { limit: number; perMs: number }>>;

interface Bucket {
  limit: number;
  perMs: number;
  tokens: number;
  updatedAt: number;
}

export class QuotaBuckets {
  private readonly buckets = new Map<QuotaGroup, Bucket>();

  constructor(settings: QuotaSettings, now: number) {
    const merged = { ...DEFAULT_QUOTAS, ...settings };
    for (const group of Object.keys(merged) as QuotaGroup[]) {
      const q = merged[group];
      if (q) this.buckets.set(group, { limit: q.limit, perMs: q.perMs, tokens: q.limit, updatedAt: now });
    }
  }

  /** Takes one token; false when the group is exhausted. */
  take(group: QuotaGroup, now: number): boolean {
    const bucket = this.buckets.get(group);
    if (!bucket) return true;
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(bucket.limit, bucket.tokens + (elapsed * bucket.limit) / bucket.perMs);
    bucket.updatedAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
