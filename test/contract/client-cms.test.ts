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
  server.setFallback(() => ({ body: { Code: '200', Message: '', RequestId: 'cms-ok', Success: true } }));
});

const event = (n: number) => ({
  eventName: 'KroRotationFailed',
  content: JSON.stringify({ secretName: `s${n}` }),
  time: 1_700_000_000_000 + n,
});

describe('CmsMonitor', () => {
  it('sends custom events in batches of at most 50 with the 2019-01-01 action headers', async () => {
    const { clients } = clientsFor(server, { KRO_CMS_GROUP_ID: '42' });
    await clients.monitor.putCustomEvents(Array.from({ length: 120 }, (_, i) => event(i)));
    expect(server.requests.map((r) => r.action)).toEqual(['PutCustomEvent', 'PutCustomEvent', 'PutCustomEvent']);
    expect(server.requests.every((r) => r.headers['x-acs-version'] === '2019-01-01')).toBe(true);
    const sizes = server.requests.map((r) => Object.keys(r.query).filter((k) => k.endsWith('.EventName')).length);
    expect(sizes).toEqual([50, 50, 20]);
    expect(server.requests[0]!.query).toMatchObject({
      'EventInfo.1.EventName': 'KroRotationFailed',
      'EventInfo.1.Content': '{"secretName":"s0"}',
      'EventInfo.1.GroupId': '42',
      'EventInfo.1.Time': '1700000000000',
    });
    expect(server.requests[2]!.query['EventInfo.20.Content']).toBe('{"secretName":"s119"}');
  });

  it('treats HTTP 200 with Success:false as an error', async () => {
    server.enqueue({ body: { Code: '200', Success: false, Message: 'event name is invalid', RequestId: 'cms-bad' } });
    const { clients } = clientsFor(server);
    const error = await clients.monitor.putCustomEvents([event(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect(error).toMatchObject({
      product: 'cms',
      action: 'PutCustomEvent',
      httpStatus: 200,
      requestId: 'cms-bad',
      retryable: false,
    });
  });

  it('treats HTTP 200 with a Code other than 200 as an error, retrying an internal one', async () => {
    server.enqueue(
      { body: { Code: '500', Message: 'internal error', RequestId: 'r1' } },
      { body: { Code: '500', Message: 'internal error', RequestId: 'r2' } },
    );
    const { clients } = clientsFor(server);
    await clients.monitor.putCustomMetrics([
      { metricName: 'rotations_failed', dimensions: { region: 'cn-hangzhou' }, value: 1, time: 1_700_000_000_000 },
    ]);
    expect(server.requests).toHaveLength(3);
    server.enqueue({ body: { Code: '400', Message: 'bad metric', RequestId: 'r3' } });
    await expect(
      clients.monitor.putCustomMetrics([{ metricName: 'x', dimensions: {}, value: 1, time: 1 }]),
    ).rejects.toMatchObject({ code: '400', retryable: false });
  });

  it('sends custom metrics in batches of at most 20, dimensions and values as JSON', async () => {
    const { clients } = clientsFor(server);
    const metrics = Array.from({ length: 25 }, (_, i) => ({
      metricName: 'secrets_by_health',
      dimensions: { state: `s${i}` },
      value: i,
      time: 1_700_000_000_000,
    }));
    await clients.monitor.putCustomMetrics(metrics);
    expect(server.requests.map((r) => r.action)).toEqual(['PutCustomMetric', 'PutCustomMetric']);
    expect(server.requests[0]!.query).toMatchObject({
      'MetricList.1.MetricName': 'secrets_by_health',
      'MetricList.1.Dimensions': '{"state":"s0"}',
      'MetricList.1.Values': '{"value":0}',
      'MetricList.1.GroupId': '0',
      'MetricList.1.Type': '1',
      'MetricList.1.Period': '60',
      'MetricList.1.Time': '1700000000000',
    });
    expect(server.requests[0]!.query['MetricList.21.MetricName']).toBeUndefined();
    expect(server.requests[1]!.query['MetricList.5.Dimensions']).toBe('{"state":"s24"}');
  });

  it('finds custom events by keyword and parses their times', async () => {
    server.enqueue({
      body: {
        Code: '200',
        Success: 'true',
        RequestId: 'r',
        CustomEvents: {
          CustomEvent: [
            {
              Id: 'e1',
              Name: 'KroRotationFailed',
              GroupId: '0',
              Time: '20231114T221320.000+0800',
              Content: '{"episodeId":"ep1"}',
            },
            {
              Id: 'e2',
              Name: 'KroRotationFailed',
              GroupId: '0',
              Time: '1700000000000',
              Content: '{"episodeId":"ep1"}',
            },
          ],
        },
      },
    });
    const { clients } = clientsFor(server);
    const found = await clients.monitor.findCustomEvents({
      name: 'KroRotationFailed',
      keyword: 'ep1',
      startTime: 1,
      endTime: 2,
    });
    expect(server.requests[0]).toMatchObject({
      action: 'DescribeCustomEventAttribute',
      query: {
        Name: 'KroRotationFailed',
        SearchKeywords: 'ep1',
        StartTime: '1',
        EndTime: '2',
        PageNumber: '1',
        PageSize: '100',
      },
    });
    expect(found).toEqual([
      { id: 'e1', name: 'KroRotationFailed', content: '{"episodeId":"ep1"}', time: Date.UTC(2023, 10, 14, 14, 13, 20) },
      { id: 'e2', name: 'KroRotationFailed', content: '{"episodeId":"ep1"}', time: 1_700_000_000_000 },
    ]);
  });

  it('sends nothing for an empty batch', async () => {
    const { clients } = clientsFor(server);
    await clients.monitor.putCustomEvents([]);
    await clients.monitor.putCustomMetrics([]);
    expect(server.requests).toHaveLength(0);
  });
});

describe('CmsAdmin', () => {
  it('creates a contact, a contact group and an upserted custom-event rule', async () => {
    const { clients } = clientsFor(server);
    await clients.cmsAdmin.putContact({ name: 'kro-oncall', describe: 'on-call', mail: 'ops@example.com' });
    await clients.cmsAdmin.putContactGroup({ name: 'kro-secops', contactNames: ['kro-oncall', 'kro-lead'] });
    await clients.cmsAdmin.putCustomEventRule({
      ruleId: 'kro-rotation-failed',
      ruleName: 'kro-rotation-failed',
      eventName: 'KroRotationFailed',
      groupId: '0',
      contactGroups: 'kro-secops',
      level: 'CRITICAL',
    });
    expect(server.requests.map((r) => r.action)).toEqual(['PutContact', 'PutContactGroup', 'PutCustomEventRule']);
    expect(server.requests[0]!.query).toMatchObject({
      ContactName: 'kro-oncall',
      'Channels.Mail': 'ops@example.com',
      Lang: 'en',
    });
    expect(server.requests[1]!.query).toMatchObject({
      ContactGroupName: 'kro-secops',
      'ContactNames.1': 'kro-oncall',
      'ContactNames.2': 'kro-lead',
    });
    expect(server.requests[2]!.query).toMatchObject({
      RuleId: 'kro-rotation-failed',
      EventName: 'KroRotationFailed',
      ContactGroups: 'kro-secops',
      Level: 'CRITICAL',
      Threshold: '1',
      Period: '60',
      EffectiveInterval: '00:00-23:59',
    });
  });

  it('reads contacts and contact groups back', async () => {
    server.enqueue(
      {
        body: {
          Code: '200',
          Success: true,
          RequestId: 'r',
          Total: 1,
          Contacts: {
            Contact: [
              {
                Name: 'kro-oncall',
                Channels: { Mail: 'ops@example.com' },
                ContactGroups: { ContactGroup: ['kro-secops'] },
              },
            ],
          },
        },
      },
      {
        body: {
          Code: '200',
          Success: true,
          RequestId: 'r',
          Total: 1,
          ContactGroupList: { ContactGroup: [{ Name: 'kro-secops', Contacts: { Contact: ['kro-oncall'] } }] },
        },
      },
    );
    const { clients } = clientsFor(server);
    expect(await clients.cmsAdmin.describeContactList()).toEqual([
      { name: 'kro-oncall', channels: { mail: 'ops@example.com' }, contactGroups: ['kro-secops'] },
    ]);
    expect(await clients.cmsAdmin.describeContactGroupList()).toEqual([
      { name: 'kro-secops', contacts: ['kro-oncall'] },
    ]);
  });
});
