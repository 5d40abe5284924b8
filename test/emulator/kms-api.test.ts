import { describe, expect, it } from 'vitest';
import { emulatorFixture } from '../helpers/emulator';

const NOW = '2026-01-01T00:00:00Z';
const DAY = 86_400_000;

function fixture() {
  return emulatorFixture({ now: NOW, quotas: false });
}

const rds = {
  SecretName: 'rds/orders',
  VersionId: 'v1',
  SecretType: 'Rds',
  SecretData: '{"Accounts":[{"AccountName":"orders","AccountPassword":"Init-Passw0rd"}]}',
  ExtendedConfig: '{"SecretSubType":"SingleUser","DBInstanceId":"rm-orders"}',
  EnableAutomaticRotation: 'true',
  RotationInterval: '7d',
};

describe('CreateSecret', () => {
  it('answers the documented fields and returns the interval in seconds', async () => {
    const { call } = fixture();
    const res = await call('CreateSecret', rds);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      Arn: 'acs:kms:cn-hangzhou:1234567890123456:secret/rds/orders',
      SecretName: 'rds/orders',
      VersionId: 'v1',
      SecretType: 'Rds',
      AutomaticRotation: 'Enabled',
      RotationInterval: '604800s',
      NextRotationDate: '2026-01-08T00:00:00Z',
    });
    expect(JSON.parse(res.body.ExtendedConfig)).toMatchObject({
      SecretSubType: 'SingleUser',
      DBInstanceId: 'rm-orders',
    });
  });

  it.each([
    [
      { VersionId: 'v1', SecretData: 'x' },
      'MissingParameter',
      'The parameter "SecretName" is needed but not provided.',
    ],
    [{ SecretName: 'a', SecretData: 'x' }, 'MissingParameter', 'The parameter "VersionId" is needed but not provided.'],
    [
      { SecretName: 'a', VersionId: 'v1' },
      'MissingParameter',
      'The parameter "SecretData" is needed but not provided.',
    ],
  ])('refuses a request without a required parameter (%j)', async (params, code, message) => {
    const { call } = fixture();
    const res = await call('CreateSecret', params as Record<string, string>);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ Code: code, Message: message, HttpStatus: 400 });
  });

  it.each([
    ['an interval below 6 hours', { RotationInterval: '5h' }],
    ['an interval above 365 days', { RotationInterval: '366d' }],
    ['an interval without a unit', { RotationInterval: '7' }],
    ['a managed secret without ExtendedConfig', { ExtendedConfig: '' }],
    ['an unknown sub-type', { ExtendedConfig: '{"SecretSubType":"Triple","DBInstanceId":"rm-1"}' }],
    ['an unknown secret type', { SecretType: 'Oracle' }],
    ['a name with a space', { SecretName: 'bad name' }],
    ['a reserved acs/ prefix', { SecretName: 'acs/mine' }],
  ])('refuses %s with 400 InvalidParameter', async (_what, tweak) => {
    const { call } = fixture();
    const res = await call('CreateSecret', { ...rds, ...tweak });
    expect([res.status, res.body.Code]).toEqual([400, 'InvalidParameter']);
  });

  it('accepts an interval given in hours, minutes or seconds', async () => {
    const { call } = fixture();
    for (const [i, interval] of ['12h', '720m', '604800s'].entries()) {
      const res = await call('CreateSecret', { ...rds, SecretName: `rds/${i}`, RotationInterval: interval });
      expect(res.body.RotationInterval).toMatch(/^\d+s$/);
    }
  });

  it('refuses a duplicate name with 409 Rejected.ResourceExist and a name in its delete window with 409 Rejected.ResourceInDeleteWindow', async () => {
    const { call } = fixture();
    await call('CreateSecret', { SecretName: 'g', VersionId: 'v1', SecretData: 'x' });
    const dup = await call('CreateSecret', { SecretName: 'g', VersionId: 'v1', SecretData: 'x' });
    expect([dup.status, dup.body.Code]).toEqual([409, 'Rejected.ResourceExist']);
    await call('DeleteSecret', { SecretName: 'g' });
    const pending = await call('CreateSecret', { SecretName: 'g', VersionId: 'v1', SecretData: 'x' });
    expect([pending.status, pending.body.Code]).toEqual([409, 'Rejected.ResourceInDeleteWindow']);
  });

  it('names a RAM secret created as $Auto after its user and registers its AccessKey', async () => {
    const { emulator, call } = fixture();
    const res = await call('CreateSecret', {
      SecretName: '$Auto',
      VersionId: 'v1',
      SecretType: 'RAMCredentials',
      SecretData: '{"AccessKeys":[{"AccessKeyId":"LTAI5tRamUserKey01","AccessKeySecret":"ram-secret-01"}]}',
      ExtendedConfig: '{"SecretSubType":"RamUserAccessKey","UserName":"deployer"}',
    });
    expect(res.body.SecretName).toBe('acs/ram/user/deployer');
    expect(emulator.auth.lookup('LTAI5tRamUserKey01')?.principal).toBe('user/deployer');
  });

  it('refuses more than 20 tags with 400 Rejected.LimitExceeded', async () => {
    const { call } = fixture();
    const tags = JSON.stringify(Array.from({ length: 21 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' })));
    const res = await call('CreateSecret', { SecretName: 'g', VersionId: 'v1', SecretData: 'x', Tags: tags });
    expect([res.status, res.body.Code]).toEqual([400, 'Rejected.LimitExceeded']);
  });
});

describe('reading secrets', () => {
  it('answers 404 Forbidden.ResourceNotFound for a missing secret on every secret API', async () => {
    const { call } = fixture();
    for (const action of [
      'DescribeSecret',
      'GetSecretValue',
      'ListSecretVersionIds',
      'DeleteSecret',
      'RestoreSecret',
      'UpdateSecret',
      'GetSecretPolicy',
    ]) {
      const res = await call(action, { SecretName: 'nope' });
      expect([action, res.status, res.body.Code]).toEqual([action, 404, 'Forbidden.ResourceNotFound']);
    }
  });

  it('accepts the secret ARN as SecretName', async () => {
    const { call } = fixture();
    await call('CreateSecret', rds);
    const res = await call('DescribeSecret', { SecretName: 'acs:kms:cn-hangzhou:1234567890123456:secret/rds/orders' });
    expect(res.body.SecretName).toBe('rds/orders');
  });

  it('returns a managed value as one account object with the rotation fields, and ignores VersionId', async () => {
    const { call } = fixture();
    await call('CreateSecret', rds);
    const res = await call('GetSecretValue', {
      SecretName: 'rds/orders',
      VersionId: 'whatever',
      FetchExtendedConfig: 'true',
    });
    expect(JSON.parse(res.body.SecretData)).toEqual({ AccountName: 'orders', AccountPassword: 'Init-Passw0rd' });
    expect(res.body).toMatchObject({
      AutomaticRotation: 'Enabled',
      RotationInterval: '604800s',
      NextRotationDate: '2026-01-08T00:00:00Z',
    });
    expect(res.body.ExtendedConfig).toBeDefined();
    const bad = await call('GetSecretValue', { SecretName: 'rds/orders', VersionStage: 'ACSNext' });
    expect([bad.status, bad.body.Code]).toEqual([400, 'InvalidParameter']);
  });

  it('refuses a generic read whose stage and version disagree, and a DryRun', async () => {
    const { call } = fixture();
    await call('CreateSecret', { SecretName: 'g', VersionId: 'v1', SecretData: 'one' });
    await call('PutSecretValue', { SecretName: 'g', VersionId: 'v2', SecretData: 'two' });
    expect(
      (await call('GetSecretValue', { SecretName: 'g', VersionId: 'v1', VersionStage: 'ACSCurrent' })).body.Code,
    ).toBe('InvalidParameter');
    expect((await call('GetSecretValue', { SecretName: 'g', VersionId: 'v1' })).body.SecretData).toBe('one');
    expect((await call('GetSecretValue', { SecretName: 'g', DryRun: 'true' })).body.Code).toBe('DryRunOperationError');
  });

  it('pages ListSecrets, filters by name, tag and type, and fetches tags only when asked', async () => {
    const { call } = fixture();
    for (let i = 0; i < 25; i++) {
      await call('CreateSecret', {
        SecretName: `app/${i}`,
        VersionId: 'v1',
        SecretData: 'x',
        Tags: JSON.stringify([{ TagKey: 'env', TagValue: i % 2 ? 'prod' : 'dev' }]),
      });
    }
    await call('CreateSecret', rds);
    const page3 = await call('ListSecrets', { PageNumber: '3', PageSize: '10' });
    expect(page3.body).toMatchObject({ PageNumber: 3, PageSize: 10, TotalCount: 26 });
    expect(page3.body.SecretList.Secret).toHaveLength(6);
    expect(page3.body.SecretList.Secret[0].Tags).toBeUndefined();
    expect(page3.body.SecretList.Secret[0].NextRotationDate).toBeUndefined();
    const prod = await call('ListSecrets', {
      Filters: '[{"Key":"TagValue","Values":["prod"]}]',
      FetchTags: 'true',
      PageSize: '100',
    });
    expect(prod.body.TotalCount).toBe(12);
    expect(prod.body.SecretList.Secret[0].Tags.Tag).toEqual([{ TagKey: 'env', TagValue: 'prod' }]);
    const rdsOnly = await call('ListSecrets', { Filters: '[{"Key":"SecretType","Values":["RDS"]}]' });
    expect(rdsOnly.body.SecretList.Secret.map((s: any) => s.SecretName)).toEqual(['rds/orders']);
    expect((await call('ListSecrets', { PageSize: '101' })).body.Code).toBe('InvalidParameter');
    expect((await call('ListSecrets', { Filters: '[{"Key":"Color","Values":["red"]}]' })).body.Code).toBe(
      'InvalidParameter',
    );
  });
});

describe('versions of a generic secret', () => {
  it('moves ACSCurrent to a new version and ACSPrevious to the old one', async () => {
    const { call } = fixture();
    await call('CreateSecret', { SecretName: 'g', VersionId: 'v1', SecretData: 'one' });
    const put = await call('PutSecretValue', { SecretName: 'g', VersionId: 'v2', SecretData: 'two' });
    expect(put.body.VersionStages.VersionStage).toEqual(['ACSCurrent']);
    const list = await call('ListSecretVersionIds', { SecretName: 'g' });
    expect(list.body.VersionIds.VersionId.map((v: any) => [v.VersionId, v.VersionStages.VersionStage])).toEqual([
      ['v1', ['ACSPrevious']],
      ['v2', ['ACSCurrent']],
    ]);
  });

  it('treats a replayed VersionId with the same data as success and with other data as a conflict', async () => {
    const { call } = fixture();
    await call('CreateSecret', { SecretName: 'g', VersionId: 'v1', SecretData: 'one' });
    await call('PutSecretValue', { SecretName: 'g', VersionId: 'v2', SecretData: 'two' });
    expect((await call('PutSecretValue', { SecretName: 'g', VersionId: 'v2', SecretData: 'two' })).status).toBe(200);
    const conflict = await call('PutSecretValue', { SecretName: 'g', VersionId: 'v2', SecretData: 'other' });
    expect([conflict.status, conflict.body.Code]).toEqual([409, 'Rejected.ResourceExist']);
  });

  it('keeps at most 10 versions, dropping the oldest stage-less one', async () => {
    const { call } = fixture();
    await call('CreateSecret', { SecretName: 'g', VersionId: 'v0', SecretData: 'x0' });
    for (let i = 1; i <= 12; i++)
      await call('PutSecretValue', { SecretName: 'g', VersionId: `v${i}`, SecretData: `x${i}` });
    const list = await call('ListSecretVersionIds', { SecretName: 'g', IncludeDeprecated: 'true' });
    expect(list.body.TotalCount).toBe(10);
    expect(list.body.VersionIds.VersionId[0].VersionId).toBe('v3');
    const visible = await call('ListSecretVersionIds', { SecretName: 'g' });
    expect(visible.body.TotalCount).toBe(2);
  });

  it('supports the documented custom-stage flow: pending label, then move ACSCurrent', async () => {
    const { call } = fixture();
    await call('CreateSecret', { SecretName: 'g', VersionId: 'v1', SecretData: 'one' });
    const pending = await call('PutSecretValue', {
      SecretName: 'g',
      VersionId: 'v2',
      SecretData: 'two',
      VersionStages: '["MyPendingLabel"]',
    });
    expect(pending.body.VersionStages.VersionStage).toEqual(['MyPendingLabel']);
    expect((await call('GetSecretValue', { SecretName: 'g' })).body.SecretData).toBe('one');
    await call('UpdateSecretVersionStage', { SecretName: 'g', VersionStage: 'ACSCurrent', MoveToVersion: 'v2' });
    expect((await call('GetSecretValue', { SecretName: 'g' })).body.SecretData).toBe('two');
    await call('UpdateSecretVersionStage', {
      SecretName: 'g',
      VersionStage: 'MyPendingLabel',
      RemoveFromVersion: 'v2',
    });
    expect((await call('GetSecretValue', { SecretName: 'g', VersionStage: 'ACSPrevious' })).body.VersionId).toBe('v1');
    const noMove = await call('UpdateSecretVersionStage', {
      SecretName: 'g',
      VersionStage: 'ACSCurrent',
      RemoveFromVersion: 'v2',
    });
    expect(noMove.body.Code).toBe('InvalidParameter');
  });

  it('refuses PutSecretValue and UpdateSecretVersionStage on managed secrets', async () => {
    const { call } = fixture();
    await call('CreateSecret', rds);
    expect(
      (await call('PutSecretValue', { SecretName: 'rds/orders', VersionId: 'v9', SecretData: 'x' })).body.Code,
    ).toBe('Rejected.UnsupportedOperation');
    expect(
      (
        await call('UpdateSecretVersionStage', {
          SecretName: 'rds/orders',
          VersionStage: 'ACSCurrent',
          MoveToVersion: 'v1',
        })
      ).status,
    ).toBe(400);
  });
});

describe('deletion', () => {
  it('schedules deletion 7-30 days out, restores within the window, and purges after it', async () => {
    const { emulator, call } = fixture();
    await call('CreateSecret', { SecretName: 'g', VersionId: 'v1', SecretData: 'x' });
    expect((await call('DeleteSecret', { SecretName: 'g', RecoveryWindowInDays: '6' })).body.Code).toBe(
      'InvalidParameter',
    );
    expect((await call('DeleteSecret', { SecretName: 'g', RecoveryWindowInDays: '31' })).body.Code).toBe(
      'InvalidParameter',
    );
    const deleted = await call('DeleteSecret', { SecretName: 'g', RecoveryWindowInDays: '7' });
    expect(deleted.body.PlannedDeleteTime).toBe('2026-01-08T00:00:00Z');
    expect((await call('DescribeSecret', { SecretName: 'g' })).body.PlannedDeleteTime).toBe('2026-01-08T00:00:00Z');
    const read = await call('GetSecretValue', { SecretName: 'g' });
    expect([read.status, read.body.Code]).toEqual([409, 'Rejected.ResourceInDeleteWindow']);
    await call('RestoreSecret', { SecretName: 'g' });
    const again = await call('RestoreSecret', { SecretName: 'g' });
    expect(again.body.Code).toBe('Rejected.ResourceInUse');
    await call('DeleteSecret', { SecretName: 'g', RecoveryWindowInDays: '7' });
    await emulator.clock.advance(7 * DAY);
    expect((await call('DescribeSecret', { SecretName: 'g' })).status).toBe(404);
  });

  it('deletes at once without recovery when forced', async () => {
    const { call } = fixture();
    await call('CreateSecret', { SecretName: 'g', VersionId: 'v1', SecretData: 'x' });
    await call('DeleteSecret', { SecretName: 'g', ForceDeleteWithoutRecovery: 'true' });
    expect((await call('RestoreSecret', { SecretName: 'g' })).status).toBe(404);
    expect((await call('CreateSecret', { SecretName: 'g', VersionId: 'v1', SecretData: 'x' })).status).toBe(200);
  });
});

describe('tags, policies and updates', () => {
  it('tags at most 10 per call and 20 per secret, and untags', async () => {
    const { call } = fixture();
    await call('CreateSecret', { SecretName: 'g', VersionId: 'v1', SecretData: 'x' });
    const tags = (n: number, p: string) =>
      JSON.stringify(Array.from({ length: n }, (_, i) => ({ TagKey: `${p}${i}`, TagValue: 'v' })));
    expect((await call('TagResource', { SecretName: 'g', Tags: tags(11, 'a') })).body.Code).toBe(
      'Rejected.LimitExceeded',
    );
    expect((await call('TagResource', { SecretName: 'g', Tags: tags(10, 'a') })).status).toBe(200);
    expect((await call('TagResource', { SecretName: 'g', Tags: tags(10, 'b') })).status).toBe(200);
    expect((await call('TagResource', { SecretName: 'g', Tags: tags(1, 'c') })).body.Code).toBe(
      'Rejected.LimitExceeded',
    );
    expect(
      (await call('TagResource', { SecretName: 'g', Tags: '[{"TagKey":"acs:x","TagValue":"v"}]' })).body.Code,
    ).toBe('InvalidParameter');
    await call('UntagResource', { SecretName: 'g', TagKeys: '["a0","b9"]' });
    const d = await call('DescribeSecret', { SecretName: 'g', FetchTags: 'true' });
    expect(d.body.Tags.Tag).toHaveLength(18);
    expect((await call('TagResource', { SecretName: 'g' })).body.Code).toBe('MissingParameter');
  });

  it('stores a secret policy and returns the default one otherwise', async () => {
    const { call } = fixture();
    await call('CreateSecret', { SecretName: 'g', VersionId: 'v1', SecretData: 'x', DKMSInstanceId: 'kst-hzz1' });
    expect(JSON.parse((await call('GetSecretPolicy', { SecretName: 'g' })).body.Policy).Version).toBe('1');
    const policy =
      '{"Version":"1","Statement":[{"Effect":"Allow","Principal":{"RAM":["acs:ram::1:user/a"]},"Action":["kms:GetSecretValue"],"Resource":["*"]}]}';
    await call('SetSecretPolicy', { SecretName: 'g', Policy: policy });
    expect((await call('GetSecretPolicy', { SecretName: 'g' })).body.Policy).toBe(policy);
    expect((await call('GetSecretPolicy', { SecretName: 'g', PolicyName: 'other' })).status).toBe(404);
    // A secret in shared KMS has no secret policy.
    await call('CreateSecret', { SecretName: 'shared', VersionId: 'v1', SecretData: 'x' });
    expect((await call('GetSecretPolicy', { SecretName: 'shared' })).body.Code).toBe('Rejected.UnsupportedOperation');
    expect((await call('SetSecretPolicy', { SecretName: 'shared', Policy: policy })).body.Code).toBe(
      'Rejected.UnsupportedOperation',
    );
  });

  it('updates the description and the CustomData of a managed secret', async () => {
    const { call } = fixture();
    await call('CreateSecret', rds);
    await call('UpdateSecret', {
      SecretName: 'rds/orders',
      Description: 'orders db',
      'ExtendedConfig.CustomData': '{"team":"payments"}',
    });
    const d = await call('DescribeSecret', { SecretName: 'rds/orders' });
    expect(d.body.Description).toBe('orders db');
    expect(JSON.parse(d.body.ExtendedConfig).CustomData).toEqual({ team: 'payments' });
  });

  it('generates random passwords of the requested length', async () => {
    const { call } = fixture();
    const res = await call('GetRandomPassword', { PasswordLength: '20', ExcludePunctuation: 'true' });
    expect(res.body.RandomPassword).toMatch(/^[A-Za-z0-9]{20}$/);
  });
});

describe('batch tag APIs', () => {
  it('tags several secrets, lists their tags, and untags them', async () => {
    const { call } = fixture();
    await call('CreateSecret', { SecretName: 'a', VersionId: 'v1', SecretData: 'x' });
    await call('CreateSecret', { SecretName: 'b', VersionId: 'v1', SecretData: 'x' });
    const base = { RegionId: 'cn-hangzhou', ResourceType: 'secret', 'ResourceId.1': 'a', 'ResourceId.2': 'b' };
    expect(
      (
        await call('TagResources', {
          ...base,
          'Tag.1.Key': 'env',
          'Tag.1.Value': 'prod',
          'Tag.2.Key': 'team',
          'Tag.2.Value': 'pay',
        })
      ).status,
    ).toBe(200);
    const listed = await call('ListTagResources', { ...base, 'Tag.1.Key': 'env' });
    expect(listed.body.TagResources.TagResource).toEqual([
      { ResourceId: 'a', ResourceType: 'secret', TagKey: 'env', TagValue: 'prod' },
      { ResourceId: 'b', ResourceType: 'secret', TagKey: 'env', TagValue: 'prod' },
    ]);
    expect(listed.body.NextToken).toBe('');
    await call('UntagResources', { ...base, 'TagKey.1': 'env' });
    expect((await call('ListTagResources', base)).body.TagResources.TagResource.map((t: any) => t.TagKey)).toEqual([
      'team',
      'team',
    ]);
    expect((await call('UntagResources', { ...base, All: 'true', 'TagKey.1': 'team' })).body.Code).toBe(
      'InvalidParameter',
    );
    expect(
      (await call('TagResources', { ResourceType: 'secret', 'ResourceId.1': 'a', 'Tag.1.Key': 'k' })).body.Code,
    ).toBe('MissingParameter');
    expect((await call('TagResources', { ...base, 'ResourceId.3': 'zzz', 'Tag.1.Key': 'k' })).status).toBe(404);
  });
});
