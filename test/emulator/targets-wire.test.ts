/**
 * The rotation targets on the wire: RDS, ECS, Redis, PolarDB, RAM users/keys, GetKmsInstance and
 * GetRole for service-linked roles, answering from the seed and the control API's changes, and
 * managed rotations failing with the documented code because of that state.
 */
import { describe, expect, it } from 'vitest';
import { emulatorFixture } from '../helpers/emulator';

const V = {
  rds: '2014-08-15',
  ecs: '2014-05-26',
  redis: '2015-01-01',
  polardb: '2017-08-01',
  ram: '2015-05-01',
} as const;
const NOW = '2026-11-01T00:00:00Z';

function seed() {
  return {
    Now: NOW,
    Targets: {
      RdsInstances: [{ DBInstanceId: 'rm-1', Accounts: ['app', 'app_clone'] }],
      EcsInstances: [{ InstanceId: 'i-1', Status: 'Stopped' }],
      RedisInstances: [{ InstanceId: 'r-1', Accounts: ['cache', 'cache_clone'] }],
      PolarDBClusters: [{ DBClusterId: 'pc-1', DBClusterStatus: 'Running', Accounts: ['pa', 'pa_clone'] }],
      RamUsers: [
        {
          UserName: 'svc',
          AccessKeys: [{ AccessKeyId: 'LTAI5tSvcKey000000000001', AccessKeySecret: 'not-a-real-secret-1' }],
        },
      ],
      KmsInstances: [{ KmsInstanceId: 'kst-1', EndDate: '2026-11-10T00:00:00Z' }],
    },
    Secrets: [
      {
        SecretName: 'db',
        SecretType: 'Rds',
        SecretData: '{"AccountName":"app","AccountPassword":"p"}',
        ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-1' },
        EnableAutomaticRotation: true,
        RotationInterval: '7d',
      },
      {
        SecretName: 'acs/ram/user/svc',
        SecretType: 'RAMCredentials',
        SecretData:
          '{"AccessKeys":[{"AccessKeyId":"LTAI5tSvcKey000000000001","AccessKeySecret":"not-a-real-secret-1"}]}',
        ExtendedConfig: { SecretSubType: 'RamUserAccessKey', UserName: 'svc' },
      },
      {
        SecretName: 'acs/ecs/i-1/root',
        SecretType: 'ECS',
        SecretData: '{"UserName":"root","Password":"p"}',
        ExtendedConfig: { SecretSubType: 'Password', InstanceId: 'i-1' },
      },
      { SecretName: 'vault', SecretType: 'Generic', SecretData: 'x', DKMSInstanceId: 'kst-1' },
    ],
  };
}

async function control(f: ReturnType<typeof emulatorFixture>, body: unknown) {
  const r = await f.emulator.fetch(
    new Request('http://127.0.0.1/_emulator/targets', { method: 'POST', body: JSON.stringify(body) }),
  );
  return { status: r.status, body: (await r.json()) as Record<string, any> };
}

