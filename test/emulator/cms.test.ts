import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../emulator/clock';
import { FaultRegistry } from '../../emulator/faults';
import { createCloudMonitor, formatCmsTime, matchesKeywords, parseCmsTime } from '../../emulator/services/cms';
import { ApiError, type ApiReply, type ApiRequest } from '../../emulator/types';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function setup() {
  const clock = new ManualClock(T0);
  const cms = createCloudMonitor({ clock, faults: new FaultRegistry() });
  let n = 0;
  const call = async (action: string, params: Record<string, string>): Promise<Record<string, any>> => {
    const req: ApiRequest = {
      product: 'cms',
      action,
      version: '2019-01-01',
      params,
      path: '/',
      method: 'POST',
      headers: {},
      body: Buffer.alloc(0),
      requestId: `r${++n}`,
      receivedAt: clock.now(),
    };
    return (await cms.handle(req)) as ApiReply as Record<string, any>;
  };
  const fail = (action: string, params: Record<string, string>) =>
    call(action, params).then(
      () => {
        throw new Error('expected an ApiError');
      },
      (e: unknown) => e as ApiError,
    );
  return { clock, cms, call, fail };
}

const event = (i: number, name: string, content: string, extra: Record<string, string> = {}) => ({
  [`EventInfo.${i}.EventName`]: name,
  [`EventInfo.${i}.Content`]: content,
  ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`EventInfo.${i}.${k}`, v])),
});

async function withOpsRouting(call: ReturnType<typeof setup>['call'], rule: Record<string, string> = {}) {
  await call('PutContact', {
    ContactName: 'alice',
    Describe: 'on call',
    'Channels.Mail': 'alice@example.com',
    'Channels.DingWebHook': 'https://oapi.dingtalk.com/robot/send?access_token=x',
    'Channels.SMS': '13800000000',
  });
  await call('PutContactGroup', { ContactGroupName: 'secops', 'ContactNames.1': 'alice', Describe: 'security ops' });
  await call('PutCustomEventRule', {
    RuleId: 'kro-rotation-failed',
    RuleName: 'kro rotation failed',
    EventName: 'SecretRotationFailed',
    GroupId: '0',
    ContactGroups: 'secops',
    Level: 'CRITICAL',
    Threshold: '1',
    Period: '60',
    ...rule,
  });
}

