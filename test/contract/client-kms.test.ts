import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudError } from '../../shared/errors';
import { clientsFor, startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server';

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

function kms() {
  return clientsFor(server).clients.kms;
}

function lastRequest() {
  const request = server.requests.at(-1);
  if (!request) throw new Error('no request was sent');
  expect(request.method).toBe('POST');
  expect(request.path).toBe('/');
  expect(request.headers['x-acs-version']).toBe('2016-01-20');
  expect(String(request.headers.authorization)).toMatch(/^ACS3-HMAC-SHA256 Credential=LTAI5tTestKeyId,/);
  return request;
}

describe('KmsClient reads', () => {
  it('describes a secret and parses the interval, both date forms, ExtendedConfig and the Tags envelope', async () => {
    server.enqueue({
      body: {
        RequestId: 'r1',
        Arn: 'acs:kms:cn-hangzhou:123:secret/db',
        SecretName: 'db',
        SecretType: 'Rds',
        Description: 'orders db',
        CreateTime: '2022-02-21T15:39:26Z',
        UpdateTime: '2022-02-22T15:39:26Z',
        AutomaticRotation: 'Invalid',
        RotationInterval: '604800s',
        LastRotationDate: '2020-02-21T23:36:07.713703651+08:00',
        NextRotationDate: '2022-03-01T00:00:00Z',
        ExtendedConfig: '{"SecretSubType":"SingleUser","DBInstanceId":"rm-1"}',
        Tags: { Tag: [{ TagKey: 'env', TagValue: 'prod' }] },
        SomethingNew: 'tolerated',
      },
    });
    const description = await kms().describeSecret('db');
    expect(lastRequest()).toMatchObject({ action: 'DescribeSecret', query: { SecretName: 'db', FetchTags: 'true' } });
    expect(description).toEqual({
      secretName: 'db',
      arn: 'acs:kms:cn-hangzhou:123:secret/db',
      secretType: 'Rds',
      description: 'orders db',
      createTime: Date.UTC(2022, 1, 21, 15, 39, 26),
      updateTime: Date.UTC(2022, 1, 22, 15, 39, 26),
      automaticRotation: 'Invalid',
      rotationIntervalSeconds: 604800,
      lastRotationDate: Date.UTC(2020, 1, 21, 15, 36, 7, 713),
      nextRotationDate: Date.UTC(2022, 2, 1),
      extendedConfig: { SecretSubType: 'SingleUser', DBInstanceId: 'rm-1' },
      tags: { env: 'prod' },
    });
  });

  it('treats a missing or broken ExtendedConfig as empty and a reply without SecretName as InvalidResponse', async () => {
    server.enqueue({ body: { RequestId: 'r', SecretName: 'g', SecretType: 'Generic', ExtendedConfig: 'not json' } });
    expect((await kms().describeSecret('g', { fetchTags: false })).extendedConfig).toEqual({});
    expect(lastRequest().query.FetchTags).toBe('false');

    server.enqueue({ body: { RequestId: 'r', SecretType: 'Generic' } });
    const error = await kms()
      .describeSecret('g')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect(error).toMatchObject({ code: 'InvalidResponse', retryable: false, action: 'DescribeSecret' });
  });

  it('lists every page with FetchTags and the Filters JSON string', async () => {
    const secret = (n: number) => ({
      SecretName: `s${n}`,
      SecretType: 'Generic',
      CreateTime: '2022-02-21T15:39:26Z',
      Tags: { Tag: [] },
    });
    server.enqueue(
      {
        body: {
          RequestId: 'p1',
          PageNumber: 1,
          PageSize: 2,
          TotalCount: 3,
          SecretList: { Secret: [secret(1), secret(2)] },
        },
      },
      { body: { RequestId: 'p2', PageNumber: 2, PageSize: 2, TotalCount: 3, SecretList: { Secret: [secret(3)] } } },
    );
    const names: string[] = [];
    for await (const s of kms().listSecrets({
      pageSize: 2,
      fetchTags: true,
      filters: [{ key: 'SecretType', values: ['Rds', 'Generic'] }],
    }))
      names.push(s.secretName);
    expect(names).toEqual(['s1', 's2', 's3']);
    expect(server.requests.map((r) => r.query)).toEqual([
      {
        PageNumber: '1',
        PageSize: '2',
        FetchTags: 'true',
        Filters: '[{"Key":"SecretType","Values":["Rds","Generic"]}]',
      },
      {
        PageNumber: '2',
        PageSize: '2',
        FetchTags: 'true',
        Filters: '[{"Key":"SecretType","Values":["Rds","Generic"]}]',
      },
    ]);
    expect(server.requests.every((r) => r.action === 'ListSecrets')).toBe(true);
  });

  it('reads one page, with an empty SecretList when there is nothing', async () => {
    server.enqueue({ body: { RequestId: 'r', PageNumber: 1, PageSize: 100, TotalCount: 0 } });
    expect(await kms().listSecretsPage(1)).toEqual({ pageNumber: 1, pageSize: 100, totalCount: 0, secrets: [] });
    expect(lastRequest().query).toEqual({ PageNumber: '1', PageSize: '100', FetchTags: 'false' });
  });

  it('gets a secret value with its stage envelope', async () => {
    server.enqueue({
      body: {
        RequestId: 'r',
        SecretName: 'db',
        SecretType: 'Rds',
        SecretData: '{"AccountName":"app","AccountPassword":"x"}',
        SecretDataType: 'text',
        VersionId: 'v3',
        CreateTime: '2022-02-21T15:39:26Z',
        VersionStages: { VersionStage: ['ACSCurrent'] },
      },
    });
    const value = await kms().getSecretValue('db', { versionStage: 'ACSPrevious' });
    expect(lastRequest()).toMatchObject({
      action: 'GetSecretValue',
      query: { SecretName: 'db', VersionStage: 'ACSPrevious' },
    });
    expect(value).toMatchObject({
      secretName: 'db',
      versionId: 'v3',
      versionStages: ['ACSCurrent'],
      secretDataType: 'text',
    });
  });

  it('lists version ids, including deprecated ones when asked', async () => {
    server.enqueue({
      body: {
        RequestId: 'r',
        SecretName: 'g',
        PageNumber: 1,
        PageSize: 100,
        TotalCount: 2,
        VersionIds: {
          VersionId: [
            { VersionId: 'v2', CreateTime: '2022-02-21T15:39:26Z', VersionStages: { VersionStage: ['ACSCurrent'] } },
            { VersionId: 'v1', CreateTime: '2022-01-21T15:39:26Z', VersionStages: { VersionStage: ['ACSPrevious'] } },
          ],
        },
      },
    });
    const versions = await kms().listSecretVersionIds('g', { includeDeprecated: true });
    expect(lastRequest()).toMatchObject({
      action: 'ListSecretVersionIds',
      query: { SecretName: 'g', IncludeDeprecated: 'true', PageNumber: '1' },
    });
    expect(versions).toEqual([
      { versionId: 'v2', createTime: Date.UTC(2022, 1, 21, 15, 39, 26), versionStages: ['ACSCurrent'] },
      { versionId: 'v1', createTime: Date.UTC(2022, 0, 21, 15, 39, 26), versionStages: ['ACSPrevious'] },
    ]);
  });

  it('gets a secret policy', async () => {
    server.enqueue({ body: { RequestId: 'r', Policy: '{"Version":"1","Statement":[]}' } });
    expect(await kms().getSecretPolicy('db')).toBe('{"Version":"1","Statement":[]}');
    expect(lastRequest()).toMatchObject({
      action: 'GetSecretPolicy',
      query: { SecretName: 'db', PolicyName: 'default' },
    });
  });
});

describe('KmsClient writes', () => {
  it('rotates with the caller-chosen VersionId', async () => {
    server.enqueue({
      body: { RequestId: 'r', Arn: 'acs:kms:cn-hangzhou:123:secret/db', SecretName: 'db', VersionId: 'kro-ep1-a2' },
    });
    expect(await kms().rotateSecret('db', 'kro-ep1-a2')).toEqual({ versionId: 'kro-ep1-a2' });
    expect(lastRequest()).toMatchObject({
      action: 'RotateSecret',
      query: { SecretName: 'db', VersionId: 'kro-ep1-a2' },
    });
  });

  it('creates a secret with maps as JSON strings, booleans as text and the interval in seconds', async () => {
    server.enqueue({
      body: {
        RequestId: 'r',
        Arn: 'acs:kms:cn-hangzhou:123:secret/db',
        SecretName: 'db',
        VersionId: 'v1',
        SecretType: 'Rds',
        AutomaticRotation: 'Enabled',
        RotationInterval: '604800s',
        NextRotationDate: '2023-07-06T18:22:03Z',
        ExtendedConfig: '{"SecretSubType":"DoubleUsers"}',
      },
    });
    const created = await kms().createSecret({
      secretName: 'db',
      versionId: 'v1',
      secretData: '{"Accounts":[]}',
      secretType: 'Rds',
      secretDataType: 'text',
      extendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-1' },
      enableAutomaticRotation: true,
      rotationIntervalSeconds: 7 * 86400,
      tags: { env: 'prod', team: 'payments' },
      description: 'orders',
    });
    expect(lastRequest()).toMatchObject({
      action: 'CreateSecret',
      query: {
        SecretName: 'db',
        VersionId: 'v1',
        SecretType: 'Rds',
        SecretDataType: 'text',
        EnableAutomaticRotation: 'true',
        RotationInterval: '604800s',
        ExtendedConfig: '{"SecretSubType":"DoubleUsers","DBInstanceId":"rm-1"}',
        Tags: '[{"TagKey":"env","TagValue":"prod"},{"TagKey":"team","TagValue":"payments"}]',
        Description: 'orders',
      },
    });
    expect(created).toMatchObject({
      secretName: 'db',
      automaticRotation: 'Enabled',
      rotationIntervalSeconds: 604800,
      nextRotationDate: Date.UTC(2023, 6, 6, 18, 22, 3),
      extendedConfig: { SecretSubType: 'DoubleUsers' },
    });
  });

  it('puts a secret value with its stages as a JSON array', async () => {
    server.enqueue({
      body: { RequestId: 'r', SecretName: 'g', VersionId: 'v2', VersionStages: { VersionStage: ['MyPending'] } },
    });
    expect(
      await kms().putSecretValue({ secretName: 'g', versionId: 'v2', secretData: 'abc', versionStages: ['MyPending'] }),
    ).toEqual({ versionId: 'v2', versionStages: ['MyPending'] });
    expect(lastRequest()).toMatchObject({
      action: 'PutSecretValue',
      query: { SecretName: 'g', VersionId: 'v2', SecretData: 'abc', VersionStages: '["MyPending"]' },
    });
  });

  it('updates the rotation policy, the secret and a version stage', async () => {
    const client = kms();
    await client.updateSecretRotationPolicy('db', { enableAutomaticRotation: false });
    expect(lastRequest()).toMatchObject({
      action: 'UpdateSecretRotationPolicy',
      query: { SecretName: 'db', EnableAutomaticRotation: 'false' },
    });
    await client.updateSecretRotationPolicy('db', {
      enableAutomaticRotation: true,
      rotationIntervalSeconds: 30 * 86400,
    });
    expect(lastRequest().query).toEqual({
      SecretName: 'db',
      EnableAutomaticRotation: 'true',
      RotationInterval: '2592000s',
    });
    await client.updateSecret('db', { description: 'd', customData: { owner: 'ops' } });
    expect(lastRequest()).toMatchObject({
      action: 'UpdateSecret',
      query: { SecretName: 'db', Description: 'd', 'ExtendedConfig.CustomData': '{"owner":"ops"}' },
    });
    await client.updateSecretVersionStage({
      secretName: 'g',
      versionStage: 'ACSCurrent',
      moveToVersion: 'v2',
      removeFromVersion: 'v1',
    });
    expect(lastRequest()).toMatchObject({
      action: 'UpdateSecretVersionStage',
      query: { SecretName: 'g', VersionStage: 'ACSCurrent', MoveToVersion: 'v2', RemoveFromVersion: 'v1' },
    });
  });

  it('deletes with a recovery window and parses PlannedDeleteTime, then restores', async () => {
    server.enqueue({ body: { RequestId: 'r', SecretName: 'g', PlannedDeleteTime: '2022-09-15T07:02:14Z' } });
    expect(
      await kms().deleteSecret({ secretName: 'g', recoveryWindowInDays: 7, forceDeleteWithoutRecovery: false }),
    ).toEqual({ plannedDeleteTime: Date.UTC(2022, 8, 15, 7, 2, 14) });
    expect(lastRequest()).toMatchObject({
      action: 'DeleteSecret',
      query: { SecretName: 'g', RecoveryWindowInDays: '7', ForceDeleteWithoutRecovery: 'false' },
    });
    await kms().restoreSecret('g');
    expect(lastRequest()).toMatchObject({ action: 'RestoreSecret', query: { SecretName: 'g' } });
  });

  it('tags and untags with JSON lists', async () => {
    await kms().tagResource('db', { 'kro-state': 'open:ep1:a1' });
    expect(lastRequest()).toMatchObject({
      action: 'TagResource',
      query: { SecretName: 'db', Tags: '[{"TagKey":"kro-state","TagValue":"open:ep1:a1"}]' },
    });
    await kms().untagResource('db', ['kro-state', 'x']);
    expect(lastRequest()).toMatchObject({
      action: 'UntagResource',
      query: { SecretName: 'db', TagKeys: '["kro-state","x"]' },
    });
  });

  it('sets a secret policy', async () => {
    await kms().setSecretPolicy('db', '{"Version":"1"}');
    expect(lastRequest()).toMatchObject({
      action: 'SetSecretPolicy',
      query: { SecretName: 'db', Policy: '{"Version":"1"}', PolicyName: 'default' },
    });
  });

  it('surfaces a service error as a CloudError with code, status and request id, not retried', async () => {
    server.enqueue({
      status: 404,
      body: {
        RequestId: 'req-404',
        HostId: 'kms',
        Code: 'Forbidden.ResourceNotFound',
        Message: 'The resource is not found.',
      },
    });
    const { clients } = clientsFor(server);
    const error = await clients.kms.rotateSecret('gone', 'v1').catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'CloudError',
      code: 'Forbidden.ResourceNotFound',
      httpStatus: 404,
      requestId: 'req-404',
      product: 'kms',
      action: 'RotateSecret',
      retryable: false,
    });
    expect(clients.stats()).toEqual({ calls: 1, throttled: 0, retries: 0 });
  });
});
