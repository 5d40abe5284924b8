/**
 * The official @alicloud/kms20160120 1.2.0 client (signature v1, everything in the query) against
 * the emulator over HTTP, unchanged: the SDK is the oracle of the wire format.
 */
import { describe, expect, it } from 'vitest';
import { listeningEmulator } from '../helpers/emulator';

async function officialClient(endpoint: string, key: { accessKeyId: string; accessKeySecret: string }) {
  const mod: any = await import('@alicloud/kms20160120');
  const Client = mod.default?.default ?? mod.default ?? mod;
  const models = mod.CreateSecretRequest ? mod : (mod['module.exports'] ?? mod.default);
  const client = new Client({ ...key, endpoint, protocol: 'http', regionId: 'cn-hangzhou' });
  return { client, models };
}

describe('the official kms20160120 1.2.0 client against the emulator', () => {
  it('creates, reads, versions, lists and deletes a generic secret', async () => {
    const { emulator, endpoint } = await listeningEmulator({ now: '2026-01-01T00:00:00Z' });
    const { client, models } = await officialClient(endpoint, emulator.defaultAccessKey);

    const created = await client.createSecret(
      new models.CreateSecretRequest({
        secretName: 'app/token',
        versionId: 'v1',
        secretData: 'first value',
        tags: '[{"TagKey":"env","TagValue":"prod"}]',
      }),
    );
    expect(created.secretName).toBe('app/token');
    expect(created.requestId).toBeTruthy();

    await client.putSecretValue(
      new models.PutSecretValueRequest({ secretName: 'app/token', versionId: 'v2', secretData: 'second value' }),
    );
    const value = await client.getSecretValue(new models.GetSecretValueRequest({ secretName: 'app/token' }));
    expect(value).toMatchObject({ secretName: 'app/token', versionId: 'v2', secretData: 'second value' });
    expect(value.versionStages.versionStage).toEqual(['ACSCurrent']);

    const previous = await client.getSecretValue(
      new models.GetSecretValueRequest({ secretName: 'app/token', versionStage: 'ACSPrevious' }),
    );
    expect(previous.secretData).toBe('first value');

    const described = await client.describeSecret(
      new models.DescribeSecretRequest({ secretName: 'app/token', fetchTags: 'true' }),
    );
    expect(described.secretName).toBe('app/token');
    expect(described.tags.tag).toEqual([{ tagKey: 'env', tagValue: 'prod' }]);

    const listed = await client.listSecrets(new models.ListSecretsRequest({ pageSize: '10' }));
    expect(listed.totalCount).toBe(1);
    expect(listed.secretList.secret[0].secretName).toBe('app/token');

    const versions = await client.listSecretVersionIds(
      new models.ListSecretVersionIdsRequest({ secretName: 'app/token' }),
    );
    expect(versions.versionIds.versionId.map((v: any) => v.versionId)).toEqual(['v1', 'v2']);

    const deleted = await client.deleteSecret(
      new models.DeleteSecretRequest({ secretName: 'app/token', recoveryWindowInDays: '7' }),
    );
    expect(deleted.plannedDeleteTime).toBe('2026-01-08T00:00:00Z');
    await client.restoreSecret(new models.RestoreSecretRequest({ secretName: 'app/token' }));
    expect(emulator.kms.getSecret('app/token')?.PlannedDeleteTime).toBeUndefined();
  });

  it('surfaces emulator errors the way the SDK reports real ones', async () => {
    const { emulator, endpoint } = await listeningEmulator();
    const { client, models } = await officialClient(endpoint, emulator.defaultAccessKey);
    const error: any = await client
      .describeSecret(new models.DescribeSecretRequest({ secretName: 'missing' }))
      .catch((e: unknown) => e);
    expect(error.code).toBe('Forbidden.ResourceNotFoundError');
    expect(error.message).toContain('code: 404');
    expect(error.data.Code).toBe('Forbidden.ResourceNotFound');

    const missing: any = await client.describeSecret(new models.DescribeSecretRequest({})).catch((e: unknown) => e);
    expect(missing.data).toMatchObject({
      Code: 'MissingParameter',
      Message: 'The parameter "SecretName" is needed but not provided.',
    });

    const { client: wrong } = await officialClient(endpoint, {
      accessKeyId: emulator.defaultAccessKey.accessKeyId,
      accessKeySecret: 'not-it',
    });
    const signature: any = await wrong.listSecrets(new models.ListSecretsRequest({})).catch((e: unknown) => e);
    expect(signature.code).toBe('IncompleteSignatureError');
  });

  it('calls actions the typed client lacks through doRequest, RotateSecret included', async () => {
    const { emulator, endpoint } = await listeningEmulator({
      now: '2026-01-01T00:00:00Z',
      seed: {
        Secrets: [
          {
            SecretName: 'rds/orders',
            SecretType: 'Rds',
            SecretData: '{"Accounts":[{"AccountName":"orders","AccountPassword":"Old-Passw0rd"}]}',
            ExtendedConfig: { SecretSubType: 'SingleUser', DBInstanceId: 'rm-orders' },
            EnableAutomaticRotation: true,
            RotationInterval: '7d',
          },
        ],
      },
    });
    const { client } = await officialClient(endpoint, emulator.defaultAccessKey);
    const util: any = await import('@alicloud/tea-util');
    const runtime = new (util.RuntimeOptions ?? util.default.RuntimeOptions)({});
    const rotated = await client.doRequest(
      'RotateSecret',
      'HTTPS',
      'POST',
      '2016-01-20',
      'AK',
      { SecretName: 'rds/orders', VersionId: 'r1' },
      null,
      runtime,
    );
    expect(rotated).toMatchObject({ SecretName: 'rds/orders', VersionId: 'r1' });
    const described = await client.doRequest(
      'DescribeSecret',
      'HTTPS',
      'POST',
      '2016-01-20',
      'AK',
      { SecretName: 'rds/orders' },
      null,
      runtime,
    );
    expect(described).toMatchObject({
      AutomaticRotation: 'Enabled',
      RotationInterval: '604800s',
      LastRotationDate: '2026-01-01T00:00:00Z',
    });
  });
});
