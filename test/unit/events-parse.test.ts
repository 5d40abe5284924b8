import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../shared/domain/event-types';
import { parseEvents, type ParseOptions } from '../../shared/events';
import { MAX_FUTURE_SKEW_MS } from '../../shared/events/trust';

const ACCOUNT = '1234567890123456';
const OTHER = '9999999999999999';

type Json = Record<string, any>;

function envelope(type: string, data: Json, tweak: Json = {}): Json {
  return {
    id: 'evt-1',
    source: 'acs.kms',
    specversion: '1.0',
    type,
    datacontenttype: 'application/json;charset=utf-8',
    subject: `acs.kms:cn-hangzhou:${ACCOUNT}:secret/db_prod`,
    time: '2020-11-19T21:04:41+08:00',
    aliyunaccountid: ACCOUNT,
    aliyunpublishtime: '2020-11-19T21:04:42.179PRC',
    aliyuneventbusname: 'default',
    aliyunregionid: 'cn-hangzhou',
    data,
    ...tweak,
  };
}

function failureData(content: Json = {}): Json {
  return {
    product: 'KMS',
    eventTime: '20180816T135935.689+0800',
    level: 'CRITICAL',
    name: 'Secret:RotateSecret:Failure',
    regionId: 'cn-hangzhou',
    resourceId: `acs:kms:cn-hangzhou:${ACCOUNT}:secret/db_prod`,
    status: 'Failed',
    content: {
      eventId: 'cm-1',
      secretName: 'db_prod',
      secretType: 'Rds',
      RotationEntityArn: `acs:rds:cn-hangzhou:${ACCOUNT}:dbinstance/rm-abc`,
      rotationStatus: 'Invalid',
      rotationSubType: 'SingleUser',
      failureInfo: { errorCode: 'Rds.InstanceNotFound', errorMessage: 'The instance is not found.' },
      failureTime: '2012-03-12T05:55:36Z',
      ...content,
    },
    ver: '1.0',
  };
}

function successData(content: Json = {}): Json {
  return {
    product: 'KMS',
    eventTime: '20180816T135935.689+0800',
    level: 'INFO',
    name: 'Secret:RotateSecret:Success',
    regionId: 'cn-hangzhou',
    resourceId: `acs:kms:cn-hangzhou:${ACCOUNT}:secret/db_prod`,
    status: 'Normal',
    instanceName: 'db_prod',
    content: {
      eventId: 'cm-2',
      secretName: 'db_prod',
      secretType: 'Rds',
      RotationEntityArn: `acs:rds:cn-hangzhou:${ACCOUNT}:dbinstance/rm-abc`,
      rotationStatus: 'Enabled',
      secretSubType: 'DoubleUsers',
      successTime: '2020-08-17T16:04:46.149Asia/Shanghai',
      ...content,
    },
    ver: '1.0',
  };
}

function trailRecord(tweak: Json = {}): Json {
  return {
    eventId: 'at-1',
    eventVersion: '1',
    eventTime: '2022-10-22T21:52:00Z',
    requestId: 'req-1',
    acsRegion: 'cn-hangzhou',
    eventName: 'RotateSecret',
    eventType: 'ApiCall',
    eventRW: 'Write',
    serviceName: 'Kms',
    requestParameters: { SecretName: 'db_prod', VersionId: 'kro-ep1-a1', RegionId: 'cn-hangzhou' },
    responseElements: { SecretName: 'db_prod', VersionId: 'kro-ep1-a1' },
    userIdentity: { type: 'assumed-role', accountId: ACCOUNT, principalId: 'p-1', accessKeyId: 'STS.abc' },
    ...tweak,
  };
}

const FAILURE = 'kms:CloudMonitor:Secret[RotateSecret:Failure]';
const SUCCESS = 'kms:CloudMonitor:Secret[RotateSecret:Success]';
const API_CALL = 'kms:ActionTrail:ApiCall';

function parseOne(event: unknown, options: ParseOptions = { accountId: ACCOUNT }): ParseResult {
  const results = parseEvents(Buffer.from(JSON.stringify(event)), options);
  expect(results).toHaveLength(1);
  return results[0]!;
}

function expectRejected(result: ParseResult, reason: string, detail: RegExp): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.reason).toBe(reason);
  expect(result.detail).toMatch(detail);
}