describe('CloudMonitor custom events', () => {
  it('stores every EventInfo entry and answers Code 200', async () => {
    const { call, cms } = setup();
    const reply = await call('PutCustomEvent', {
      ...event(1, 'SecretRotationFailed', '{"secret":"a"}'),
      ...event(2, 'SecretRotationResolved', '{"secret":"b"}', { GroupId: '7', Time: '20260101T080000.000+0800' }),
    });
    expect(reply).toMatchObject({ Code: '200', RequestId: 'r1' });
    expect(cms.customEvents()).toEqual([
      { id: '1', name: 'SecretRotationFailed', groupId: '0', time: T0, content: '{"secret":"a"}' },
      { id: '2', name: 'SecretRotationResolved', groupId: '7', time: T0, content: '{"secret":"b"}' },
    ]);
  });

  it('rejects a call with a bad entry as a whole, 400 InvalidParameter', async () => {
    const { fail, cms } = setup();
    const error = await fail('PutCustomEvent', { ...event(1, 'A', 'x'), 'EventInfo.2.EventName': 'B' });
    expect(error).toMatchObject({ httpStatus: 400, code: 'InvalidParameter' });
    expect(error.message).toContain('EventInfo.2.Content');
    expect(cms.customEvents()).toEqual([]);
  });

  it('refuses more than 50 entries and none at all', async () => {
    const { fail } = setup();
    const many = Object.assign({}, ...Array.from({ length: 51 }, (_, i) => event(i + 1, 'A', 'x')));
    expect(await fail('PutCustomEvent', many)).toMatchObject({ httpStatus: 400, code: 'InvalidParameter' });
    expect(await fail('PutCustomEvent', {})).toMatchObject({ httpStatus: 400 });
    expect(await fail('PutCustomEvent', event(1, 'A', 'x', { Time: 'yesterday' }))).toMatchObject({
      code: 'InvalidParameter',
    });
  });

  it('refuses a call whose contents together pass 500 KB, and stores none of it', async () => {
    const { call, fail, cms } = setup();
    const big = 'x'.repeat(120 * 1024);
    const five = Object.assign({}, ...Array.from({ length: 5 }, (_, i) => event(i + 1, 'A', big)));
    expect(await fail('PutCustomEvent', five)).toMatchObject({ httpStatus: 400, code: 'InvalidParameter' });
    expect(cms.customEvents()).toEqual([]);
    const four = Object.assign({}, ...Array.from({ length: 4 }, (_, i) => event(i + 1, 'A', big)));
    expect(await call('PutCustomEvent', four)).toMatchObject({ Code: '200' });
    expect(cms.customEvents()).toHaveLength(4);
  });

  it('searches events by name, keywords and time range, newest first', async () => {
    const { call, clock } = setup();
    await call('PutCustomEvent', event(1, 'SecretRotationFailed', '{"secret":"orders","code":"InternalFailure"}'));
    await clock.advance(60_000);
    await call('PutCustomEvent', event(1, 'SecretRotationFailed', '{"secret":"billing","code":"Throttling"}'));
    await call('PutCustomEvent', event(1, 'SecretRotationResolved', '{"secret":"orders"}'));
    const byName = await call('DescribeCustomEventAttribute', { Name: 'SecretRotationFailed' });
    expect(byName).toMatchObject({ Code: '200', Success: 'true' });
    expect(byName.CustomEvents.CustomEvent.map((e: any) => e.Id)).toEqual(['2', '1']);
    expect(byName.CustomEvents.CustomEvent[0]).toEqual({
      Id: '2',
      Name: 'SecretRotationFailed',
      GroupId: '0',
      Time: '20260101T080100.000+0800',
      Content: '{"secret":"billing","code":"Throttling"}',
    });
    const and = await call('DescribeCustomEventAttribute', { SearchKeywords: 'orders and InternalFailure' });
    expect(and.CustomEvents.CustomEvent.map((e: any) => e.Id)).toEqual(['1']);
    const or = await call('DescribeCustomEventAttribute', { SearchKeywords: 'billing or Resolved' });
    expect(or.CustomEvents.CustomEvent.map((e: any) => e.Id)).toEqual(['2']);
    const range = await call('DescribeCustomEventAttribute', {
      StartTime: String(T0 + 1),
      EndTime: String(T0 + 120_000),
    });
    expect(range.CustomEvents.CustomEvent).toHaveLength(2);
    const paged = await call('DescribeCustomEventAttribute', { PageSize: '1', PageNumber: '3' });
    expect(paged.CustomEvents.CustomEvent.map((e: any) => e.Id)).toEqual(['1']);
  });

  it('reads both CloudMonitor time formats', () => {
    expect(parseCmsTime('1552199984000', 'Time')).toBe(1552199984000);
    expect(parseCmsTime('20171013T170923.456+0800', 'Time')).toBe(Date.parse('2017-10-13T09:09:23.456Z'));
    expect(formatCmsTime(Date.parse('2017-10-13T09:09:23.456Z'))).toBe('20171013T170923.456+0800');
    expect(matchesKeywords('a b c', 'a and c')).toBe(true);
    expect(matchesKeywords('a b c', 'a and d')).toBe(false);
  });
});

