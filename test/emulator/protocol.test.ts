import { describe, expect, it } from 'vitest';
import { signedRequest } from '../../emulator/protocol/client';
import { KMS_OPERATIONS, type KmsAction } from '../../shared/kms-operations';
import { DEFAULT_QUOTAS, type QuotaGroup, quotaGroupOf } from '../../shared/quota-groups';
import { emulatorFixture, listeningEmulator, VERSIONS } from '../helpers/emulator';

const NOW = '2026-01-01T00:00:00Z';

describe('the wire protocol', () => {
  it.each(['v1', 'acs3', 'form'] as const)(
    'accepts a %s-signed request and answers JSON with a RequestId',
    async (style) => {
      const { call } = emulatorFixture({ now: NOW });
      const created = await call(
        'CreateSecret',
        { SecretName: `s-${style}`, VersionId: 'v1', SecretData: 'a b+c&d=é' },
        { style },
      );
      expect(created.status).toBe(200);
      expect(created.headers.get('content-type')).toBe('application/json;charset=utf-8');
      expect(created.body.RequestId).toMatch(/^[0-9A-F-]{36}$/);
      const value = await call('GetSecretValue', { SecretName: `s-${style}` }, { style });
      expect(value.body.SecretData).toBe('a b+c&d=é');
    },
  );

  it('answers an unknown AccessKeyId with 404 InvalidAccessKeyId.NotFound', async () => {
    const { call } = emulatorFixture({ now: NOW });
    const res = await call('ListSecrets', {}, { key: { accessKeyId: 'LTAI-nobody', accessKeySecret: 'x' } });
    expect([res.status, res.body.Code]).toEqual([404, 'InvalidAccessKeyId.NotFound']);
  });

  it.each(['v1', 'acs3', 'form'] as const)(
    'answers a bad %s signature with 400 IncompleteSignature and the documented message',
    async (style) => {
      const { emulator, call } = emulatorFixture({ now: NOW });
      const res = await call(
        'ListSecrets',
        {},
        { style, key: { accessKeyId: emulator.defaultAccessKey.accessKeyId, accessKeySecret: 'wrong' } },
      );
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        Code: 'IncompleteSignature',
        Message: 'The request signature does not conform to Aliyun standards.',
        HostId: 'kms.cn-hangzhou.aliyuncs.com',
        HttpStatus: 400,
      });
      expect(res.body.Recommend).toContain('IncompleteSignature');
    },
  );

  it('answers a request signed 20 minutes off real time with 400 IllegalTimestamp', async () => {
    const { call } = emulatorFixture({ now: NOW });
    const res = await call('ListSecrets', {}, { timestamp: Date.now() - 20 * 60_000 });
    expect([res.status, res.body.Code]).toEqual([400, 'IllegalTimestamp']);
  });

  it('answers an unsigned request with 400 MissingParameter', async () => {
    const { emulator } = emulatorFixture({ now: NOW });
    const res = await emulator.fetch(
      new Request('http://127.0.0.1/?Action=ListSecrets&Version=2016-01-20', { method: 'POST' }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { Code: string }).Code).toBe('MissingParameter');
  });

  it('detects a parameter changed after signing', async () => {
    const { emulator } = emulatorFixture({ now: NOW });
    const req = signedRequest({
      baseUrl: 'http://127.0.0.1:1',
      action: 'DescribeSecret',
      version: VERSIONS.kms,
      params: { SecretName: 'a' },
      ...emulator.defaultAccessKey,
    });
    const tampered = new Request(req.url.replace('SecretName=a', 'SecretName=b'), {
      method: 'POST',
      headers: req.headers,
    });
    const res = await emulator.fetch(tampered);
    expect(((await res.json()) as { Code: string }).Code).toBe('IncompleteSignature');
  });

  it('accepts any well-formed call without checking signatures when verification is off', async () => {
    const { emulator } = emulatorFixture({ now: NOW, verifySignatures: false });
    const res = await emulator.fetch(
      new Request('http://127.0.0.1/?Action=ListSecrets&Version=2016-01-20', { method: 'POST' }),
    );
    expect(res.status).toBe(200);
  });

  it('answers an unknown version with 400 InvalidVersion and an unknown action with 404 InvalidAction.NotFound', async () => {
    const { call } = emulatorFixture({ now: NOW });
    expect((await call('ListSecrets', {}, { version: '2099-01-01' })).body.Code).toBe('InvalidVersion');
    const res = await call('NoSuchAction', {});
    expect([res.status, res.body.Code]).toEqual([404, 'InvalidAction.NotFound']);
  });

  it('refuses a call outside the caller key policy with 403 Forbidden.NoPermission, but always allows GetCallerIdentity', async () => {
    const { emulator, call } = emulatorFixture({ now: NOW });
    emulator.auth.setRolePolicy('reader', {
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: ['kms:Describe*', 'kms:List*'], Resource: '*' }],
    });
    const sts = emulator.auth.issueStsToken({ roleName: 'reader' });
    const key = {
      accessKeyId: sts.accessKeyId,
      accessKeySecret: sts.accessKeySecret,
      securityToken: sts.securityToken as string,
    };
    expect((await call('ListSecrets', {}, { key })).status).toBe(200);
    const denied = await call('RotateSecret', { SecretName: 'x', VersionId: 'v' }, { key });
    expect([denied.status, denied.body.Code]).toEqual([403, 'Forbidden.NoPermission']);
    const who = await call('GetCallerIdentity', {}, { key, version: VERSIONS.sts });
    expect(who.body).toMatchObject({ IdentityType: 'AssumedRoleUser', AccountId: emulator.accountId });
  });

  it('requires the STS security token that belongs to the key', async () => {
    const { emulator, call } = emulatorFixture({ now: NOW });
    const sts = emulator.auth.issueStsToken({ roleName: 'r' });
    const res = await call(
      'ListSecrets',
      {},
      { key: { accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret, securityToken: 'forged' } },
    );
    expect(res.status).toBe(400);
  });

  it('throttles the read group past its quota with 429 Rejected.Throttling on the emulator clock', async () => {
    const { emulator, call } = emulatorFixture({ now: NOW, quotas: { read: { limit: 3, perMs: 1000 } } });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await call('DescribeSecret', { SecretName: 'none' })).status);
    expect(codes).toEqual([404, 404, 404, 429]);
    const throttled = await call('DescribeSecret', { SecretName: 'none' });
    expect(throttled.body).toMatchObject({
      Code: 'Rejected.Throttling',
      Message: 'QPS Limit Exceeded',
      HttpStatus: 429,
    });
    await emulator.clock.advance(1000);
    expect((await call('DescribeSecret', { SecretName: 'none' })).status).toBe(404);
  });

  it('never throttles with quotas off', async () => {
    const { call } = emulatorFixture({ now: NOW, quotas: false });
    for (let i = 0; i < 60; i++) expect((await call('ListSecrets', {})).status).toBe(200);
  });

  it('applies ApiError, Throttle and DropConnection faults to matching calls only', async () => {
    const { emulator, call } = emulatorFixture({ now: NOW });
    emulator.faults.add({
      Kind: 'ApiError',
      Action: 'ListSecrets',
      ErrorCode: 'ServiceUnavailableTemporary',
      HttpStatus: 503,
      Times: 1,
    });
    emulator.faults.add({ Kind: 'Throttle', Group: 'read', Times: 1 });
    const failed = await call('ListSecrets', {});
    expect([failed.status, failed.body.Code]).toEqual([503, 'ServiceUnavailableTemporary']);
    expect((await call('ListSecrets', {})).status).toBe(200);
    expect((await call('DescribeSecret', { SecretName: 'x' })).status).toBe(429);
    emulator.faults.add({ Kind: 'DropConnection', Action: 'ListSecrets', Times: 1 });
    await expect(call('ListSecrets', {})).rejects.toThrow('fetch failed');
  });

  it('logs every call with sensitive parameters redacted', async () => {
    const { emulator, call } = emulatorFixture({ now: NOW });
    await call('CreateSecret', { SecretName: 'logged', VersionId: 'v1', SecretData: 'hunter2' });
    await call('DescribeSecret', { SecretName: 'missing' });
    const log = emulator.callLog();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      product: 'kms',
      action: 'CreateSecret',
      status: 200,
      principal: 'root',
      params: { SecretData: '[REDACTED]', SecretName: 'logged' },
    });
    expect(log[1]).toMatchObject({ status: 404, code: 'Forbidden.ResourceNotFound' });
    expect(JSON.stringify(log)).not.toContain('hunter2');
  });

  it('records write calls in ActionTrail and publishes them on the bus', async () => {
    const { emulator, call } = emulatorFixture({ now: NOW });
    await call('CreateSecret', { SecretName: 'trail', VersionId: 'v1', SecretData: 'x' });
    await call('DescribeSecret', { SecretName: 'trail' });
    expect(emulator.actiontrail.events().map((e) => e.eventName)).toEqual(['CreateSecret']);
    await emulator.clock.settle();
    expect(emulator.bus.log().map((r) => r.event.type)).toContain('kms:ActionTrail:ApiCall');
  });

  it('destroys the socket without a reply on DropConnection over HTTP, and serves the next call', async () => {
    const { emulator, server } = await listeningEmulator();
    emulator.faults.add({ Kind: 'DropConnection', Product: 'kms', Times: 1 });
    const request = () =>
      signedRequest({
        baseUrl: server.url,
        action: 'ListSecrets',
        version: VERSIONS.kms,
        ...emulator.defaultAccessKey,
      });
    await expect(fetch(request())).rejects.toThrow();
    expect((await fetch(request())).status).toBe(200);
    expect(emulator.callLog().map((c) => c.status)).toEqual([0, 200]);
  });

  it('binds 127.0.0.1 by default', async () => {
    const { server } = await listeningEmulator();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('one declaration per KMS operation (shared/kms-operations.ts)', () => {
  const operations = Object.entries(KMS_OPERATIONS) as Array<[KmsAction, (typeof KMS_OPERATIONS)[KmsAction]]>;

  it('is what the emulator serves and what it records in ActionTrail: every write, no read', async () => {
    const { emulator, call } = emulatorFixture({ now: NOW, quotas: false });
    for (const [action, operation] of operations) {
      const before = emulator.actiontrail.events().length;
      const res = await call(action, {});
      expect(res.body.Code, action).not.toBe('InvalidAction.NotFound');
      expect(emulator.actiontrail.events().length - before, action).toBe(operation.access === 'write' ? 1 : 0);
    }
    expect((await call('RotateKey', {})).body).toMatchObject({ Code: 'InvalidAction.NotFound' });
  });

  it('throttles each operation in the quota group it declares, the group the client paces it in', async () => {
    const groups = Object.keys(DEFAULT_QUOTAS) as QuotaGroup[];
    for (const [action, operation] of operations) {
      expect(quotaGroupOf(action), action).toBe(operation.quota);
      // One call an hour for the own group (ownSpent) or for every other group; the rest plenty.
      const quotas = (ownSpent: boolean) =>
        Object.fromEntries(
          groups.map((g) => [g, { limit: (g === operation.quota) === ownSpent ? 1 : 1000, perMs: 3_600_000 }]),
        );
      // Its own group spent after one call: the second is throttled.
      const own = emulatorFixture({ now: NOW, quotas: quotas(true) });
      await own.call(action, {});
      expect((await own.call(action, {})).status, action).toBe(429);
      // Every other group spent after one call: its own group still answers.
      const others = emulatorFixture({ now: NOW, quotas: quotas(false) });
      await others.call(action, {});
      expect((await others.call(action, {})).status, action).not.toBe(429);
    }
  });
});