describe('rotation result events', () => {
  it('reads a failure with its error, sub-type, target and failure time', () => {
    const result = parseOne(envelope(FAILURE, failureData()));
    expect(result).toEqual({
      ok: true,
      event: {
        kind: 'rotation-result',
        dedupeKey: 'acs.kms/evt-1',
        id: 'evt-1',
        source: 'acs.kms',
        accountId: ACCOUNT,
        regionId: 'cn-hangzhou',
        at: Date.UTC(2012, 2, 12, 5, 55, 36),
        outcome: 'failure',
        secretName: 'db_prod',
        secretType: 'Rds',
        subType: 'SingleUser',
        target: `acs:rds:cn-hangzhou:${ACCOUNT}:dbinstance/rm-abc`,
        errorCode: 'Rds.InstanceNotFound',
        errorMessage: 'The instance is not found.',
        rotationStatus: 'Invalid',
      },
    });
  });

  it('reads a success with secretSubType and a successTime in Asia/Shanghai', () => {
    const result = parseOne(envelope(SUCCESS, successData()));
    expect(result.ok && result.event).toMatchObject({
      kind: 'rotation-result',
      outcome: 'success',
      subType: 'DoubleUsers',
      rotationStatus: 'Enabled',
      at: Date.UTC(2020, 7, 17, 8, 4, 46, 149),
    });
  });

  it('accepts the content at data itself when data has no content object', () => {
    const { content, ...rest } = failureData();
    const result = parseOne(envelope(FAILURE, { ...rest, ...content }));
    expect(result.ok && result.event).toMatchObject({ secretName: 'db_prod', errorCode: 'Rds.InstanceNotFound' });
  });

  it('takes the secret name from the resource ARN when content.secretName is missing', () => {
    const result = parseOne(envelope(FAILURE, failureData({ secretName: undefined })));
    expect(result.ok && result.event).toMatchObject({ secretName: 'db_prod' });
  });

  it('falls back to the CloudMonitor eventTime when the outcome time is missing', () => {
    const result = parseOne(envelope(FAILURE, failureData({ failureTime: undefined })));
    expect(result.ok && result.event.kind === 'rotation-result' && result.event.at).toBe(
      Date.UTC(2018, 7, 16, 5, 59, 35, 689),
    );
  });

  it('falls back to the envelope publish time (PRC) when no other time is readable', () => {
    const data = failureData({ failureTime: undefined });
    delete data.eventTime;
    const result = parseOne(envelope(FAILURE, data, { time: undefined }));
    expect(result.ok && result.event.kind === 'rotation-result' && result.event.at).toBe(
      Date.UTC(2020, 10, 19, 13, 4, 42, 179),
    );
  });

  it('is malformed, naming the fields, when no secret name can be found', () => {
    const data = failureData({ secretName: undefined });
    delete data.resourceId;
    expectRejected(
      parseOne(envelope(FAILURE, data)),
      'malformed',
      /content\.secretName is missing and data\.resourceId is missing/,
    );
  });

  it('is malformed, quoting the bad value, when every time is unreadable', () => {
    const data = failureData({ failureTime: 'last tuesday' });
    data.eventTime = 'soon';
    const result = parseOne(envelope(FAILURE, data, { time: 'x', aliyunpublishtime: undefined }));
    expectRejected(result, 'malformed', /unreadable time: data\.content\.failureTime = "last tuesday"/);
  });

  it('is malformed when data is not an object', () => {
    expectRejected(
      parseOne(envelope(FAILURE, 42 as unknown as Json)),
      'malformed',
      /data must be an object, got number/,
    );
  });

  it('reads a RawData delivery (the CloudMonitor body without envelope)', () => {
    const result = parseOne(failureData());
    expect(result.ok && result.event).toMatchObject({
      kind: 'rotation-result',
      dedupeKey: 'acs.kms/cm-1',
      outcome: 'failure',
    });
  });
});