describe('CloudMonitor custom metrics', () => {
  it('stores MetricList entries and lists series by name and dimension', async () => {
    const { call, cms } = setup();
    const reply = await call('PutCustomMetric', {
      'MetricList.1.MetricName': 'rotations_failed',
      'MetricList.1.GroupId': '0',
      'MetricList.1.Dimensions': '{"secretType":"Rds","region":"cn-hangzhou"}',
      'MetricList.1.Type': '0',
      'MetricList.1.Values': '{"value":2}',
      'MetricList.2.MetricName': 'sweep-duration',
      'MetricList.2.GroupId': '0',
      'MetricList.2.Values': '{"value":1.5}',
    });
    expect(reply).toMatchObject({ Code: '200' });
    expect(cms.metrics()).toEqual([
      {
        metricName: 'rotations_failed',
        dimensions: { secretType: 'Rds', region: 'cn-hangzhou' },
        value: 2,
        time: T0,
        groupId: '0',
      },
      { metricName: 'sweep_duration', dimensions: {}, value: 1.5, time: T0, groupId: '0' },
    ]);
    const list = await call('DescribeCustomMetricList', {
      MetricName: 'rotations_failed',
      Dimension: 'secretType=Rds&region=cn-hangzhou',
    });
    const result = JSON.parse(list.Result);
    expect(result.all).toBe(1);
    expect(result.list[0]).toMatchObject({
      metricName: 'rotations_failed',
      dimension: 'region=cn-hangzhou&secretType=Rds',
    });
  });

  const bad: Array<[string, Record<string, string>]> = [
    ['no GroupId', { 'MetricList.1.MetricName': 'm', 'MetricList.1.Values': '{"value":1}' }],
    ['no Values', { 'MetricList.1.MetricName': 'm', 'MetricList.1.GroupId': '0' }],
    ['Values not JSON', { 'MetricList.1.MetricName': 'm', 'MetricList.1.GroupId': '0', 'MetricList.1.Values': 'ten' }],
    [
      'a name starting with a digit',
      { 'MetricList.1.MetricName': '1m', 'MetricList.1.GroupId': '0', 'MetricList.1.Values': '{"value":1}' },
    ],
    [
      'a dimension holding "="',
      {
        'MetricList.1.MetricName': 'm',
        'MetricList.1.GroupId': '0',
        'MetricList.1.Values': '{"value":1}',
        'MetricList.1.Dimensions': '{"a":"b=c"}',
      },
    ],
    [
      'Type 1 without a Period',
      {
        'MetricList.1.MetricName': 'm',
        'MetricList.1.GroupId': '0',
        'MetricList.1.Values': '{"value":1}',
        'MetricList.1.Type': '1',
      },
    ],
    [
      'a Period of 120',
      {
        'MetricList.1.MetricName': 'm',
        'MetricList.1.GroupId': '0',
        'MetricList.1.Values': '{"value":1}',
        'MetricList.1.Period': '120',
      },
    ],
  ];
  it.each(bad)('answers 400 InvalidParameter for %s', async (_name, params) => {
    const { fail } = setup();
    expect(await fail('PutCustomMetric', params)).toMatchObject({ httpStatus: 400, code: 'InvalidParameter' });
  });
});

describe('CloudMonitor contacts', () => {
  it('upserts contacts and groups and reads them back', async () => {
    const { call } = setup();
    await withOpsRouting(call);
    await call('PutContact', { ContactName: 'alice', Describe: 'on call, v2', 'Channels.Mail': 'alice@example.com' });
    const contacts = await call('DescribeContactList', { ContactName: 'alice' });
    expect(contacts).toMatchObject({ Code: '200', Success: true, Total: 1 });
    expect(contacts.Contacts.Contact[0]).toMatchObject({
      Name: 'alice',
      Desc: 'on call, v2',
      Channels: { Mail: 'alice@example.com' },
      ContactGroups: { ContactGroup: ['secops'] },
    });
    const groups = await call('DescribeContactGroupList', {});
    expect(groups.ContactGroups.ContactGroup).toEqual(['secops']);
    expect(groups.ContactGroupList.ContactGroup[0]).toMatchObject({
      Name: 'secops',
      Describe: 'security ops',
      Contacts: { Contact: ['alice'] },
    });
  });

  it('answers 200 with Success false for a group naming an unknown contact', async () => {
    const { call, cms } = setup();
    const reply = await call('PutContactGroup', { ContactGroupName: 'g', 'ContactNames.1': 'nobody' });
    expect(reply).toMatchObject({ Success: false });
    expect(reply.Code).not.toBe('200');
    expect(cms.contactGroups()).toEqual([]);
  });

  it('answers 400 for a contact without a channel and 400 MissingParameter without a name', async () => {
    const { fail } = setup();
    expect(await fail('PutContact', { ContactName: 'bob', Describe: 'x' })).toMatchObject({
      httpStatus: 400,
      code: 'InvalidParameter',
    });
    expect(await fail('PutContact', { Describe: 'x', 'Channels.Mail': 'b@example.com' })).toMatchObject({
      httpStatus: 400,
      code: 'MissingParameter',
    });
  });
});

