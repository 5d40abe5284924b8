/**
 * The readiness forecast through the product (issue 16 acceptance): the deployed functions (s.yaml
 * on the local runtime, hourly sweeps) against the emulator. Each of 8 conditions is induced 72 h
 * before a secret's NextRotationDate: the sweep opens rotation-at-risk naming the cause at least
 * 24 h before the due date and alerts KmsRotationAtRisk. Left unfixed, the rotation fails in the
 * emulator with the documented code, and no retry is spent while the cause is there; fixed in
 * time, the finding resolves and the rotation succeeds. Secret policies: `*` raises
 * secret-policy-broad, the account's own roles do not, a shared-KMS secret has no policy.
 */
import { alertFields } from '../../shared/domain/alert-text';
import { describe, expect, it } from 'vitest';
import type { TargetsSeed } from '../../emulator/services/targets/seed';
import { DAY, HOUR, START_MS, aSecret, episodesOf, startScenario, type Scenario } from '../helpers/scenario';
import { readinessConditions, type ReadinessCondition } from '../helpers/readiness-conditions';

const DUE = START_MS + 72 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
/** LastRotationDate such that NextRotationDate = DUE (a 7-day interval). */
const LAST = iso(DUE - 7 * DAY);
const HOURLY = { KRO_SWEEP_CRON: '0 0 * * * *' };

const TARGETS: TargetsSeed = {
  RdsInstances: [{ DBInstanceId: 'rm-1', Accounts: ['app', 'app_clone'] }],
  RamUsers: [{ UserName: 'svc', AccessKeys: [{ AccessKeyId: 'LTAI5tSvcKey000000000001', AccessKeySecret: 'x-1' }] }],
  EcsInstances: [{ InstanceId: 'i-1' }],
  KmsInstances: [{ KmsInstanceId: 'kst-1', EndDate: '2027-11-01T00:00:00Z' }],
};

/** The accounts KMS rotates are the ones the value names: app and app_clone, as on rm-1. */
const APP_ACCOUNTS = JSON.stringify({
  Accounts: [
    { AccountName: 'app', AccountPassword: 'pw-app-Rds1' },
    { AccountName: 'app_clone', AccountPassword: 'pw-app-Rds2' },
  ],
});

const SECRETS = {
  db: aSecret('db', 'rds', {
    LastRotationDate: LAST,
    SecretData: APP_ACCOUNTS,
    ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-1', AccountName: 'app' },
  }),
  ram: aSecret('acs/ram/user/svc', 'ram', {
    LastRotationDate: LAST,
    SecretData: '{"AccessKeys":[{"AccessKeyId":"LTAI5tSvcKey000000000001","AccessKeySecret":"x-1"}]}',
    ExtendedConfig: { SecretSubType: 'RamUserAccessKey', UserName: 'svc' },
  }),
  ecs: aSecret('acs/ecs/i-1/root', 'ecs', {
    LastRotationDate: LAST,
    ExtendedConfig: { SecretSubType: 'Password', RegionId: 'cn-hangzhou', InstanceId: 'i-1' },
  }),
  vaulted: aSecret('vaulted-db', 'rds', {
    LastRotationDate: LAST,
    SecretData: APP_ACCOUNTS,
    ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-1', AccountName: 'app' },
    DKMSInstanceId: 'kst-1',
  }),
};

const CONDITIONS = readinessConditions(DUE);

async function control(s: Scenario, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await s.emulator.fetch(
    new Request('http://127.0.0.1/_emulator/targets', { method: 'POST', body: JSON.stringify(body) }),
  );
  expect(r.status).toBe(200);
  return (await r.json()) as Record<string, unknown>;
}

const atRisk = (s: Scenario, name: string) =>
  episodesOf(s, name, 'rotation-at-risk').filter((e) => e.status !== 'resolved');

function atRiskAlerts(s: Scenario, name: string) {
  return s
    .alerts()
    .filter((a) => a.name === 'KmsRotationAtRisk' && a.secrets.includes(name))
    .map((a) => alertFields(a.content) as Record<string, any>);
}