describe('ActionTrail API call events', () => {
  it('reads a RotateSecret call with its VersionId and caller', () => {
    const result = parseOne(envelope(API_CALL, trailRecord()));
    expect(result).toEqual({
      ok: true,
      event: {
        kind: 'api-call',
        dedupeKey: 'acs.kms/evt-1',
        id: 'evt-1',
        source: 'acs.kms',
        accountId: ACCOUNT,
        regionId: 'cn-hangzhou',
        at: Date.UTC(2022, 9, 22, 21, 52, 0),
        eventName: 'RotateSecret',
        secretName: 'db_prod',
        failed: false,
        versionId: 'kro-ep1-a1',
        principalId: 'p-1',
        accessKeyId: 'STS.abc',
      },
    });
  });

  it.each([
    'UpdateSecretRotationPolicy',
    'DeleteSecret',
    'RestoreSecret',
    'PutSecretValue',
    'UpdateSecretVersionStage',
    'CreateSecret',
  ])('reads %s', (eventName) => {
    const result = parseOne(envelope(API_CALL, trailRecord({ eventName })));
    expect(result.ok && result.event).toMatchObject({ kind: 'api-call', eventName, secretName: 'db_prod' });
  });

  it('marks a call with an errorCode as failed', () => {
    const result = parseOne(
      envelope(API_CALL, trailRecord({ errorCode: 'Rejected.Throttling', errorMessage: 'QPS Limit Exceeded' })),
    );
    expect(result.ok && result.event).toMatchObject({
      failed: true,
      errorCode: 'Rejected.Throttling',
      errorMessage: 'QPS Limit Exceeded',
    });
  });

  it('takes the secret name from an ARN in requestParameters.SecretName', () => {
    const record = trailRecord({
      requestParameters: { SecretName: `acs:kms:cn-hangzhou:${ACCOUNT}:secret/team/db_prod` },
    });
    const result = parseOne(envelope(API_CALL, record));
    expect(result.ok && result.event).toMatchObject({ secretName: 'team/db_prod' });
  });

  it('takes the created name from the response when CreateSecret was called with $Auto', () => {
    const record = trailRecord({
      eventName: 'CreateSecret',
      requestParameters: { SecretName: '$Auto' },
      responseElements: { SecretName: 'acs/ram/user/alice' },
    });
    const result = parseOne(envelope(API_CALL, record));
    expect(result.ok && result.event).toMatchObject({ secretName: 'acs/ram/user/alice' });
  });

  it('accepts requestParameters double-encoded as a JSON string', () => {
    const record = trailRecord({ requestParameters: JSON.stringify({ SecretName: 'db_prod' }) });
    expect(parseOne(envelope(API_CALL, record)).ok).toBe(true);
  });

  it.each(['TagResource', 'UntagResource', 'GetSecretValue'])('reports %s as irrelevant', (eventName) => {
    expectRejected(parseOne(envelope(API_CALL, trailRecord({ eventName }))), 'irrelevant', new RegExp(eventName));
  });

  it('is malformed when the secret name is missing', () => {
    const record = trailRecord({ requestParameters: { RegionId: 'cn-hangzhou' }, responseElements: {} });
    expectRejected(parseOne(envelope(API_CALL, record)), 'malformed', /requestParameters\.SecretName is missing/);
  });

  it('is malformed when eventName is missing', () => {
    expectRejected(parseOne(envelope(API_CALL, trailRecord({ eventName: undefined }))), 'malformed', /data\.eventName/);
  });

  it('never copies a secret value from requestParameters into the event', () => {
    const record = trailRecord({
      eventName: 'PutSecretValue',
      requestParameters: { SecretName: 'db_prod', VersionId: 'v2', SecretData: 'hunter2-secret' },
    });
    expect(JSON.stringify(parseOne(envelope(API_CALL, record)))).not.toContain('hunter2');
  });

  it("reads PutSecretValue's stages from the response, else from the request's JSON string", () => {
    const fromResponse = trailRecord({
      eventName: 'PutSecretValue',
      requestParameters: { SecretName: 'db_prod', VersionId: 'v2', VersionStages: '["ACSNext"]' },
      responseElements: { SecretName: 'db_prod', VersionId: 'v2', VersionStages: { VersionStage: ['ACSCurrent'] } },
    });
    const fromRequest = trailRecord({
      eventName: 'PutSecretValue',
      requestParameters: { SecretName: 'db_prod', VersionId: 'v2', VersionStages: '["ACSNext"]' },
      responseElements: { SecretName: 'db_prod', VersionId: 'v2' },
    });
    expect(parseOne(envelope(API_CALL, fromResponse))).toMatchObject({ event: { versionStages: ['ACSCurrent'] } });
    expect(parseOne(envelope(API_CALL, fromRequest))).toMatchObject({ event: { versionStages: ['ACSNext'] } });
  });

  it.each([['not json'], ['{"a":1}'], [JSON.stringify(Array.from({ length: 9 }, (_, i) => `S${i}`))], ['["ok", 3]']])(
    'knows nothing of the stages when VersionStages is %j',
    (stages) => {
      const record = trailRecord({
        eventName: 'PutSecretValue',
        requestParameters: { SecretName: 'db_prod', VersionId: 'v2', VersionStages: stages },
        responseElements: { SecretName: 'db_prod', VersionId: 'v2' },
      });
      const result = parseOne(envelope(API_CALL, record));
      expect(result.ok && result.event.kind === 'api-call' && result.event.versionStages).toBeUndefined();
    },
  );

  it('reads a RawData delivery (the ActionTrail record without envelope)', () => {
    const result = parseOne(trailRecord());
    expect(result.ok && result.event).toMatchObject({ kind: 'api-call', dedupeKey: 'acs.kms/at-1' });
  });
});

