/**
 * The whole path over HTTP: KMS write calls through the emulator's wire layer land in ActionTrail,
 * reach the bus as kms:ActionTrail:ApiCall, and come back through LookupEvents called the way the
 * project's client calls it (openapi-core callApi, ACS3, LookupAttribute flattened into the query).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/emulator';
import type { CloudEvent } from '../../emulator/types';

const T0 = Date.parse('2026-03-01T00:00:00Z');
let emulator: Emulator;
let server: { port: number; close(): Promise<void> };
let call: (action: string, version: string, query: Record<string, unknown>) => Promise<any>;
const delivered: CloudEvent[] = [];

beforeAll(async () => {
  emulator = createEmulator({ now: T0, quotas: false });
  server = await emulator.listen({ port: 0 });
  emulator.bus.subscribe({
    name: 'on-event',
    pattern: {
      source: ['acs.kms'],
      type: [{ suffix: ':ActionTrail:ApiCall' }],
      data: { eventName: ['CreateSecret', 'PutSecretValue'] },
    },
    deliver: async (event) => void delivered.push(event),
  });
  const core: any = await import('@alicloud/openapi-core');
  const dara: any = await import('@darabonba/typescript');
  const OpenApi = core.default?.default ?? core.default;
  const util = core.$OpenApiUtil;
  const client = new OpenApi(
    new util.Config({
      ...emulator.defaultAccessKey,
      regionId: emulator.regionId,
      endpoint: `127.0.0.1:${server.port}`,
      protocol: 'http',
    }),
  );
  call = async (action, version, query) => {
    const params = new util.Params({
      action,
      version,
      protocol: 'HTTP',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const res = await client.callApi(
      params,
      new util.OpenApiRequest({ query: core.OpenApiUtil.query(query) }),
      new (dara.RuntimeOptions ?? dara.default.RuntimeOptions)({}),
    );
    return res.body;
  };
});

afterAll(async () => {
  await server?.close();
});

describe('ActionTrail over the wire', () => {
  it('records KMS writes, publishes them without secret values, and serves them through LookupEvents', async () => {
    await call('CreateSecret', '2016-01-20', { SecretName: 'app/token', VersionId: 'v1', SecretData: 'do-not-leak-1' });
    await emulator.clock.advance(60_000);
    await call('PutSecretValue', '2016-01-20', {
      SecretName: 'app/token',
      VersionId: 'v2',
      SecretData: 'do-not-leak-2',
    });
    await call('GetSecretValue', '2016-01-20', { SecretName: 'app/token' });
    await emulator.clock.advance(1_000);

    expect(delivered.map((e) => (e.data as { eventName: string }).eventName)).toEqual([
      'CreateSecret',
      'PutSecretValue',
    ]);
    expect(delivered[0]).toMatchObject({ subject: `acs.kms:cn-hangzhou:${emulator.accountId}:secret/app/token` });
    expect(JSON.stringify(delivered)).not.toContain('do-not-leak');

    const page = await call('LookupEvents', '2020-07-06', {
      LookupAttribute: [
        { Key: 'ResourceName', Value: 'app/token' },
        { Key: 'EventName', Value: 'PutSecretValue' },
      ],
      MaxResults: '10',
    });
    expect(page.Events).toHaveLength(1);
    expect(page.Events[0]).toMatchObject({
      eventName: 'PutSecretValue',
      serviceName: 'Kms',
      eventTime: '2026-03-01T00:01:00Z',
      userIdentity: { type: 'root-account', accessKeyId: emulator.defaultAccessKey.accessKeyId },
      requestParameters: { SecretName: 'app/token', VersionId: 'v2' },
    });
    expect(page.NextToken).toBe('');
    expect(JSON.stringify(page)).not.toContain('do-not-leak');
  });

  it('answers a bad LookupEvents parameter with HTTP 400 InvalidParameter', async () => {
    const error = await call('LookupEvents', '2020-07-06', { MaxResults: '500' }).catch((e: any) => e);
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidParameter' });
  });
});
