import { describe, expect, it } from 'vitest';
import { measureReadiness, READINESS_TARGET, readinessFleet } from '../../bench/readiness-bench';

describe('readiness.callsPerSecretPerDay', () => {
  it('stays under the budget with 10 secrets per instance, and finds nothing on a healthy fleet', async () => {
    const m = await measureReadiness({ size: 1000, perInstance: 10, sweepMinutes: 60 });
    expect(m.findings).toBe(0);
    expect(m.callsPerSecretPerDay).toBeGreaterThan(0);
    expect(m.callsPerSecretPerDay).toBeLessThanOrEqual(READINESS_TARGET);
  });

  it('puts 10 secrets on each instance', () => {
    const fleet = readinessFleet(30, 10, 0);
    expect(new Set(fleet.map((s) => s.extendedConfig.DBInstanceId)).size).toBe(3);
  });
});
