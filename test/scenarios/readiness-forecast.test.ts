/**
 * The readiness forecast's acceptance (issue 16): each of 8 conditions is induced 72 h before a
 * secret's NextRotationDate. The forecast, run with the real clients against the emulator over
 * HTTP, raises rotation-at-risk naming the cause at once (>= 24 h ahead). Left unfixed, the
 * emulator's automatic rotation then fails with the code that cause implies; fixed in time, the
 * finding resolves and the rotation succeeds. A denied describe is "not checked", never a finding.
 */
import { describe, expect, it } from 'vitest';
import { createAlibabaClients } from '../../shared/adapters/alibaba';
import { loadConfig } from '../../shared/config';
import { createReadinessReader } from '../../shared/readiness/reader';
import type { Emulator } from '../../emulator/emulator';
import { listeningEmulator } from '../helpers/emulator';
import { readinessConditions } from '../helpers/readiness-conditions';

const H = 3_600_000;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const DUE = T0 + 72 * H;
const INTERVAL_DAYS = 7;
/** LastRotationDate such that NextRotationDate = DUE. */
const LAST = new Date(DUE - INTERVAL_DAYS * 24 * H).toISOString();

function seed() {
  const rotation = { EnableAutomaticRotation: true, RotationInterval: `${INTERVAL_DAYS}d`, LastRotationDate: LAST };
  return {
    Now: new Date(T0).toISOString(),
    Targets: {
      RdsInstances: [{ DBInstanceId: 'rm-1', Accounts: ['app', 'app_clone'] }],
      RamUsers: [
        {
          UserName: 'svc',
          AccessKeys: [{ AccessKeyId: 'LTAI5tSvcKey000000000001', AccessKeySecret: 'not-a-real-secret-1' }],
        },
      ],
      EcsInstances: [{ InstanceId: 'i-1' }],
      KmsInstances: [{ KmsInstanceId: 'kst-1', EndDate: '2027-11-01T00:00:00Z' }],
    },
    Secrets: [
      {
        SecretName: 'db',
        SecretType: 'Rds',
        SecretData: '{"AccountName":"app","AccountPassword":"p"}',
        ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-1', AccountName: 'app' },
        ...rotation,
      },
      {
        SecretName: 'acs/ram/user/svc',
        SecretType: 'RAMCredentials',
        SecretData:
          '{"AccessKeys":[{"AccessKeyId":"LTAI5tSvcKey000000000001","AccessKeySecret":"not-a-real-secret-1"}]}',
        ExtendedConfig: { SecretSubType: 'RamUserAccessKey', UserName: 'svc' },
        ...rotation,
      },
      {
        SecretName: 'acs/ecs/i-1/root',
        SecretType: 'ECS',
        SecretData: '{"UserName":"root","Password":"p"}',
        ExtendedConfig: { SecretSubType: 'Password', InstanceId: 'i-1' },
        ...rotation,
      },
      {
        SecretName: 'vaulted-db',
        SecretType: 'Rds',
        SecretData: '{"AccountName":"app","AccountPassword":"p"}',
        ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-1', AccountName: 'app' },
        DKMSInstanceId: 'kst-1',
        ...rotation,
      },
    ],
  };
}

/** The secret each condition breaks, by its role in readiness-conditions.ts. */
const SECRET_OF = { db: 'db', ram: 'acs/ram/user/svc', ecs: 'acs/ecs/i-1/root', vaulted: 'vaulted-db' } as const;
const CONDITIONS = readinessConditions(DUE).map((c) => ({ ...c, secret: SECRET_OF[c.secret] }));

async function control(emulator: Emulator, body: Record<string, unknown>): Promise<Record<string, any>> {
  const r = await emulator.fetch(
    new Request('http://127.0.0.1/_emulator/targets', { method: 'POST', body: JSON.stringify(body) }),
  );
  expect(r.status).toBe(200);
  return (await r.json()) as Record<string, any>;
}

async function setup() {
  const { emulator, endpoint } = await listeningEmulator({ seed: seed() });
  const config = loadConfig({ KRO_ENDPOINT: endpoint, KRO_PACING: 'false', KRO_ACCOUNT_ID: emulator.accountId });
  const clients = createAlibabaClients({ config, credentials: emulator.defaultAccessKey, random: () => 0.5 });
  /** One sweep's forecast for one secret (a fresh reader: results are shared within a sweep only). */
  const forecast = async (name: string) => {
    const description = await clients.kms.describeSecret(name);
    return createReadinessReader(clients.targets).assess(description, emulator.clock.now());
  };
  return { emulator, clients, forecast };
}

