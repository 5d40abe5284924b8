import { describe, expect, it } from 'vitest';
import type { CredentialBackend, ServerBinding } from '../../emulator/services/contracts';
import { emulatorFixture, VERSIONS } from '../helpers/emulator';

const NOW = '2026-01-01T00:00:00Z';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type SeedSecret = Record<string, unknown>;

const TYPES: Record<string, SeedSecret> = {
  'Rds SingleUser': {
    SecretType: 'Rds',
    SecretData: '{"Accounts":[{"AccountName":"orders","AccountPassword":"Init-Passw0rd"}]}',
    ExtendedConfig: { SecretSubType: 'SingleUser', DBInstanceId: 'rm-orders' },
  },
  'Rds DoubleUsers': {
    SecretType: 'Rds',
    SecretData: '{"Accounts":[{"AccountName":"orders","AccountPassword":"Init-Passw0rd"}]}',
    ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-orders' },
  },
  'Rds DualUser': {
    SecretType: 'Rds',
    SecretData: '{"Accounts":[{"AccountName":"orders","AccountPassword":"Init-Passw0rd"}]}',
    ExtendedConfig: { SecretSubType: 'DualUser', DBInstanceId: 'rm-orders' },
  },
  Redis: {
    SecretType: 'Redis',
    ExtendedConfig: { SecretSubType: 'DoubleUsers', InstanceId: 'r-cache', AccountName: 'app' },
  },
  PolarDB: {
    SecretType: 'PolarDB',
    ExtendedConfig: { SecretSubType: 'DoubleUsers', DBClusterId: 'pc-1', DBType: 'MySQL', AccountName: 'app' },
  },
  'ECS Password': {
    SecretType: 'ECS',
    SecretName: 'acs/ecs/i-1/root',
    SecretData: '{"UserName":"root","Password":"Init-Passw0rd"}',
    ExtendedConfig: { SecretSubType: 'Password', InstanceId: 'i-1', RegionId: 'cn-hangzhou' },
  },
  'ECS SSHKey': {
    SecretType: 'ECS',
    SecretName: 'acs/ecs/i-2/root',
    SecretData: '{"UserName":"root","PublicKey":"ssh-ed25519 AAAA old","PrivateKey":"-----BEGIN PRIVATE KEY-----"}',
    ExtendedConfig: { SecretSubType: 'SSHKey', InstanceId: 'i-2' },
  },
  RAMCredentials: {
    SecretType: 'RAMCredentials',
    SecretName: 'acs/ram/user/deployer',
    SecretData: '{"AccessKeys":[{"AccessKeyId":"LTAI5tDeployerKey01","AccessKeySecret":"deployer-secret-1"}]}',
    ExtendedConfig: { SecretSubType: 'RamUserAccessKey', UserName: 'deployer' },
  },
};

const ENTITY: Record<string, string> = {
  Rds: 'acs:rds:cn-hangzhou:1234567890123456:dbinstance/rm-orders',
  Redis: 'acs:kvstore:cn-hangzhou:1234567890123456:instance/r-cache',
  PolarDB: 'acs:polardb:cn-hangzhou:1234567890123456:dbcluster/pc-1',
  // The ECS samples name the secret itself (emulator/services/event-shapes.ts ecsEntityIsSecret).
  ECS: 'acs:kms:cn-hangzhou:1234567890123456:secret/acs/ecs/',
  RAMCredentials: 'acs:ram::1234567890123456:user/deployer',
};

function seeded(label: string, tweak: SeedSecret = {}, options: Record<string, unknown> = {}) {
  const base = TYPES[label] as SeedSecret;
  const secret = {
    SecretName: 'managed',
    EnableAutomaticRotation: true,
    RotationInterval: '7d',
    LastRotationDate: '2025-12-30T00:00:00Z',
    ...base,
    ...tweak,
  };
  const f = emulatorFixture({ now: NOW, quotas: false, seed: { Secrets: [secret] }, ...options });
  return { ...f, name: secret.SecretName as string };
}

function rotationEvents(f: ReturnType<typeof seeded>) {
  return f.emulator.bus
    .log()
    .map((r) => r.event)
    .filter((e) => e.type.startsWith('kms:CloudMonitor:'));
}

const RAM_AUTOMATIC_MS = 48 * HOUR;