async function induced(c: ReadinessCondition) {
  const secret = SECRETS[c.secret];
  const s = await startScenario({ secrets: [secret], targets: TARGETS, env: HOURLY });
  const answer = await control(s, c.induce);
  const name = secret.SecretName;
  const took = await s.advanceUntil(() => atRisk(s, name).length > 0, 30 * HOUR, HOUR);
  return { s, name, answer, foundAt: START_MS + took };
}

describe('rotation-at-risk through the sweep: 8 conditions induced 72 h before the rotation', () => {
  for (const c of CONDITIONS) {
    it(`${c.name}: found >= 24 h ahead; unfixed, the rotation fails with ${c.code} and no retry is spent`, async () => {
      const { s, name, foundAt } = await induced(c);
      expect(atRisk(s, name)).toHaveLength(1);
      expect(DUE - foundAt).toBeGreaterThanOrEqual(24 * HOUR);
      const [alert] = atRiskAlerts(s, name);
      expect(alert).toMatchObject({
        checkId: 'rotation-at-risk',
        severity: 'warning',
        evidence: { cause: c.cause },
      });
      expect(String(alert!.evidence.resource)).toContain(c.resource);
      expect(alert!.runbook).toContain(c.resource);
      await s.advance(10 * 60_000);
      expect(s.rawNotifications().some((n) => n.eventName === 'KmsRotationAtRisk')).toBe(true);

      await s.advanceUntil(() => s.history(name).length > 0, DUE + 49 * HOUR - s.now(), HOUR);
      expect(s.history(name)[0]).toMatchObject({ outcome: 'failure', errorCode: c.code });
      expect(atRisk(s, name)).toHaveLength(1);
      // Held, not spent: no RotateSecret by the orchestrator while the cause is there.
      await s.advance(6 * HOUR);
      expect(s.calls('RotateSecret').filter((r) => r.principal?.startsWith('assumed-role/'))).toEqual([]);
    });

    it(`${c.name}: fixed in time, the finding resolves and the rotation succeeds`, async () => {
      const { s, name, answer } = await induced(c);
      await s.advance(START_MS + 30 * HOUR - s.now());
      const fix = { ...c.fix };
      if (fix.DeleteAccessKey === '$added') fix.DeleteAccessKey = answer.accessKeyId;
      await control(s, fix);
      await s.advanceUntil(() => atRisk(s, name).length === 0, 12 * HOUR, HOUR);
      expect(atRisk(s, name)).toEqual([]);
      expect(s.alerts().some((a) => a.name === 'KmsRotationRecovered' && a.secrets.includes(name))).toBe(true);
      await s.advanceUntil(() => s.history(name).length > 0, DUE + 49 * HOUR - s.now(), HOUR);
      expect(s.history(name)[0]).toMatchObject({ outcome: 'success' });
      expect(episodesOf(s, name).filter((e) => e.status !== 'resolved')).toEqual([]);
    });
  }
});