describe('CloudMonitor alarm rules', () => {
  it('notifies the contact group once when the threshold is reached in a period', async () => {
    const { call, clock, cms } = setup();
    await withOpsRouting(call, { Threshold: '2', Period: '300' });
    await clock.advance(10_000);
    await call('PutCustomEvent', event(1, 'SecretRotationFailed', 'first'));
    await clock.advance(10_000);
    await call('PutCustomEvent', {
      ...event(1, 'SecretRotationFailed', 'second'),
      ...event(2, 'SecretRotationFailed', 'third'),
    });
    expect(cms.notifications()).toEqual([]); // evaluated at the end of the window
    await clock.advance(300_000);
    expect(cms.notifications()).toEqual([
      {
        at: T0 + 300_000,
        ruleName: 'kro rotation failed',
        eventName: 'SecretRotationFailed',
        level: 'CRITICAL',
        contactGroup: 'secops',
        channels: [
          'mail:alice@example.com',
          'dingtalk:https://oapi.dingtalk.com/robot/send?access_token=x',
          'sms:13800000000',
        ],
        contents: ['first', 'second', 'third'],
      },
    ]);
  });

  it('stays silent below the threshold, and counts each aligned window on its own', async () => {
    const { call, clock, cms } = setup();
    await withOpsRouting(call, { Threshold: '2', Period: '60' });
    await clock.advance(50_000);
    await call('PutCustomEvent', event(1, 'SecretRotationFailed', 'late in window 1'));
    await clock.advance(20_000); // now in the second window
    await call('PutCustomEvent', event(1, 'SecretRotationFailed', 'early in window 2'));
    await clock.advance(120_000);
    expect(cms.notifications()).toEqual([]);
  });

  it('ignores other event names and sends INFO without SMS', async () => {
    const { call, clock, cms } = setup();
    await withOpsRouting(call, { Level: 'INFO', EventName: 'SecretRotationResolved' });
    await call('PutCustomEvent', {
      ...event(1, 'SecretRotationFailed', 'x'),
      ...event(2, 'SecretRotationResolved', 'ok'),
    });
    await clock.advance(60_000);
    expect(cms.notifications()).toHaveLength(1);
    expect(cms.notifications()[0]).toMatchObject({
      level: 'INFO',
      contents: ['ok'],
      channels: ['mail:alice@example.com', 'dingtalk:https://oapi.dingtalk.com/robot/send?access_token=x'],
    });
  });

  it('fires again in a later period, and a rule upsert by RuleId keeps one rule', async () => {
    const { call, clock, cms } = setup();
    await withOpsRouting(call);
    await withOpsRouting(call);
    expect(cms.rules()).toHaveLength(1);
    await call('PutCustomEvent', event(1, 'SecretRotationFailed', 'a'));
    await clock.advance(60_000);
    await call('PutCustomEvent', event(1, 'SecretRotationFailed', 'b'));
    await clock.advance(60_000);
    expect(cms.notifications().map((n) => n.contents)).toEqual([['a'], ['b']]);
  });

  it('sends nothing outside the effective interval (China time)', async () => {
    const { call, clock, cms } = setup(); // T0 is 08:00 in China
    await withOpsRouting(call, { EffectiveInterval: '09:00-18:00' });
    await call('PutCustomEvent', event(1, 'SecretRotationFailed', 'night'));
    await clock.advance(60_000);
    expect(cms.notifications()).toEqual([]);
  });

  it('validates rules: level, period and threshold', async () => {
    const { call, fail } = setup();
    await withOpsRouting(call);
    expect(
      await fail('PutCustomEventRule', {
        RuleId: 'x',
        RuleName: 'x',
        EventName: 'E',
        ContactGroups: 'secops',
        Level: 'LOUD',
      }),
    ).toMatchObject({ code: 'InvalidParameter' });
    expect(
      await fail('PutCustomEventRule', {
        RuleId: 'x',
        RuleName: 'x',
        EventName: 'E',
        ContactGroups: 'secops',
        Period: '90',
      }),
    ).toMatchObject({ code: 'InvalidParameter' });
    expect(
      await fail('PutCustomEventRule', {
        RuleId: 'x',
        RuleName: 'x',
        EventName: 'E',
        ContactGroups: 'secops',
        Threshold: '0',
      }),
    ).toMatchObject({ code: 'InvalidParameter' });
    expect(await fail('PutCustomEventRule', { RuleName: 'x', EventName: 'E', ContactGroups: 'secops' })).toMatchObject({
      code: 'MissingParameter',
    });
  });

  it('answers 404 for an action it does not emulate', async () => {
    const { fail } = setup();
    expect(await fail('PutEventRule', {})).toMatchObject({ httpStatus: 404, code: 'InvalidAction.NotFound' });
  });
});
