import { describe, expect, it } from 'vitest';
import { countingReads } from '../../bench/readiness-bench';
import type { SecretDescription } from '../../shared/ports/kms';
import { forecastSweep } from '../../shared/readiness/sweep-forecast';
import { testConfig } from '../helpers/config';

const H = 3_600_000;
const NOW = Date.parse('2026-11-01T00:00:00Z');

function secret(name: string, extra: Partial<SecretDescription> = {}): SecretDescription {
  return {
    secretName: name,
    secretType: 'Rds',
    automaticRotation: 'Enabled',
    nextRotationDate: NOW + 30 * H,
    extendedConfig: { SecretSubType: 'SingleUser', DBInstanceId: 'rm-1', AccountName: 'app' },
    tags: {},
    ...extra,
  };
}

describe('forecastSweep', () => {
  it('holds the retry of a failed rotation while its cause is present, not when it is only unreadable', async () => {
    const { reads } = countingReads();
    const stopped = { ...reads, rdsInstance: async () => ({ status: 'Stopped' }) };
    const held = await forecastSweep({
      reads: stopped,
      config: testConfig(),
      secrets: [secret('db', { automaticRotation: 'Invalid' })],
      now: NOW,
    });
    expect(held.holdRetry('db')).toBe(true);
    expect(held.findings[0]).toMatchObject({ cause: 'instance-not-running', severity: 'warning' });
    const denied = { ...reads, rdsInstance: async () => Promise.reject(new Error('denied')) };
    const open = await forecastSweep({
      reads: denied,
      config: testConfig(),
      secrets: [secret('db', { automaticRotation: 'Invalid' })],
      now: NOW,
    });
    expect(open.holdRetry('db')).toBe(false);
    expect(open.findings).toEqual([]);
  });

  it('reports who a KMS-instance secret policy admits, and "no policy" for shared KMS', async () => {
    const { reads } = countingReads();
    const broad = {
      ...reads,
      secretPolicy: async () =>
        JSON.stringify({
          Version: '1',
          Statement: [{ Effect: 'Allow', Principal: { RAM: ['*'] }, Action: ['kms:GetSecretValue'], Resource: ['*'] }],
        }),
    };
    const secrets = [
      secret('vaulted', { secretType: 'Generic', automaticRotation: 'Disabled', dkmsInstanceId: 'kst-1' }),
      secret('shared', { secretType: 'Generic', automaticRotation: 'Disabled' }),
    ];
    // The policy is read on the secret's daily turn: run a day of hourly sweeps.
    const seen = new Map<string, unknown>();
    let broadSeen: Array<{ secretName: string; principals: string[] }> = [];
    for (let t = NOW; t < NOW + 24 * H; t += H) {
      const r = await forecastSweep({
        reads: broad,
        config: testConfig({ sweep: { intervalSeconds: 3600 } }),
        secrets,
        now: t,
      });
      for (const [name, entry] of r.bySecret) if (entry.policy) seen.set(name, entry.policy);
      broadSeen = broadSeen.concat(r.broadPolicies);
    }
    expect(seen.get('shared')).toEqual({ kind: 'no-policy' });
    expect(seen.get('vaulted')).toEqual({ kind: 'policy', principals: ['*'], broad: ['*'] });
    expect(broadSeen).toEqual([{ secretName: 'vaulted', principals: ['*'] }]);
  });
});
