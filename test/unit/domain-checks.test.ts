import { describe, expect, it } from 'vitest';
import { evaluate } from '../../shared/domain/checks';
import { policyFor } from '../../shared/domain/policy';
import type { ObservedSecret } from '../../shared/domain/types';
import type { SecretDescription } from '../../shared/ports/kms';
import { testConfig } from '../helpers/config';
import { DAY, HOUR, T0, aSecret } from '../helpers/fakes';

const config = testConfig();

function check(description: SecretDescription, extra: Partial<ObservedSecret> = {}, now = T0) {
  const observed: ObservedSecret = { description, observedAt: now, ...extra };
  return evaluate(observed, policyFor(description, config).policy, config, now);
}
const ids = (findings: ReturnType<typeof check>) => findings.map((f) => f.checkId);

describe('checks', () => {
  it('finds nothing wrong with a healthy dual-account RDS secret', () => {
    expect(check(aSecret())).toEqual([]);
  });

  it('reports rotation-failed when AutomaticRotation is Invalid', () => {
    const [f] = check(aSecret({ automaticRotation: 'Invalid' }));
    expect(f).toMatchObject({
      checkId: 'rotation-failed',
      severity: 'critical',
      remediable: true,
      cause: { target: 'rm-orders01' },
    });
  });

  it('reports rotation-failed for a failure newer than the last rotation, with its code', () => {
    const [f] = check(aSecret(), { lastFailure: { errorCode: 'IncorrectDBInstanceState', at: T0 - HOUR } });
    expect(f?.checkId).toBe('rotation-failed');
    expect(f?.evidence.errorCode).toBe('IncorrectDBInstanceState');
  });

  it('ignores a failure older than the last successful rotation', () => {
    expect(check(aSecret(), { lastFailure: { errorCode: 'InternalFailure', at: T0 - 3 * DAY } })).toEqual([]);
  });

  it('reports rotation-overdue only after the expected completion time and grace have passed', () => {
    const due = aSecret({ nextRotationDate: T0 - 50 * 60_000, lastRotationDate: T0 - 30 * DAY });
    expect(ids(check(due))).toEqual([]);
    const late = aSecret({ nextRotationDate: T0 - 61 * 60_000, lastRotationDate: T0 - 30 * DAY });
    expect(ids(check(late))).toEqual(['rotation-overdue']);
  });

  it('gives a RAM rotation about 48 hours before it is overdue', () => {
    const ram = aSecret({
      secretType: 'RAMCredentials',
      extendedConfig: { UserName: 'deployer' },
      nextRotationDate: T0 - 40 * HOUR,
      lastRotationDate: T0 - 31 * DAY,
    });
    expect(ids(check(ram))).toEqual([]);
    expect(ids(check({ ...ram, nextRotationDate: T0 - 50 * HOUR }))).toEqual(['rotation-overdue']);
  });

  it('treats a RAM rotation running 40 h as normal and 50 h as stuck-in-progress', () => {
    const ram = aSecret({
      secretType: 'RAMCredentials',
      extendedConfig: { UserName: 'deployer' },
      lastRotationDate: T0 - 20 * DAY,
    });
    expect(ids(check(ram, { rotationStartedAt: T0 - 40 * HOUR }))).toEqual([]);
    expect(ids(check(ram, { rotationStartedAt: T0 - 50 * HOUR }))).toEqual(['stuck-in-progress']);
  });

  it('forgets a rotation start once a rotation completed after it', () => {
    expect(check(aSecret({ lastRotationDate: T0 - HOUR }), { rotationStartedAt: T0 - 2 * HOUR })).toEqual([]);
  });

  it('reports rotation-disabled for a managed secret where policy requires rotation, not in dev', () => {
    const off = aSecret({
      automaticRotation: 'Disabled',
      rotationIntervalSeconds: undefined,
      nextRotationDate: undefined,
    });
    expect(ids(check(off))).toEqual(['rotation-disabled']);
    expect(ids(check({ ...off, tags: { env: 'dev' } }))).toEqual([]);
  });

  it('reports interval-out-of-policy below the minimum and above the maximum', () => {
    expect(ids(check(aSecret({ rotationIntervalSeconds: 86_400 })))).toEqual(['interval-out-of-policy']);
    expect(ids(check(aSecret({ rotationIntervalSeconds: 90 * 86_400 })))).toEqual(['interval-out-of-policy']);
    expect(ids(check(aSecret({ rotationIntervalSeconds: 90 * 86_400, tags: { env: 'staging' } })))).toEqual([]);
  });

  it('reports single-user-rds where policy wants double accounts, counting DualUser as double', () => {
    expect(ids(check(aSecret({ extendedConfig: { SecretSubType: 'SingleUser' } })))).toEqual(['single-user-rds']);
    expect(ids(check(aSecret({ extendedConfig: { SecretSubType: 'DualUser' } })))).toEqual([]);
    expect(ids(check(aSecret({ extendedConfig: { SecretSubType: 'SingleUser' }, tags: { env: 'staging' } })))).toEqual(
      [],
    );
  });

  it('reports generic-stale when the ACSCurrent version is older than the maximum age', () => {
    const generic = aSecret({
      secretType: 'Generic',
      automaticRotation: undefined,
      rotationIntervalSeconds: undefined,
      nextRotationDate: undefined,
      lastRotationDate: undefined,
      extendedConfig: {},
    });
    const versions = (age: number) => [
      { versionId: 'old', createTime: T0 - 400 * DAY, versionStages: ['ACSPrevious'] },
      { versionId: 'cur', createTime: T0 - age, versionStages: ['ACSCurrent'] },
    ];
    expect(ids(check(generic, { versions: versions(30 * DAY) }))).toEqual([]);
    expect(ids(check(generic, { versions: versions(91 * DAY) }))).toEqual(['generic-stale']);
  });

  it('reports deletion-scheduled with the permanent date and RestoreSecret, and skips rotation checks', () => {
    const findings = check(aSecret({ automaticRotation: 'Invalid', plannedDeleteTime: T0 + 7 * DAY }));
    expect(ids(findings)).toEqual(['deletion-scheduled']);
    expect(findings[0]?.evidence.plannedDeleteTime).toBe(new Date(T0 + 7 * DAY).toISOString());
    expect(findings[0]?.runbook).toContain('aliyun kms RestoreSecret --SecretName rds/orders');
  });

  it('reports verification-failed when the probe failed', () => {
    expect(ids(check(aSecret(), { verification: { ok: false, reason: 'access denied', at: T0 } }))).toEqual([
      'verification-failed',
    ]);
    expect(ids(check(aSecret(), { verification: { ok: true, at: T0 } }))).toEqual([]);
  });

  it('gives every finding a runbook, a summary and evidence', () => {
    const all = [
      ...check(aSecret({ automaticRotation: 'Invalid', extendedConfig: { SecretSubType: 'SingleUser' } })),
      ...check(aSecret({ rotationIntervalSeconds: 86_400 }), { verification: { ok: false, at: T0 } }),
    ];
    for (const f of all) {
      expect(f.runbook.length).toBeGreaterThan(10);
      expect(f.summary).toContain('rds/orders');
      expect(Object.keys(f.evidence).length).toBeGreaterThan(0);
    }
  });
});
