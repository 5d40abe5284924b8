import { peakInWindow } from '../../bench/quota-bench';
import { describe, expect, it } from 'vitest';
import { parseSeed } from '../../emulator/seed';
import { median } from '../../bench/cold-start-bench';
import { percentile } from '../../bench/events-bench';
import { formatTable, selects, type Bench, type Figure } from '../../bench/figures';
import { fleetSecret, fleetSeed, typeAt } from '../../bench/fleet';
import { countCalls, quotaBoundMs, sweepQuotas } from '../../bench/quota-bound';
import { loadConfig } from '../../shared/config';
import { runBenches } from '../../bench/run';
import type { CallLogEntry } from '../../emulator/protocol/call-log';

const NOW = Date.parse('2026-11-22T00:00:00Z');
const DAY = 86_400_000;

const call = (action: string, extra: Partial<CallLogEntry> = {}): CallLogEntry => ({
  at: NOW,
  product: 'kms',
  action,
  params: {},
  status: 200,
  ...extra,
});

describe('the bench fleet', () => {
  it('is a valid seed for the emulator, with every secret type', () => {
    const seed = fleetSeed(200, NOW);
    expect(() => parseSeed(seed)).not.toThrow();
    expect(new Set(seed.Secrets.map((s) => s.SecretType))).toEqual(
      new Set(['Rds', 'PolarDB', 'RAMCredentials', 'ECS', 'Redis', 'Generic']),
    );
  });

  it('keeps every managed secret inside the production policy and not yet due', () => {
    for (const s of fleetSeed(300, NOW).Secrets.filter((x) => x.EnableAutomaticRotation)) {
      const days = Number(s.RotationInterval?.replace('d', ''));
      expect(days).toBeGreaterThanOrEqual(7);
      expect(days).toBeLessThanOrEqual(30);
      expect(Date.parse(s.LastRotationDate ?? '') + days * DAY).toBeGreaterThan(NOW);
    }
  });

  it('builds the same secret for the same index in every run', () => {
    expect(fleetSecret(42, NOW)).toEqual(fleetSecret(42, NOW));
    expect(typeAt(0)).toBe('Rds');
    expect(typeAt(199)).toBe('Generic');
  });
});

describe('the quota bound', () => {
  it('is set by the quota group that needs the most time, plus one latency', () => {
    const log = [
      ...Array.from({ length: 900 }, () => call('DescribeSecret')),
      ...Array.from({ length: 9 }, () => call('ListSecrets')),
    ];
    const { boundMs, dominant } = quotaBoundMs(countCalls(log).byGroup, 20);
    expect(dominant).toBe('read');
    expect(boundMs).toBeCloseTo((900 / 450) * 1000 + 20);
  });

  it('lets list calls dominate when they outweigh the reads', () => {
    const log = [
      ...Array.from({ length: 100 }, () => call('DescribeSecret')),
      ...Array.from({ length: 80 }, () => call('ListSecretVersionIds')),
    ];
    expect(quotaBoundMs(countCalls(log).byGroup, 0)).toEqual({ boundMs: 2000, dominant: 'list' });
  });

  it("is set by the sweep's paced share when given it, not by the documented quota", () => {
    const log = Array.from({ length: 45 }, () => call('DescribeSecret'));
    // The sweep's part of the default share: 22.5 reads/s (shared/quota-share.ts).
    expect(quotaBoundMs(countCalls(log).byGroup, 0, sweepQuotas(loadConfig({})))).toEqual({
      boundMs: 2000,
      dominant: 'read',
    });
  });

  it('counts throttled replies and calls of other products apart from the KMS groups', () => {
    const counts = countCalls([
      call('DescribeSecret', { status: 429, code: 'Rejected.Throttling' }),
      call('PutCustomMetric', { product: 'cms' }),
    ]);
    expect(counts).toMatchObject({
      total: 2,
      kms: 1,
      throttled: 1,
      byGroup: { read: 1 },
      byAction: { 'kms:DescribeSecret': 1, 'cms:PutCustomMetric': 1 },
    });
  });
});

describe('the sliding-second peak', () => {
  it('counts the most calls inside any one-second window, not per calendar second', () => {
    // 3 calls at the end of one second and 3 at the start of the next: 6 in one sliding second.
    expect(peakInWindow([100, 900, 950, 999, 1001, 1050, 1200, 5000], 1000)).toBe(6);
    expect(peakInWindow([0, 1000, 2000], 1000)).toBe(1);
    expect(peakInWindow([], 1000)).toBe(0);
  });
});

describe('statistics', () => {
  it('takes the nearest-rank percentile and the middle of an even median', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 50)).toBe(50);
    expect(median([5, 1, 3, 2])).toBe(2.5);
  });
});

describe('the runner', () => {
  const bench = (name: string, figures: string[], prefixes?: string[]): Bench => ({
    name,
    prefixes,
    run: async (report) => figures.forEach((f) => report({ name: f, value: 1, unit: 'x' })),
  });

  it('runs only the benches whose figures start with --only, and prints only those figures', async () => {
    const lines: string[] = [];
    const benches = [
      bench('sweep', ['sweep.1000.ratio', 'sweep.10000.ratio']),
      bench('coldStart', ['coldStart.sweep.ms', 'bundle.sweep.bytes'], ['coldStart', 'bundle']),
    ];
    const { figures } = await runBenches(benches, ['sweep.10000'], (l) => lines.push(l));
    expect(figures.map((f) => f.name)).toEqual(['sweep.10000.ratio']);
    expect(lines.map((l) => (JSON.parse(l) as Figure).name)).toEqual(['sweep.10000.ratio']);
    expect((await runBenches(benches, ['bundle'], () => undefined)).figures.map((f) => f.name)).toEqual([
      'bundle.sweep.bytes',
    ]);
    expect(selects(benches[1]!, 'coldStart.on-event')).toBe(true);
    expect(selects(benches[0]!, 'events')).toBe(false);
  });

  it('keeps running the other benches when one crashes, and names it', async () => {
    const crashing: Bench = { name: 'events', run: () => Promise.reject(new Error('boom')) };
    const warnings: string[] = [];
    const { figures, crashed } = await runBenches(
      [crashing, bench('detection', ['detection.eventToAlertMs'])],
      [],
      () => undefined,
      (text) => warnings.push(text),
    );
    expect(crashed).toEqual(['events']);
    expect(warnings.join('')).toContain('bench events failed: Error: boom');
    expect(figures).toHaveLength(1);
  });

  it('prints a table with the target and ok or MISSED', () => {
    const table = formatTable([
      { name: 'events.p99Ms', value: 12.3456, unit: 'ms', target: '< 50', ok: true },
      { name: 'sweep.10000.ratio', value: 1.4, unit: 'x', target: '<= 1.25', ok: false },
    ]);
    expect(table).toMatch(/events\.p99Ms\s+12\.346\s+ms\s+< 50\s+ok/);
    expect(table).toMatch(/sweep\.10000\.ratio\s+1\.400\s+x\s+<= 1\.25\s+MISSED/);
  });
});