describe('a retry held while a known cause is present', () => {
  it('does not spend an attempt on a stopped instance, and retries once it runs again', async () => {
    const s = await startScenario({ secrets: [SECRETS.db], targets: TARGETS, env: HOURLY });
    // The instance stops after the last forecast turn and right before the rotation: no warning in time.
    await s.advance(DUE - 30 * 60_000 - s.now());
    await control(s, { Kind: 'RdsInstance', Id: 'rm-1', Status: 'Stopped' });
    await s.advanceUntil(() => s.history('db').length > 0, 2 * HOUR, 10 * 60_000);
    expect(s.history('db')[0]).toMatchObject({ outcome: 'failure', errorCode: 'IncorrectDBInstanceState' });
    await s.advance(4 * HOUR);
    const held = s.logRecords('remediate rotate: deferred').filter((r) => String(r.detail).startsWith('held:'));
    expect(held.length).toBeGreaterThan(0);
    expect(String(held[0]!.detail)).toContain('instance-not-running');
    const failed = episodesOf(s, 'db', 'rotation-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ status: 'opened', attempts: 0 });
    expect(s.calls('RotateSecret').filter((c) => c.principal?.startsWith('assumed-role/'))).toEqual([]);

    await control(s, { Kind: 'RdsInstance', Id: 'rm-1', Status: 'Running' });
    await s.advanceUntil(() => episodesOf(s, 'db', 'rotation-failed')[0]?.status === 'resolved', 3 * HOUR, 10 * 60_000);
    expect(s.calls('RotateSecret').filter((c) => c.principal?.startsWith('assumed-role/'))).toHaveLength(1);
    expect(s.history('db').map((h) => h.outcome)).toEqual(['failure', 'success']);
  });
});

describe('secret-policy-broad through the sweep', () => {
  const ACCOUNT = '1234567890123456';
  const policy = (principals: string[]) =>
    JSON.stringify({
      Version: '1',
      Statement: [{ Effect: 'Allow', Principal: { RAM: principals }, Action: ['kms:GetSecretValue'], Resource: ['*'] }],
    });

  it('raises it for `*`, not for the account roles, and reads no policy of a shared-KMS secret', async () => {
    const s = await startScenario({
      accountId: ACCOUNT,
      secrets: [
        aSecret('open', 'generic', { DKMSInstanceId: 'kst-1', Policy: policy(['*']) }),
        aSecret('closed', 'generic', { DKMSInstanceId: 'kst-1', Policy: policy([`acs:ram::${ACCOUNT}:role/app`]) }),
        aSecret('shared', 'generic'),
      ],
      env: { ...HOURLY, KRO_ACCOUNT_ID: ACCOUNT },
    });
    await s.advanceUntil(() => s.calls('GetSecretPolicy').length >= 2, 25 * HOUR, HOUR);
    await s.advance(10 * 60_000);
    const broad = s.alerts().filter((a) => a.name === 'KmsSecretPolicyBroad');
    expect(broad.map((a) => a.secrets)).toEqual([['open']]);
    expect(alertFields(broad[0]!.content)).toMatchObject({
      checkId: 'secret-policy-broad',
      evidence: { admits: '*' },
    });
    expect(episodesOf(s, 'open', 'secret-policy-broad')).toHaveLength(1);
    expect(episodesOf(s, 'closed')).toEqual([]);
    expect(s.calls('GetSecretPolicy').map((c) => c.params.SecretName)).not.toContain('shared');
    expect(episodesOf(s, 'shared')).toEqual([]);
  });
});

describe('a describe the customer did not grant', () => {
  it('is "not checked": no finding, no crash, the sweep completes', async () => {
    const s = await startScenario({
      secrets: [SECRETS.db],
      targets: { ...TARGETS, RdsInstances: [{ DBInstanceId: 'rm-1', DBInstanceStatus: 'Stopped', Accounts: ['app'] }] },
      faults: [
        {
          Kind: 'ApiError',
          Product: 'rds',
          ErrorCode: 'Forbidden.RAM',
          HttpStatus: 403,
          ErrorMessage: 'User not authorized to operate on the specified resource.',
        },
      ],
      env: HOURLY,
    });
    await s.advance(30 * HOUR);
    const results = s
      .logRecords('invocation done')
      .filter((r) => r.functionName === 'kro-sweep')
      .map((r) => (r.result as { complete: boolean; readiness?: { checked: number; notChecked: number } }) ?? {});
    expect(results.length).toBeGreaterThan(20);
    expect(results.every((r) => r.complete)).toBe(true);
    expect(results.some((r) => (r.readiness?.notChecked ?? 0) > 0)).toBe(true);
    const denied = s.calls('DescribeDBInstanceAttribute');
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((c) => c.code === 'Forbidden.RAM')).toBe(true);
    expect(episodesOf(s, 'db')).toEqual([]);
    expect(s.alerts()).toEqual([]);
  });
});