describe('readiness forecast: 8 conditions induced 72 h before the rotation', () => {
  it('healthy secrets have no rotation-at-risk finding and every precondition checked', async () => {
    const { forecast } = await setup();
    for (const name of ['db', 'acs/ram/user/svc', 'acs/ecs/i-1/root', 'vaulted-db']) {
      const a = await forecast(name);
      expect(a.findings, name).toEqual([]);
      expect(a.notChecked, name).toEqual([]);
      expect(a.results.length, name).toBeGreaterThan(1);
    }
  });

  for (const c of CONDITIONS) {
    it(`${c.name}: forecast 72 h ahead; unfixed the rotation fails with ${c.code}`, async () => {
      const { emulator, forecast } = await setup();
      await control(emulator, c.induce);
      const before = await forecast(c.secret);
      expect(before.findings.map((f) => f.cause)).toContain(c.cause);
      const finding = before.findings.find((f) => f.cause === c.cause);
      expect(finding?.severity).toBe('warning');
      expect(Number(finding?.evidence.hoursUntilDue)).toBeGreaterThanOrEqual(24);
      // Still there inside 24 h, now critical.
      await emulator.clock.runUntil(DUE - 12 * H);
      expect((await forecast(c.secret)).findings.find((f) => f.cause === c.cause)?.severity).toBe('critical');
      await emulator.clock.runUntil(DUE + 49 * H);
      const last = emulator.kms.getSecret(c.secret)?.rotationHistory.at(-1);
      expect(last).toMatchObject({ outcome: 'failure', errorCode: c.code, trigger: 'automatic' });
    });

    it(`${c.name}: fixed in time, the finding resolves and the rotation succeeds`, async () => {
      const { emulator, forecast } = await setup();
      const induced = await control(emulator, c.induce);
      expect((await forecast(c.secret)).findings.map((f) => f.cause)).toContain(c.cause);
      await emulator.clock.runUntil(T0 + 30 * H);
      const fix = { ...c.fix };
      if (fix.DeleteAccessKey === '$added') fix.DeleteAccessKey = induced.accessKeyId;
      await control(emulator, fix);
      expect((await forecast(c.secret)).findings).toEqual([]);
      await emulator.clock.runUntil(DUE + 49 * H);
      expect(emulator.kms.getSecret(c.secret)?.rotationHistory.at(-1)).toMatchObject({
        outcome: 'success',
        trigger: 'automatic',
      });
    });
  }

  it('results are shared per resource: two secrets on one instance cost one describe of it', async () => {
    const { emulator, clients } = await setup();
    const reader = createReadinessReader(clients.targets);
    const before = emulator.callLog().length;
    for (const name of ['db', 'vaulted-db'])
      await reader.assess(await clients.kms.describeSecret(name), emulator.clock.now());
    const reads = emulator
      .callLog()
      .slice(before)
      .filter((c) => c.product !== 'kms' || c.action === 'GetKmsInstance');
    expect(reads.filter((c) => c.action === 'DescribeDBInstanceAttribute')).toHaveLength(1);
    expect(reads.filter((c) => c.action === 'DescribeAccounts')).toHaveLength(1);
    expect(reads.filter((c) => c.action === 'GetRole')).toHaveLength(1);
    expect(reader.calls()).toBe(reads.length);
  });

  it('a denied describe is "not checked": no finding, no crash', async () => {
    const { emulator, forecast } = await setup();
    await control(emulator, { Kind: 'RdsInstance', Id: 'rm-1', Status: 'Stopped' });
    emulator.faults.add({
      Kind: 'ApiError',
      Product: 'rds',
      ErrorCode: 'Forbidden.RAM',
      HttpStatus: 403,
      ErrorMessage: 'User not authorized to operate on the specified resource.',
    });
    const a = await forecast('db');
    expect(a.findings.filter((f) => f.resource.kind === 'rds-instance')).toEqual([]);
    expect(a.notChecked.map((r) => [r.cause, r.detail])).toContainEqual(['instance-not-running', 'Forbidden.RAM']);
  });
});