describe('rotation targets on the wire', () => {
  it('RDS: DescribeDBInstanceAttribute and DescribeAccounts follow the seed and the control API', async () => {
    const f = emulatorFixture({ seed: seed() });
    const a = await f.call('DescribeDBInstanceAttribute', { DBInstanceId: 'rm-1' }, { version: V.rds });
    expect(a.body.Items.DBInstanceAttribute[0]).toMatchObject({ DBInstanceId: 'rm-1', DBInstanceStatus: 'Running' });
    const accounts = await f.call('DescribeAccounts', { DBInstanceId: 'rm-1' }, { version: V.rds });
    expect(accounts.body.Accounts.DBInstanceAccount.map((x: any) => x.AccountName)).toEqual(['app', 'app_clone']);
    expect(
      (await f.call('DescribeAccounts', { DBInstanceId: 'rm-1', AccountName: 'app' }, { version: V.rds })).body.Accounts
        .DBInstanceAccount,
    ).toHaveLength(1);
    await control(f, { Kind: 'RdsInstance', Id: 'rm-1', Status: 'Stopped', DeleteAccount: 'app_clone' });
    expect(
      (await f.call('DescribeDBInstanceAttribute', { DBInstanceId: 'rm-1' }, { version: V.rds })).body.Items
        .DBInstanceAttribute[0].DBInstanceStatus,
    ).toBe('Stopped');
    expect(
      (await f.call('DescribeAccounts', { DBInstanceId: 'rm-1' }, { version: V.rds })).body.Accounts.DBInstanceAccount,
    ).toHaveLength(1);
    const missing = await f.call('DescribeDBInstanceAttribute', { DBInstanceId: 'rm-x' }, { version: V.rds });
    expect([missing.status, missing.body.Code]).toEqual([404, 'InvalidDBInstanceId.NotFound']);
    expect((await f.call('DescribeDBInstanceAttribute', {}, { version: V.rds })).body.Code).toBe('MissingParameter');
  });

  it('ECS: DescribeInstances (InstanceIds JSON) and DescribeCloudAssistantStatus (InstanceId.N)', async () => {
    const f = emulatorFixture({ seed: seed() });
    const d = await f.call(
      'DescribeInstances',
      { RegionId: 'cn-hangzhou', InstanceIds: '["i-1","i-gone"]' },
      { version: V.ecs },
    );
    expect(d.body.Instances.Instance).toEqual([expect.objectContaining({ InstanceId: 'i-1', Status: 'Stopped' })]);
    expect(d.body.TotalCount).toBe(1);
    await control(f, { Kind: 'EcsInstance', Id: 'i-1', Status: 'Running' });
    const ca = await f.call(
      'DescribeCloudAssistantStatus',
      { RegionId: 'cn-hangzhou', 'InstanceId.1': 'i-1' },
      { version: V.ecs },
    );
    expect(ca.body.InstanceCloudAssistantStatusSet.InstanceCloudAssistantStatus[0]).toMatchObject({
      InstanceId: 'i-1',
      CloudAssistantStatus: 'true',
    });
    await control(f, { Kind: 'EcsInstance', Id: 'i-1', CloudAssistant: false });
    const off = await f.call(
      'DescribeCloudAssistantStatus',
      { RegionId: 'cn-hangzhou', 'InstanceId.1': 'i-1' },
      { version: V.ecs },
    );
    expect(off.body.InstanceCloudAssistantStatusSet.InstanceCloudAssistantStatus[0].CloudAssistantStatus).toBe('false');
    expect((await f.call('DescribeInstances', {}, { version: V.ecs })).body.Code).toBe('MissingParameter');
  });

  it('Redis and PolarDB: instance/cluster status and accounts', async () => {
    const f = emulatorFixture({ seed: seed() });
    expect(
      (await f.call('DescribeInstanceAttribute', { InstanceId: 'r-1' }, { version: V.redis })).body.Instances
        .DBInstanceAttribute[0],
    ).toMatchObject({ InstanceId: 'r-1', InstanceStatus: 'Normal' });
    expect(
      (await f.call('DescribeAccounts', { InstanceId: 'r-1' }, { version: V.redis })).body.Accounts.Account.map(
        (a: any) => a.AccountName,
      ),
    ).toEqual(['cache', 'cache_clone']);
    expect(
      (await f.call('DescribeDBClusterAttribute', { DBClusterId: 'pc-1' }, { version: V.polardb })).body,
    ).toMatchObject({ DBClusterId: 'pc-1', DBClusterStatus: 'Running' });
    expect(
      (await f.call('DescribeAccounts', { DBClusterId: 'pc-1' }, { version: V.polardb })).body.Accounts.map(
        (a: any) => a.AccountName,
      ),
    ).toEqual(['pa', 'pa_clone']);
    expect(
      (await f.call('DescribeDBClusterAttribute', { DBClusterId: 'pc-x' }, { version: V.polardb })).body.Code,
    ).toBe('InvalidDBClusterId.NotFound');
  });

  it('RAM: users, a third AccessKey refused with LimitExceeded.User.AccessKey, last use, deletion', async () => {
    const f = emulatorFixture({ seed: seed() });
    expect((await f.call('GetUser', { UserName: 'svc' }, { version: V.ram })).body.User.UserName).toBe('svc');
    const created = await f.call('CreateAccessKey', { UserName: 'svc' }, { version: V.ram });
    expect(created.body.AccessKey.Status).toBe('Active');
    const third = await f.call('CreateAccessKey', { UserName: 'svc' }, { version: V.ram });
    expect([third.status, third.body.Code]).toEqual([409, 'LimitExceeded.User.AccessKey']);
    const keys = (await f.call('ListAccessKeys', { UserName: 'svc' }, { version: V.ram })).body.AccessKeys.AccessKey;
    expect(keys).toHaveLength(2);
    expect(JSON.stringify(keys)).not.toContain('AccessKeySecret');
    // The new key works, and its use is recorded.
    const newKey = {
      accessKeyId: created.body.AccessKey.AccessKeyId,
      accessKeySecret: created.body.AccessKey.AccessKeySecret,
    };
    expect((await f.call('ListSecrets', {}, { key: newKey })).status).toBe(200);
    const used = await f.call(
      'GetAccessKeyLastUsed',
      { UserName: 'svc', UserAccessKeyId: newKey.accessKeyId },
      { version: V.ram },
    );
    expect(used.body.AccessKeyLastUsed.LastUsedDate).toBe('2026-11-01T00:00:00Z');
    expect(
      (await f.call('DeleteAccessKey', { UserName: 'svc', UserAccessKeyId: newKey.accessKeyId }, { version: V.ram }))
        .status,
    ).toBe(200);
    expect((await f.call('ListSecrets', {}, { key: newKey })).status).toBe(404);
    await control(f, { Kind: 'RamUser', Id: 'svc', Deleted: true });
    expect((await f.call('GetUser', { UserName: 'svc' }, { version: V.ram })).body.Code).toBe('EntityNotExist.User');
  });

  it('GetKmsInstance reports the end date; service-linked roles answer GetRole until removed', async () => {
    const f = emulatorFixture({ seed: seed() });
    const k = await f.call('GetKmsInstance', { KmsInstanceId: 'kst-1' });
    expect(k.body.KmsInstance).toMatchObject({
      InstanceId: 'kst-1',
      EndDate: '2026-11-10T00:00:00Z',
      SaleStatus: 'Normal',
    });
    expect((await f.call('GetKmsInstance', { KmsInstanceId: 'kst-none' })).status).toBe(404);
    const role = 'AliyunServiceRoleForKMSSecretsManagerForRDS';
    expect((await f.call('GetRole', { RoleName: role }, { version: V.ram })).body.Role.RoleName).toBe(role);
    await control(f, { Kind: 'ServiceRole', Id: role, Deleted: true });
    expect((await f.call('GetRole', { RoleName: role }, { version: V.ram })).body.Code).toBe('EntityNotExist.Role');
    expect((await control(f, { Kind: 'Nope', Id: 'x' })).status).toBe(400);
  });

  it('managed rotations fail with the code the target state implies, and succeed once fixed', async () => {
    const f = emulatorFixture({ seed: seed() });
    const rotate = async (name: string, v: string) => {
      await f.call('RotateSecret', { SecretName: name, VersionId: v });
      await f.emulator.clock.advance(2 * 60_000); // a RAM rotation takes a minute when asked for
      return f.emulator.kms.getSecret(name)?.rotationHistory.at(-1);
    };
    // ECS instance stopped.
    expect(await rotate('acs/ecs/i-1/root', 'e1')).toMatchObject({
      outcome: 'failure',
      errorCode: 'IncorrectInstanceStatus',
    });
    await control(f, { Kind: 'EcsInstance', Id: 'i-1', Status: 'Running', CloudAssistant: false });
    expect(await rotate('acs/ecs/i-1/root', 'e2')).toMatchObject({ outcome: 'failure', errorCode: 'ClientNotRunning' });
    await control(f, { Kind: 'EcsInstance', Id: 'i-1', CloudAssistant: true });
    expect(await rotate('acs/ecs/i-1/root', 'e3')).toMatchObject({ outcome: 'success' });
    // RDS instance stopped, then an account of the pair deleted.
    await control(f, { Kind: 'RdsInstance', Id: 'rm-1', Status: 'Stopped' });
    expect(await rotate('db', 'r1')).toMatchObject({ outcome: 'failure', errorCode: 'IncorrectDBInstanceState' });
    await control(f, { Kind: 'RdsInstance', Id: 'rm-1', Status: 'Running', DeleteAccount: 'app_clone' });
    expect(await rotate('db', 'r2')).toMatchObject({ outcome: 'failure', errorCode: 'InvalidAccountName.NotFound' });
    await control(f, { Kind: 'RdsInstance', Id: 'rm-1', AddAccount: 'app_clone' });
    expect(await rotate('db', 'r3')).toMatchObject({ outcome: 'success' });
    // RAM: a second key blocks the rotation; once removed, the rotation swaps the user's key.
    const added = await control(f, { Kind: 'RamUser', Id: 'svc', AddAccessKey: true });
    expect(await rotate('acs/ram/user/svc', 'k1')).toMatchObject({
      outcome: 'failure',
      errorCode: 'LimitExceeded.User.AccessKey',
    });
    await control(f, { Kind: 'RamUser', Id: 'svc', DeleteAccessKey: added.body.accessKeyId });
    await f.call('RotateSecret', { SecretName: 'acs/ram/user/svc', VersionId: 'k2' });
    await f.emulator.clock.advance(2 * 60_000);
    expect(f.emulator.kms.getSecret('acs/ram/user/svc')?.rotationHistory.at(-1)).toMatchObject({ outcome: 'success' });
    const keys = (await f.call('ListAccessKeys', { UserName: 'svc' }, { version: V.ram })).body.AccessKeys.AccessKey;
    expect(keys.map((k: any) => k.AccessKeyId)).not.toContain('LTAI5tSvcKey000000000001');
    expect(keys).toHaveLength(1);
    // Service-linked role removed.
    await control(f, { Kind: 'ServiceRole', Id: 'AliyunServiceRoleForKMSSecretsManagerForRDS', Deleted: true });
    expect(await rotate('db', 'r4')).toMatchObject({ outcome: 'failure', errorCode: 'EntityNotExist.Role' });
  });
});