describe('account check', () => {
  it('refuses an event whose aliyunaccountid is another account, naming both', () => {
    const result = parseOne(envelope(FAILURE, failureData(), { aliyunaccountid: OTHER, subject: undefined }));
    expectRejected(result, 'foreign-account', new RegExp(`${OTHER}.*aliyunaccountid.*${ACCOUNT}`));
  });

  it('refuses a rotation result whose secret ARN names another account', () => {
    const data = failureData();
    data.resourceId = `acs:kms:cn-hangzhou:${OTHER}:secret/db_prod`;
    expectRejected(parseOne(envelope(FAILURE, data)), 'foreign-account', /data\.resourceId/);
  });

  it('refuses an API call made by another account on a secret named without ARN', () => {
    const record = trailRecord({ userIdentity: { type: 'ram-user', accountId: OTHER } });
    expectRejected(
      parseOne(envelope(API_CALL, record, { aliyunaccountid: undefined, subject: undefined })),
      'foreign-account',
      /userIdentity\.accountId/,
    );
  });

  it('accepts a call from another account when the ARN says the secret is ours', () => {
    const record = trailRecord({
      userIdentity: { type: 'ram-user', accountId: OTHER },
      requestParameters: { SecretName: `acs:kms:cn-hangzhou:${ACCOUNT}:secret/db_prod` },
    });
    expect(parseOne(envelope(API_CALL, record)).ok).toBe(true);
  });

  it('checks nothing when the deployment has no account configured', () => {
    const result = parseOne(envelope(FAILURE, failureData(), { aliyunaccountid: OTHER }), {
      accountId: undefined as unknown as string,
    });
    expect(result.ok).toBe(true);
  });
});

