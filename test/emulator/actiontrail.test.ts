import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../emulator/clock';
import { FaultRegistry } from '../../emulator/faults';
import { createActionTrail } from '../../emulator/services/actiontrail';
import { createEventBus } from '../../emulator/services/eventbridge';
import { ApiError, type ApiRequest, type Caller } from '../../emulator/types';

const T0 = Date.parse('2026-01-10T00:00:00Z');
const ACCOUNT = '1234567890123456';
const root: Caller = { accessKeyId: 'LTAIroot', accountId: ACCOUNT, principal: 'root', isSts: false };
const fcRole: Caller = {
  accessKeyId: 'STS.abc',
  accountId: ACCOUNT,
  principal: 'assumed-role/kro-role/remediate',
  isSts: true,
};

let n = 0;
function kmsCall(
  action: string,
  params: Record<string, string>,
  receivedAt: number,
  caller: Caller = root,
): ApiRequest {
  return {
    product: 'kms',
    action,
    version: '2016-01-20',
    params,
    path: '/',
    method: 'POST',
    headers: { 'user-agent': 'AlibabaCloud (linux; x64) Node.js/v20 Core/1.0.1 TeaDSL/2' },
    body: Buffer.alloc(0),
    requestId: `req-${++n}`,
    caller,
    receivedAt,
  };
}

function lookup(params: Record<string, string>, receivedAt = T0): ApiRequest {
  return { ...kmsCall('LookupEvents', params, receivedAt), product: 'actiontrail', version: '2020-07-06' };
}

function setup() {
  const clock = new ManualClock(T0);
  const bus = createEventBus({ clock, faults: new FaultRegistry(), random: () => 0 });
  const trail = createActionTrail({ clock, bus, accountId: ACCOUNT, regionId: 'cn-hangzhou' });
  const onBus: unknown[] = [];
  bus.subscribe({ name: 'all', pattern: {}, deliver: async (e) => void onBus.push(e) });
  return { clock, bus, trail, onBus };
}

async function lookupEvents(trail: ReturnType<typeof setup>['trail'], params: Record<string, string>) {
  return (await trail.handle(lookup(params))) as {
    Events: Array<Record<string, any>>;
    NextToken: string;
    StartTime: string;
    EndTime: string;
  };
}