describe.each(Object.keys(TYPES))('managed rotation of %s', (label) => {
  const isRam = label === 'RAMCredentials';

  it('rotates automatically at NextRotationDate and moves the dates', async () => {
    const f = seeded(label);
    expect(f.emulator.kms.getSecret(f.name)?.NextRotationDate).toBe('2026-01-06T00:00:00Z');
    await f.emulator.clock.advance(5 * DAY - 1000);
    expect(f.emulator.kms.getSecret(f.name)?.LastRotationDate).toBe('2025-12-30T00:00:00Z');
    await f.emulator.clock.advance(1000 + (isRam ? RAM_AUTOMATIC_MS : 0));
    const after = f.emulator.kms.getSecret(f.name);
    const done = isRam ? '2026-01-08T00:00:00Z' : '2026-01-06T00:00:00Z';
    expect(after).toMatchObject({ AutomaticRotation: 'Enabled', LastRotationDate: done });
    expect(Date.parse(after?.NextRotationDate as string) - Date.parse(done)).toBe(7 * DAY);
    expect(after?.rotationHistory.map((h) => [h.outcome, h.trigger])).toEqual([['success', 'automatic']]);
    const [event] = rotationEvents(f);
    expect(event?.type).toBe('kms:CloudMonitor:Secret[RotateSecret:Success]');
    expect(event?.source).toBe('acs.kms');
    expect(event?.data).toMatchObject({
      product: 'KMS',
      level: 'INFO',
      name: 'Secret:RotateSecret:Success',
      status: 'Normal',
    });
    expect((event?.data as any).content.RotationEntityArn).toContain(ENTITY[(TYPES[label] as any).SecretType]);
    // Every published success sample has no eventTime; successTime carries the moment.
    expect((event?.data as any).eventTime).toBeUndefined();
    expect((event?.data as any).content.successTime).toBe(done);
    expect(event?.aliyunpublishtime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}PRC$/);
  });

  it('rotates immediately through RotateSecret, idempotently on VersionId', async () => {
    const f = seeded(label);
    const before = (await f.call('GetSecretValue', { SecretName: f.name })).body.SecretData;
    const res = await f.call('RotateSecret', { SecretName: f.name, VersionId: 'manual-1' });
    expect(res.body).toMatchObject({ SecretName: f.name, VersionId: 'manual-1' });
    if (isRam) await f.emulator.clock.advance(60_000);
    const value = await f.call('GetSecretValue', { SecretName: f.name });
    expect(value.body.VersionId).toBe('manual-1');
    expect(value.body.SecretData).not.toBe(before);
    const previous = await f.call('GetSecretValue', { SecretName: f.name, VersionStage: 'ACSPrevious' });
    expect(previous.body.SecretData).toBe(before);
    expect((await f.call('RotateSecret', { SecretName: f.name, VersionId: 'manual-1' })).status).toBe(200);
    expect(f.emulator.kms.getSecret(f.name)?.rotationHistory).toHaveLength(1);
  });

  it('sets AutomaticRotation Invalid on a failure, publishes the failure event, and recovers on a later success', async () => {
    const f = seeded(label, {
      Faults: [{ Kind: 'RotationFailure', ErrorCode: 'InternalFailure', ErrorMessage: 'boom', Times: 1 }],
    });
    await f.emulator.clock.advance(5 * DAY + (isRam ? RAM_AUTOMATIC_MS : 0));
    const failed = (await f.call('DescribeSecret', { SecretName: f.name })).body;
    expect(failed.AutomaticRotation).toBe('Invalid');
    expect(failed.LastRotationDate).toBe('2025-12-30T00:00:00Z');
    const [event] = rotationEvents(f);
    expect(event?.type).toBe('kms:CloudMonitor:Secret[RotateSecret:Failure]');
    expect((event?.data as any).content).toMatchObject({
      rotationStatus: 'Invalid',
      failureInfo: { errorCode: 'InternalFailure', errorMessage: 'boom' },
    });
    // KMS does not retry by itself: nothing happens for weeks.
    await f.emulator.clock.advance(30 * DAY);
    expect(f.emulator.kms.getSecret(f.name)?.rotationHistory).toHaveLength(1);
    await f.call('RotateSecret', { SecretName: f.name, VersionId: 'retry-1' });
    if (isRam) await f.emulator.clock.advance(60_000);
    expect((await f.call('DescribeSecret', { SecretName: f.name })).body.AutomaticRotation).toBe('Enabled');
    expect(rotationEvents(f).map((e) => e.type)).toEqual([
      'kms:CloudMonitor:Secret[RotateSecret:Failure]',
      'kms:CloudMonitor:Secret[RotateSecret:Success]',
    ]);
  });

  it('fails rotations with a realistic code when the target was deleted', async () => {
    const f = seeded(label, { DeletedTarget: true });
    await f.call('RotateSecret', { SecretName: f.name, VersionId: 'r1' });
    if (isRam) await f.emulator.clock.advance(60_000);
    const history = f.emulator.kms.getSecret(f.name)?.rotationHistory ?? [];
    expect(history[0]?.outcome).toBe('failure');
    expect(history[0]?.errorCode).toMatch(/NotFound|NotExist/);
  });
});

