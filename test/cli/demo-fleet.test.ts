import { describe, expect, it } from 'vitest';
import { DEMO_TROUBLE, demoFleet, secretValuesOf } from '../../cli/commands/demo-fleet';

const none = { postgresql: false, mysql: false, redis: false };
const all = { postgresql: true, mysql: true, redis: true };
const now = '2026-01-05T00:00:00Z';

describe('demoFleet', () => {
  it('holds at least 30 secrets of every type and sub-type, each with an env tag', () => {
    const seed = demoFleet({ now, realServers: none });
    expect(seed.Secrets.length).toBeGreaterThanOrEqual(30);
    const kinds = new Set(seed.Secrets.map((s) => `${s.SecretType}/${s.ExtendedConfig?.SecretSubType ?? '-'}`));
    for (const k of [
      'Rds/SingleUser',
      'Rds/DoubleUsers',
      'RAMCredentials/RamUserAccessKey',
      'ECS/Password',
      'ECS/SSHKey',
      'Redis/DoubleUsers',
      'PolarDB/DoubleUsers',
      'Generic/-',
    ]) {
      expect(kinds).toContain(k);
    }
    expect(seed.Secrets.every((s) => ['prod', 'staging', 'dev'].includes(s.Tags.env ?? ''))).toBe(true);
    expect(new Set(seed.Secrets.map((s) => s.SecretName)).size).toBe(seed.Secrets.length);
  });

  it('seeds every kind of trouble the demo is meant to show', () => {
    const seed = demoFleet({ now, realServers: none });
    const byName = new Map(seed.Secrets.map((s) => [s.SecretName, s]));
    const t = (name: string) => byName.get(name)!;
    expect(t(DEMO_TROUBLE.transient).Faults).toEqual([
      expect.objectContaining({ Kind: 'RotationFailure', ErrorCode: 'InternalFailure', Times: 2 }),
    ]);
    expect(t(DEMO_TROUBLE.permanent).Faults?.[0]).toMatchObject({
      Kind: 'RotationFailure',
      ErrorCode: 'Forbidden.NoPermission',
    });
    expect(t(DEMO_TROUBLE.permanent).Faults?.[0]?.Times).toBeUndefined();
    expect(t(DEMO_TROUBLE.deletedInstance).DeletedTarget).toBe(true);
    expect(t(DEMO_TROUBLE.disabled).EnableAutomaticRotation).toBe(false);
    expect(t(DEMO_TROUBLE.intervalOutOfPolicy).RotationInterval).toBe('90d');
    expect(t(DEMO_TROUBLE.singleUserProd)).toMatchObject({
      SecretType: 'Rds',
      Tags: { env: 'prod' },
      ExtendedConfig: { SecretSubType: 'SingleUser' },
    });
    expect(Date.parse(t(DEMO_TROUBLE.scheduledDeletion).PlannedDeleteTime!)).toBeGreaterThan(Date.parse(now));
    expect(t(DEMO_TROUBLE.stuckRam)).toMatchObject({
      SecretType: 'RAMCredentials',
      Faults: [{ Kind: 'RotationStuck' }],
    });
    expect(seed.Faults.map((f) => f.Kind).sort()).toEqual(['EventDrop', 'EventDuplicate', 'EventDuplicate']);
  });

  it('binds secrets to the real servers only when they are there, with a probe target tag and one not-applied fault', () => {
    expect(demoFleet({ now, realServers: none }).Secrets.some((s) => s.Backing)).toBe(false);
    const backed = demoFleet({ now, realServers: all }).Secrets.filter((s) => s.Backing);
    expect(backed.map((s) => s.Backing!.Engine).sort()).toEqual(['mysql', 'postgresql', 'redis']);
    expect(backed.every((s) => s.Tags['kro-probe']?.startsWith(`${s.Backing!.Engine}://127.0.0.1:`))).toBe(true);
    expect(backed.flatMap((s) => s.Faults ?? []).filter((f) => f.Kind === 'RotationNotApplied')).toHaveLength(1);
  });

  it('is the same fleet every run, and its values look real but are generated', () => {
    const a = demoFleet({ now, realServers: all });
    expect(demoFleet({ now, realServers: all })).toEqual(a);
    const ram = a.Secrets.find((s) => s.SecretType === 'RAMCredentials')!;
    expect(JSON.parse(ram.SecretData).AccessKeys[0].AccessKeyId).toMatch(/^LTAI5t[A-Za-z0-9]{18}$/);
    const values = secretValuesOf(a);
    expect(values.length).toBeGreaterThan(a.Secrets.length);
    expect(values).not.toContain('root');
  });
});