describe('ActionTrail records', () => {
  it('builds the documented record without any secret value', () => {
    const { trail } = setup();
    trail.record(
      kmsCall('PutSecretValue', { SecretName: 'prod/db', VersionId: 'v2', SecretData: 'hunter2-very-secret' }, T0),
      {
        reply: { SecretName: 'prod/db', VersionId: 'v2' },
      },
    );
    const record = trail.events()[0] as Record<string, any>;
    expect(record).toMatchObject({
      eventVersion: 1,
      eventTime: '2026-01-10T00:00:00Z',
      acsRegion: 'cn-hangzhou',
      eventName: 'PutSecretValue',
      eventType: 'ApiCall',
      eventRW: 'Write',
      eventCategory: 'Management',
      serviceName: 'Kms',
      eventSource: 'kms.cn-hangzhou.aliyuncs.com',
      apiVersion: '2016-01-20',
      sourceIpAddress: '127.0.0.1',
      requestParameters: { SecretName: 'prod/db', VersionId: 'v2', RegionId: 'cn-hangzhou' },
      responseElements: { SecretName: 'prod/db', VersionId: 'v2' },
      userIdentity: {
        type: 'root-account',
        accountId: ACCOUNT,
        principalId: ACCOUNT,
        accessKeyId: 'LTAIroot',
        userName: 'root',
      },
    });
    expect(record.eventId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(JSON.stringify(record)).not.toContain('hunter2');
    expect(record.requestParameters).not.toHaveProperty('SecretData');
  });

  it('records a failed call with its error code and message', () => {
    const { trail } = setup();
    trail.record(kmsCall('RotateSecret', { SecretName: 's', VersionId: 'v9' }, T0), {
      error: new ApiError(404, 'Forbidden.ResourceNotFound', 'The resource is not found.'),
    });
    expect(trail.events()[0]).toMatchObject({
      errorCode: 'Forbidden.ResourceNotFound',
      errorMessage: 'The resource is not found.',
    });
    expect(trail.events()[0]).not.toHaveProperty('responseElements');
  });

  it('names the identity of an FC role and of a RAM user', () => {
    const { trail } = setup();
    trail.record(kmsCall('RotateSecret', { SecretName: 's' }, T0, fcRole), { reply: {} });
    trail.record(
      kmsCall('RotateSecret', { SecretName: 's' }, T0, { ...root, accessKeyId: 'LTAIops', principal: 'user/ops' }),
      { reply: {} },
    );
    const [role, user] = trail.events() as Array<Record<string, any>>;
    expect(role?.userIdentity).toMatchObject({
      type: 'assumed-role',
      accessKeyId: 'STS.abc',
      userName: 'kro-role:remediate',
    });
    expect(role?.userIdentity.principalId).toMatch(/^\d{16}:remediate$/);
    expect(user?.userIdentity).toMatchObject({ type: 'ram-user', userName: 'ops', accessKeyId: 'LTAIops' });
  });

  it('publishes write calls on the bus as kms:ActionTrail:ApiCall, and not reads', async () => {
    const { clock, trail, onBus } = setup();
    trail.record(kmsCall('RotateSecret', { SecretName: 'prod/db', VersionId: 'v2' }, T0), { reply: {} });
    trail.record(kmsCall('GetSecretValue', { SecretName: 'prod/db' }, T0), { reply: { SecretData: 'x' } });
    await clock.settle();
    expect(onBus).toHaveLength(1);
    expect(onBus[0]).toMatchObject({
      source: 'acs.kms',
      specversion: '1.0',
      type: 'kms:ActionTrail:ApiCall',
      subject: `acs.kms:cn-hangzhou:${ACCOUNT}:secret/prod/db`,
      time: '2026-01-10T08:00:00+08:00',
      aliyunpublishtime: '2026-01-10T08:00:00.000PRC',
      aliyuneventbusname: 'default',
      aliyunregionid: 'cn-hangzhou',
      aliyunaccountid: ACCOUNT,
      data: { eventName: 'RotateSecret', acsRegion: 'cn-hangzhou' },
    });
  });
});

describe('LookupEvents', () => {
  function seeded() {
    const s = setup();
    // 30 rotations of two secrets, one per hour, then one DeleteSecret by the FC role.
    for (let i = 0; i < 30; i++) {
      s.trail.record(
        kmsCall('RotateSecret', { SecretName: i % 2 ? 'odd' : 'even', VersionId: `v${i}` }, T0 - (30 - i) * 3600_000),
        { reply: {} },
      );
    }
    s.trail.record(kmsCall('DeleteSecret', { SecretName: 'odd' }, T0 - 1000, fcRole), { reply: {} });
    return s;
  }

  it('returns the newest first, 20 per page by default, with a NextToken until the last page', async () => {
    const { trail } = seeded();
    const first = await lookupEvents(trail, {});
    expect(first.Events).toHaveLength(20);
    expect(first.Events[0]?.eventName).toBe('DeleteSecret');
    expect(first.NextToken).not.toBe('');
    const second = await lookupEvents(trail, { NextToken: first.NextToken });
    expect(second.Events).toHaveLength(11);
    expect(second.NextToken).toBe('');
    const ids = [...first.Events, ...second.Events].map((e) => e.eventId);
    expect(new Set(ids).size).toBe(31);
  });

  it('pages FORWARD oldest first with MaxResults', async () => {
    const { trail } = seeded();
    const page = await lookupEvents(trail, { Direction: 'FORWARD', MaxResults: '5' });
    expect(page.Events.map((e) => e.requestParameters.VersionId)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
    const next = await lookupEvents(trail, { Direction: 'FORWARD', MaxResults: '5', NextToken: page.NextToken });
    expect(next.Events[0]?.requestParameters.VersionId).toBe('v5');
  });

  it('keeps a page stable when newer events arrive between pages', async () => {
    const { trail } = seeded();
    const first = await lookupEvents(trail, { MaxResults: '10' });
    trail.record(kmsCall('RotateSecret', { SecretName: 'even' }, T0), { reply: {} });
    const second = await lookupEvents(trail, { MaxResults: '10', NextToken: first.NextToken });
    expect(second.Events[0]?.eventTime < first.Events[9]!.eventTime).toBe(true);
  });

  it('filters by two attributes AND-ed, exact and case-sensitive', async () => {
    const { trail } = seeded();
    const both = await lookupEvents(trail, {
      'LookupAttribute.1.Key': 'ResourceName',
      'LookupAttribute.1.Value': 'odd',
      'LookupAttribute.2.Key': 'EventName',
      'LookupAttribute.2.Value': 'RotateSecret',
      MaxResults: '50',
    });
    expect(both.Events).toHaveLength(15);
    const wrongCase = await lookupEvents(trail, {
      'LookupAttribute.1.Key': 'EventName',
      'LookupAttribute.1.Value': 'rotatesecret',
    });
    expect(wrongCase.Events).toHaveLength(0);
  });

  it('lets a repeated key keep its second value', async () => {
    const { trail } = seeded();
    const page = await lookupEvents(trail, {
      'LookupAttribute.1.Key': 'EventName',
      'LookupAttribute.1.Value': 'RotateSecret',
      'LookupAttribute.2.Key': 'EventName',
      'LookupAttribute.2.Value': 'DeleteSecret',
    });
    expect(page.Events.map((e) => e.eventName)).toEqual(['DeleteSecret']);
  });

  it('counts only the first two keys', async () => {
    const { trail } = seeded();
    const page = await lookupEvents(trail, {
      'LookupAttribute.1.Key': 'ServiceName',
      'LookupAttribute.1.Value': 'Kms',
      'LookupAttribute.2.Key': 'EventName',
      'LookupAttribute.2.Value': 'DeleteSecret',
      'LookupAttribute.3.Key': 'EventName2',
      'LookupAttribute.3.Value': 'x',
    }).catch((e: ApiError) => e);
    expect(page).toBeInstanceOf(ApiError); // an unknown key is still refused
    const three = await lookupEvents(trail, {
      'LookupAttribute.1.Key': 'ServiceName',
      'LookupAttribute.1.Value': 'Kms',
      'LookupAttribute.2.Key': 'EventName',
      'LookupAttribute.2.Value': 'DeleteSecret',
      'LookupAttribute.3.Key': 'ResourceName',
      'LookupAttribute.3.Value': 'no-such-secret',
    });
    expect(three.Events).toHaveLength(1);
  });

  it('finds events by access key, role name and read/write kind', async () => {
    const { trail } = seeded();
    const byKey = await lookupEvents(trail, {
      'LookupAttribute.1.Key': 'EventAccessKeyId',
      'LookupAttribute.1.Value': 'STS.abc',
    });
    expect(byKey.Events.map((e) => e.eventName)).toEqual(['DeleteSecret']);
    const byRole = await lookupEvents(trail, {
      'LookupAttribute.1.Key': 'RoleName',
      'LookupAttribute.1.Value': 'kro-role',
    });
    expect(byRole.Events).toHaveLength(1);
    const writes = await lookupEvents(trail, {
      'LookupAttribute.1.Key': 'EventRW',
      'LookupAttribute.1.Value': 'Write',
      MaxResults: '50',
    });
    expect(writes.Events).toHaveLength(31);
  });

  it('limits to a time range, and defaults to the last seven days', async () => {
    const s = seeded();
    s.trail.record(kmsCall('RotateSecret', { SecretName: 'ancient' }, T0 - 8 * 86_400_000), { reply: {} });
    const all = await lookupEvents(s.trail, { MaxResults: '50' });
    expect(all.Events).toHaveLength(31);
    expect(all.StartTime).toBe('2026-01-03T00:00:00Z');
    expect(all.EndTime).toBe('2026-01-10T00:00:00Z');
    const window = await lookupEvents(s.trail, {
      StartTime: '2026-01-09T20:00:00Z',
      EndTime: '2026-01-09T22:00:00Z',
      MaxResults: '50',
    });
    expect(window.Events).toHaveLength(3);
  });

  const badParams: Array<[string, Record<string, string>, RegExp]> = [
    ['StartTime without EndTime', { StartTime: '2026-01-01T00:00:00Z' }, /together/],
    ['a malformed time', { StartTime: '2026-01-01 00:00:00', EndTime: '2026-01-02T00:00:00Z' }, /StartTime/],
    ['a start after the end', { StartTime: '2026-01-03T00:00:00Z', EndTime: '2026-01-02T00:00:00Z' }, /later/],
    ['MaxResults 0', { MaxResults: '0' }, /MaxResults/],
    ['MaxResults 51', { MaxResults: '51' }, /MaxResults/],
    ['a bad Direction', { Direction: 'UP' }, /Direction/],
    ['an unknown key', { 'LookupAttribute.1.Key': 'Colour', 'LookupAttribute.1.Value': 'x' }, /Colour/],
    ['a key without a value', { 'LookupAttribute.1.Key': 'EventName' }, /Value/],
    ['a forged NextToken', { NextToken: 'not-a-token' }, /NextToken/],
  ];
  it.each(badParams)('answers 400 InvalidParameter for %s', async (_name, params, message) => {
    const { trail } = seeded();
    const error = (await Promise.resolve()
      .then(() => trail.handle(lookup(params)))
      .catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.httpStatus).toBe(400);
    expect(error.code).toBe('InvalidParameter');
    expect(error.message).toMatch(message);
  });

  it('answers 404 for an action it does not have', async () => {
    const { trail } = setup();
    const error = await Promise.resolve()
      .then(() => trail.handle({ ...lookup({}), action: 'CreateTrail' }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ httpStatus: 404, code: 'InvalidAction.NotFound' });
  });
});
