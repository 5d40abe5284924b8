import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { endpointOf } from '../../shared/adapters/alibaba';
import { loadConfig } from '../../shared/config';
import { clientsFor, startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server';

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const record = (id: string) => ({
  eventId: id,
  eventVersion: '1',
  eventName: 'PutSecretValue',
  eventTime: '2022-10-22T21:52:00Z',
  acsRegion: 'cn-hangzhou',
  serviceName: 'Kms',
  eventType: 'ApiCall',
  requestParameters: { SecretName: 'app', VersionId: 'v9', SecretData: 'hunter2-value' },
  userIdentity: { type: 'ram-user', accountId: '123', accessKeyId: 'LTAI5t' },
});

describe('ActionTrailClient', () => {
  it('pages LookupEvents with flattened attributes and UTC second times, dropping secret values', async () => {
    server.enqueue(
      {
        body: { RequestId: 'r1', Events: [record('e1'), record('e2')], NextToken: 'tok-2', StartTime: '', EndTime: '' },
      },
      { body: { RequestId: 'r2', Events: [record('e3')], NextToken: '' } },
    );
    const { clients } = clientsFor(server);
    const events = [];
    for await (const e of clients.actiontrail.lookupEvents({
      attributes: [
        { key: 'ServiceName', value: 'Kms' },
        { key: 'EventName', value: 'PutSecretValue' },
      ],
      startTime: Date.UTC(2022, 9, 22, 0, 0, 0, 123),
      endTime: Date.UTC(2022, 9, 23),
    }))
      events.push(e);
    expect(events.map((e) => e.eventId)).toEqual(['e1', 'e2', 'e3']);
    expect(server.requests[0]).toMatchObject({
      action: 'LookupEvents',
      query: {
        'LookupAttribute.1.Key': 'ServiceName',
        'LookupAttribute.1.Value': 'Kms',
        'LookupAttribute.2.Key': 'EventName',
        'LookupAttribute.2.Value': 'PutSecretValue',
        StartTime: '2022-10-22T00:00:00Z',
        EndTime: '2022-10-23T00:00:00Z',
        MaxResults: '50',
      },
    });
    expect(server.requests[0]!.headers['x-acs-version']).toBe('2020-07-06');
    expect(server.requests[1]!.query.NextToken).toBe('tok-2');
    expect(events[0]).toMatchObject({
      eventName: 'PutSecretValue',
      eventTime: Date.UTC(2022, 9, 22, 21, 52),
      acsRegion: 'cn-hangzhou',
      serviceName: 'Kms',
    });
    expect(events[0]!.requestParameters).toEqual({ SecretName: 'app', VersionId: 'v9', SecretData: '[REDACTED]' });
    expect(JSON.stringify(events)).not.toContain('hunter2-value');
  });

  it('stops when the service repeats a token', async () => {
    server.setFallback(() => ({ body: { RequestId: 'r', Events: [], NextToken: 'same' } }));
    const { clients } = clientsFor(server);
    for await (const _ of clients.actiontrail.lookupEvents({})) {
      // nothing to read
    }
    expect(server.requests).toHaveLength(2);
  });
});

describe('StsClient', () => {
  it('asks whose key is in use, with explicit credentials when given', async () => {
    server.setFallback(() => ({
      body: {
        RequestId: 'r',
        AccountId: '1234567890123456',
        UserId: '2000',
        Arn: 'acs:ram::1234567890123456:user/app',
        IdentityType: 'RAMUser',
        PrincipalId: '2000',
      },
    }));
    const { clients } = clientsFor(server);
    expect(await clients.sts.getCallerIdentity()).toEqual({
      accountId: '1234567890123456',
      userId: '2000',
      arn: 'acs:ram::1234567890123456:user/app',
      identityType: 'RAMUser',
      principalId: '2000',
    });
    await clients.sts.getCallerIdentity({ accessKeyId: 'LTAI5tProbeKey', accessKeySecret: 'probe-secret' });
    expect(server.requests.map((r) => r.action)).toEqual(['GetCallerIdentity', 'GetCallerIdentity']);
    expect(server.requests[0]!.headers['x-acs-version']).toBe('2015-04-01');
    expect(String(server.requests[1]!.headers.authorization)).toContain('Credential=LTAI5tProbeKey,');
  });

  it('reports an invalid key as a non-retryable error', async () => {
    server.setFallback(() => ({
      status: 404,
      body: { RequestId: 'r', Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.' },
    }));
    const { clients } = clientsFor(server);
    await expect(
      clients.sts.getCallerIdentity({ accessKeyId: 'LTAI5tGone', accessKeySecret: 'x' }),
    ).rejects.toMatchObject({ code: 'InvalidAccessKeyId.NotFound', retryable: false, product: 'sts' });
    expect(server.requests).toHaveLength(1);
  });
});

describe('endpoints', () => {
  it('uses the regional endpoints over https unless KRO_ENDPOINT points every product at one host', () => {
    const regional = loadConfig({ KRO_REGION_ID: 'cn-shanghai', KRO_ACCOUNT_ID: '1234567890' });
    expect(endpointOf(regional, 'kms')).toEqual({ endpoint: 'kms.cn-shanghai.aliyuncs.com', protocol: 'https' });
    expect(endpointOf(regional, 'actiontrail').endpoint).toBe('actiontrail.cn-shanghai.aliyuncs.com');
    expect(endpointOf(regional, 'cms').endpoint).toBe('metrics.cn-shanghai.aliyuncs.com');
    expect(endpointOf(regional, 'fc').endpoint).toBe('1234567890.cn-shanghai.fc.aliyuncs.com');
    expect(endpointOf(regional, 'sts').endpoint).toBe('sts.aliyuncs.com');
    const local = loadConfig({ KRO_ENDPOINT: '127.0.0.1:9000' });
    expect(endpointOf(local, 'fc')).toEqual({ endpoint: '127.0.0.1:9000', protocol: 'http' });
  });
});