describe('events from outside are untrusted', () => {
  // The failure in failureData() happened at content.failureTime.
  const failedAt = Date.parse('2012-03-12T05:55:36Z');
  const trusted = (now: number): ParseOptions => ({ accountId: ACCOUNT, regionId: 'cn-hangzhou', now });

  it('accepts an event dated up to 5 minutes ahead of now (clock skew)', () => {
    expect(parseOne(envelope(FAILURE, failureData()), trusted(failedAt - MAX_FUTURE_SKEW_MS)).ok).toBe(true);
  });

  it('refuses an event dated more than 5 minutes in the future, saying how far ahead', () => {
    expectRejected(
      parseOne(envelope(FAILURE, failureData()), trusted(failedAt - MAX_FUTURE_SKEW_MS - 1000)),
      'future-dated',
      /2012-03-12T05:55:36.000Z, 5 min ahead of now/,
    );
    const from2099 = failureData({ failureTime: '2099-01-01T00:00:00Z' });
    expectRejected(
      parseOne(envelope(FAILURE, from2099), trusted(Date.parse('2026-03-02T00:00:00Z'))),
      'future-dated',
      /2099-01-01/,
    );
  });

  it('refuses a future-dated API call too, but not a timer (FC stamps timers itself)', () => {
    expectRejected(
      parseOne(envelope(API_CALL, trailRecord()), trusted(Date.parse('2022-10-22T21:40:00Z'))),
      'future-dated',
      /ahead of now/,
    );
    expect(parseOne({ triggerTime: '2099-01-01T00:00:00Z', triggerName: 't' }, trusted(0)).ok).toBe(true);
  });

  it('refuses an event from another region, naming the field that says so', () => {
    const options = trusted(Date.parse('2026-03-02T00:00:00Z'));
    expectRejected(
      parseOne(envelope(FAILURE, failureData(), { aliyunregionid: 'cn-shanghai' }), options),
      'foreign-region',
      /"cn-shanghai" \(aliyunregionid\).*cn-hangzhou/,
    );
    const elsewhere = failureData();
    elsewhere.resourceId = `acs:kms:ap-southeast-1:${ACCOUNT}:secret/db_prod`;
    expectRejected(parseOne(envelope(FAILURE, elsewhere), options), 'foreign-region', /ap-southeast-1/);
    const call = trailRecord({ acsRegion: 'cn-beijing' });
    expectRejected(
      parseOne(envelope(API_CALL, call, { aliyunregionid: undefined, subject: undefined }), options),
      'foreign-region',
      /cn-beijing/,
    );
    const byArn = trailRecord({ requestParameters: { SecretName: `acs:kms:cn-beijing:${ACCOUNT}:secret/db_prod` } });
    expectRejected(parseOne(envelope(API_CALL, byArn), options), 'foreign-region', /requestParameters\.SecretName/);
    expect(parseOne(envelope(FAILURE, failureData()), options).ok).toBe(true);
  });

  it('hands on only a redacted, bounded message and a code shaped like one', () => {
    const value = 'Xk9#mQ2$vL7pRw4!';
    const data = failureData({
      failureInfo: {
        errorCode: `password=${value}`,
        errorMessage: `mysql://orders:${value}@rm-bp1:3306/db ${'x'.repeat(500)}`,
      },
    });
    const result = parseOne(envelope(FAILURE, data));
    expect(result.ok).toBe(true);
    expect(JSON.stringify(result)).not.toContain(value);
    expect(result.ok && result.event.kind === 'rotation-result' && result.event).toMatchObject({
      errorCode: 'UnreadableErrorCode',
      errorMessage: expect.stringMatching(/^mysql:\/\/\[REDACTED\]@rm-bp1:3306\/db x+…$/),
    });
  });
});

describe('timer events', () => {
  it('reads the trigger name, time and string payload', () => {
    const result = parseOne({ triggerTime: '2023-12-26T07:49:00Z', triggerName: 'sweep-timer', payload: 'awesome-fc' });
    expect(result).toEqual({
      ok: true,
      event: {
        kind: 'timer',
        triggerName: 'sweep-timer',
        triggerTime: Date.UTC(2023, 11, 26, 7, 49),
        payload: 'awesome-fc',
      },
    });
  });

  it('is malformed when triggerTime is not a time', () => {
    expectRejected(
      parseOne({ triggerTime: 'noon', triggerName: 't' }),
      'malformed',
      /triggerTime is not a time: "noon"/,
    );
  });
});

describe('envelopes and batches', () => {
  it('reports an unknown type by name', () => {
    expectRejected(
      parseOne(envelope('kms:Config:NonCompliantNotification', {})),
      'unknown-type',
      /kms:Config:NonCompliantNotification/,
    );
  });

  it('is malformed when the body is not JSON, without quoting the body', () => {
    const [result] = parseEvents(Buffer.from('{"SecretData": "hunter2'), {});
    expectRejected(result!, 'malformed', /not valid JSON \(23 bytes\)/);
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('is malformed when a CloudEvent has no id', () => {
    expectRejected(
      parseOne(envelope(FAILURE, failureData(), { id: undefined })),
      'malformed',
      /"id" must be a non-empty string/,
    );
  });

  it('is malformed when the body is a bare value', () => {
    expectRejected(parseOne(42), 'malformed', /must be a JSON object/);
  });

  it('is malformed for an object that is no known event', () => {
    expectRejected(parseOne({ hello: 'world' }), 'malformed', /neither a CloudEvent/);
  });

  it('parses every element of an event-streaming array and numbers the bad ones', () => {
    const results = parseEvents(
      JSON.stringify([envelope(FAILURE, failureData()), 'junk', envelope(API_CALL, trailRecord(), { id: 'evt-2' })]),
      { accountId: ACCOUNT },
    );
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(!results[1]!.ok && results[1]!.detail).toMatch(/^event \[1\]: /);
  });

  it('accepts a Uint8Array view into a larger buffer', () => {
    const bytes = Buffer.from(`xx${JSON.stringify(envelope(FAILURE, failureData()))}yy`);
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset + 2, bytes.length - 4);
    expect(parseEvents(view, { accountId: ACCOUNT })[0]!.ok).toBe(true);
  });
});