describe('rotation rules', () => {
  it('refuses RotateSecret while a rotation runs, with the documented message', async () => {
    const f = seeded('RAMCredentials');
    await f.call('RotateSecret', { SecretName: f.name, VersionId: 'r1' });
    const busy = await f.call('RotateSecret', { SecretName: f.name, VersionId: 'r2' });
    expect([busy.status, busy.body.Code, busy.body.Message]).toEqual([
      409,
      'Rejected.RotationInProgress',
      'Your secret is being rotated. Try again later.',
    ]);
    const policy = await f.call('UpdateSecretRotationPolicy', {
      SecretName: f.name,
      EnableAutomaticRotation: 'true',
      RotationInterval: '30d',
    });
    expect(policy.body.Code).toBe('Rejected.RotationInProgress');
  });

  it('makes the new RAM key work and the old one stop working', async () => {
    const f = seeded('RAMCredentials');
    const oldKey = { accessKeyId: 'LTAI5tDeployerKey01', accessKeySecret: 'deployer-secret-1' };
    expect((await f.call('GetCallerIdentity', {}, { key: oldKey, version: VERSIONS.sts })).body.Arn).toBe(
      'acs:ram::1234567890123456:user/deployer',
    );
    await f.call('RotateSecret', { SecretName: f.name, VersionId: 'r1' });
    await f.emulator.clock.advance(60_000);
    const value = JSON.parse((await f.call('GetSecretValue', { SecretName: f.name })).body.SecretData);
    expect(value.GenerateTimestamp).toBe('2026-01-01T00:01:00Z');
    const newKey = { accessKeyId: value.AccessKeyId, accessKeySecret: value.AccessKeySecret };
    expect((await f.call('GetCallerIdentity', {}, { key: newKey, version: VERSIONS.sts })).status).toBe(200);
    expect((await f.call('GetCallerIdentity', {}, { key: oldKey, version: VERSIONS.sts })).body.Code).toBe(
      'InvalidAccessKeyId.NotFound',
    );
  });

  it('alternates the two accounts of a double-account secret', async () => {
    const f = seeded('Rds DoubleUsers');
    const accounts: string[] = [];
    for (let i = 1; i <= 3; i++) {
      await f.call('RotateSecret', { SecretName: f.name, VersionId: `r${i}` });
      accounts.push(JSON.parse((await f.call('GetSecretValue', { SecretName: f.name })).body.SecretData).AccountName);
    }
    expect(accounts).toEqual(['orders_clone', 'orders', 'orders_clone']);
  });

  it('keeps the same account for SingleUser', async () => {
    const f = seeded('Rds SingleUser');
    await f.call('RotateSecret', { SecretName: f.name, VersionId: 'r1' });
    expect(JSON.parse((await f.call('GetSecretValue', { SecretName: f.name })).body.SecretData).AccountName).toBe(
      'orders',
    );
  });

  it('refuses RotateSecret and UpdateSecretRotationPolicy on a Generic secret', async () => {
    const f = emulatorFixture({ now: NOW, quotas: false });
    await f.call('CreateSecret', { SecretName: 'g', VersionId: 'v1', SecretData: 'x' });
    expect((await f.call('RotateSecret', { SecretName: 'g', VersionId: 'v2' })).body.Code).toBe(
      'Rejected.UnsupportedOperation',
    );
    expect(
      (
        await f.call('UpdateSecretRotationPolicy', {
          SecretName: 'g',
          EnableAutomaticRotation: 'true',
          RotationInterval: '7d',
        })
      ).status,
    ).toBe(400);
  });

  it('never finishes a stuck rotation until the fault is cleared', async () => {
    const f = seeded('Rds SingleUser', { Faults: [{ Kind: 'RotationStuck', Id: 'stuck' }] });
    await f.call('RotateSecret', { SecretName: f.name, VersionId: 'r1' });
    await f.emulator.clock.advance(10 * DAY);
    expect(f.emulator.kms.getSecret(f.name)?.rotating?.stuck).toBe(true);
    expect((await f.call('RotateSecret', { SecretName: f.name, VersionId: 'r2' })).body.Code).toBe(
      'Rejected.RotationInProgress',
    );
    f.emulator.faults.clear('stuck');
    expect((await f.call('RotateSecret', { SecretName: f.name, VersionId: 'r3' })).status).toBe(200);
    expect(
      f.emulator.kms.getSecret(f.name)?.versions.find((v) => v.VersionStages.includes('ACSCurrent'))?.VersionId,
    ).toBe('r3');
  });

  it('rotates a seeded secret whose NextRotationDate is already past at once', async () => {
    const f = seeded('Rds SingleUser', { LastRotationDate: '2025-11-01T00:00:00Z' });
    await f.emulator.clock.settle();
    expect(f.emulator.kms.getSecret(f.name)?.LastRotationDate).toBe('2026-01-01T00:00:00Z');
  });

  it('turns automatic rotation off and on, the first run being the last rotation plus the interval', async () => {
    const f = seeded('Rds SingleUser');
    await f.call('UpdateSecretRotationPolicy', { SecretName: f.name, EnableAutomaticRotation: 'false' });
    let d = (await f.call('DescribeSecret', { SecretName: f.name })).body;
    expect([d.AutomaticRotation, d.NextRotationDate, d.RotationInterval]).toEqual(['Disabled', undefined, undefined]);
    await f.emulator.clock.advance(10 * DAY);
    expect(f.emulator.kms.getSecret(f.name)?.rotationHistory).toHaveLength(0);
    await f.call('UpdateSecretRotationPolicy', {
      SecretName: f.name,
      EnableAutomaticRotation: 'true',
      RotationInterval: '30d',
    });
    d = (await f.call('DescribeSecret', { SecretName: f.name })).body;
    expect([d.AutomaticRotation, d.NextRotationDate, d.RotationInterval]).toEqual([
      'Enabled',
      '2026-01-29T00:00:00Z',
      '2592000s',
    ]);
    expect(
      (await f.call('UpdateSecretRotationPolicy', { SecretName: f.name, EnableAutomaticRotation: 'true' })).body.Code,
    ).toBe('MissingParameter');
  });

  it('limits RotateSecret to 50 calls per hour per account', async () => {
    const f = emulatorFixture({ now: NOW, seed: { Secrets: [{ SecretName: 'm', ...TYPES['Rds SingleUser'] }] } });
    const statuses: number[] = [];
    for (let i = 0; i < 51; i++)
      statuses.push((await f.call('RotateSecret', { SecretName: 'm', VersionId: `r${i}` })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses[50]).toBe(429);
    await f.emulator.clock.advance(HOUR);
    expect((await f.call('RotateSecret', { SecretName: 'm', VersionId: 'later' })).status).toBe(200);
  });
});

describe('secrets backed by a real server', () => {
  const binding: ServerBinding = { Engine: 'postgresql', Host: '127.0.0.1', Port: 5432 };

  /** Records password writes; with failRotations, every write after the seed's first one throws. */
  function recordingBackend(failRotations = false) {
    const writes: Array<{ account: string; password: string }> = [];
    const backend: CredentialBackend = {
      async setPassword(_b, account, password) {
        if (failRotations && writes.length > 0)
          throw new Error(`could not set the password of "${account}" on 127.0.0.1:5432`);
        writes.push({ account, password });
      },
      async close() {},
    };
    return { backend, writes };
  }

  it('sets the seeded password, then each rotated password on the server before ACSCurrent moves', async () => {
    const { backend, writes } = recordingBackend();
    const f = seeded('Rds DoubleUsers', { Backing: binding }, { backend });
    await f.emulator.ready;
    expect(writes).toEqual([{ account: 'orders', password: 'Init-Passw0rd' }]);
    await f.call('RotateSecret', { SecretName: f.name, VersionId: 'r1' });
    const value = JSON.parse((await f.call('GetSecretValue', { SecretName: f.name })).body.SecretData);
    expect(writes[1]).toEqual({ account: 'orders_clone', password: value.AccountPassword });
  });

  it('fails the rotation and keeps ACSCurrent when the server refuses', async () => {
    const { backend } = recordingBackend(true);
    const f = seeded('Rds SingleUser', { Backing: binding }, { backend });
    await f.emulator.ready;
    await f.call('RotateSecret', { SecretName: f.name, VersionId: 'r1' });
    const s = f.emulator.kms.getSecret(f.name);
    expect(s?.AutomaticRotation).toBe('Invalid');
    expect(s?.versions.find((v) => v.VersionStages.includes('ACSCurrent'))?.VersionId).not.toBe('r1');
  });

  it('reports success without touching the server under RotationNotApplied', async () => {
    const { backend, writes } = recordingBackend();
    const f = seeded(
      'Rds SingleUser',
      { Backing: binding, Faults: [{ Kind: 'RotationNotApplied', Times: 1 }] },
      { backend },
    );
    await f.emulator.ready;
    await f.call('RotateSecret', { SecretName: f.name, VersionId: 'r1' });
    expect(f.emulator.kms.getSecret(f.name)?.AutomaticRotation).toBe('Enabled');
    expect(writes).toHaveLength(1);
  });
});
