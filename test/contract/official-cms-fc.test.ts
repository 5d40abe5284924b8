/**
 * The official CloudMonitor (@alicloud/cms20190101, ACS3, parameters flattened into the query) and
 * Function Compute 3.0 (@alicloud/fc20230330) clients against the emulator over HTTP, unchanged:
 * the SDK is the oracle of the wire format.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/emulator';

const T0 = Date.parse('2026-01-01T00:00:00Z');

let emulator: Emulator;
let server: { port: number; close(): Promise<void> };
let cmsMod: any;
let fcMod: any;
let cms: any;
let fc: any;

function unwrap(mod: any): any {
  return mod.default?.default ?? mod.default ?? mod;
}

beforeAll(async () => {
  emulator = createEmulator({ now: T0, quotas: false });
  server = await emulator.listen({ port: 0 });
  const core: any = await import('@alicloud/openapi-core');
  const $OpenApiUtil = core.$OpenApiUtil ?? core.default?.$OpenApiUtil;
  const config = () =>
    new $OpenApiUtil.Config({
      ...emulator.defaultAccessKey,
      regionId: emulator.regionId,
      endpoint: `127.0.0.1:${server.port}`,
      protocol: 'http',
    });
  cmsMod = await import('@alicloud/cms20190101');
  fcMod = await import('@alicloud/fc20230330');
  cms = new (unwrap(cmsMod))(config());
  fc = new (unwrap(fcMod))(config());
});

afterAll(async () => {
  await server?.close();
});

const model = (mod: any, name: string) => mod[name] ?? mod.default?.[name];

describe('the official CloudMonitor client against the emulator', () => {
  it('sets up routing idempotently and reads it back', async () => {
    const PutContactRequest = model(cmsMod, 'PutContactRequest');
    const PutContactRequestChannels = model(cmsMod, 'PutContactRequestChannels');
    const PutContactGroupRequest = model(cmsMod, 'PutContactGroupRequest');
    const PutCustomEventRuleRequest = model(cmsMod, 'PutCustomEventRuleRequest');
    for (let i = 0; i < 2; i++) {
      const contact = await cms.putContact(
        new PutContactRequest({
          contactName: 'alice',
          describe: 'on call',
          lang: 'en',
          channels: new PutContactRequestChannels({
            mail: 'alice@example.com',
            dingWebHook: 'https://oapi.dingtalk.com/robot/send?access_token=t',
          }),
        }),
      );
      expect(contact.body).toMatchObject({ code: '200', success: true });
      const group = await cms.putContactGroup(
        new PutContactGroupRequest({ contactGroupName: 'secops', contactNames: ['alice'], describe: 'security ops' }),
      );
      expect(group.body).toMatchObject({ code: '200', success: true });
      const rule = await cms.putCustomEventRule(
        new PutCustomEventRuleRequest({
          ruleId: 'kro-failed',
          ruleName: 'kro rotation failed',
          eventName: 'SecretRotationFailed',
          groupId: '0',
          contactGroups: 'secops',
          level: 'CRITICAL',
          threshold: '1',
          period: '60',
          effectiveInterval: '00:00-23:59',
        }),
      );
      expect(rule.body).toMatchObject({ code: '200', success: true });
    }
    expect(emulator.cms.rules()).toHaveLength(1);
    const contacts = await cms.describeContactList(
      new (model(cmsMod, 'DescribeContactListRequest'))({ contactName: 'alice' }),
    );
    expect(contacts.body.contacts.contact[0]).toMatchObject({
      name: 'alice',
      channels: { mail: 'alice@example.com' },
      contactGroups: { contactGroup: ['secops'] },
    });
    const groups = await cms.describeContactGroupList(
      new (model(cmsMod, 'DescribeContactGroupListRequest'))({ pageNumber: 1, pageSize: 100 }),
    );
    expect(groups.body.contactGroupList.contactGroup[0]).toMatchObject({
      name: 'secops',
      contacts: { contact: ['alice'] },
    });
  });

  it('puts custom events that a rule turns into a notification, and finds them again', async () => {
    const PutCustomEventRequest = model(cmsMod, 'PutCustomEventRequest');
    const EventInfo = model(cmsMod, 'PutCustomEventRequestEventInfo');
    const reply = await cms.putCustomEvent(
      new PutCustomEventRequest({
        eventInfo: [
          new EventInfo({
            eventName: 'SecretRotationFailed',
            content: '{"secret":"prod/orders-db","code":"InternalFailure"}',
            groupId: '0',
            time: String(emulator.clock.now()),
          }),
          new EventInfo({
            eventName: 'SecretRotationFailed',
            content: '{"secret":"prod/billing","code":"Throttling"}',
          }),
        ],
      }),
    );
    expect(reply.statusCode).toBe(200);
    expect(reply.body.code).toBe('200');
    await emulator.clock.advance(60_000);
    expect(emulator.cms.notifications()).toHaveLength(1);
    expect(emulator.cms.notifications()[0]).toMatchObject({
      contactGroup: 'secops',
      channels: ['mail:alice@example.com', 'dingtalk:https://oapi.dingtalk.com/robot/send?access_token=t'],
    });
    const found = await cms.describeCustomEventAttribute(
      new (model(cmsMod, 'DescribeCustomEventAttributeRequest'))({
        name: 'SecretRotationFailed',
        searchKeywords: 'orders and InternalFailure',
      }),
    );
    expect(found.body.customEvents.customEvent).toHaveLength(1);
    expect(found.body.customEvents.customEvent[0].content).toContain('prod/orders-db');
  });

  it('puts custom metrics and lists them', async () => {
    const Metric = model(cmsMod, 'PutCustomMetricRequestMetricList');
    const reply = await cms.putCustomMetric(
      new (model(cmsMod, 'PutCustomMetricRequest'))({
        metricList: [
          new Metric({
            metricName: 'rotations_failed',
            groupId: '0',
            dimensions: '{"secretType":"Rds"}',
            type: '0',
            values: '{"value":1}',
            time: String(emulator.clock.now()),
          }),
        ],
      }),
    );
    expect(reply.body.code).toBe('200');
    const list = await cms.describeCustomMetricList(
      new (model(cmsMod, 'DescribeCustomMetricListRequest'))({ metricName: 'rotations_failed' }),
    );
    expect(JSON.parse(list.body.result).list[0]).toMatchObject({
      metricName: 'rotations_failed',
      dimension: 'secretType=Rds',
    });
  });

  it('takes a threshold rule on a custom metric that alarms on missing data (PutResourceMetricRule)', async () => {
    const Escalations = model(cmsMod, 'PutResourceMetricRuleRequestEscalations');
    const Critical = model(cmsMod, 'PutResourceMetricRuleRequestEscalationsCritical');
    const rule = (fields: Record<string, unknown>) =>
      new (model(cmsMod, 'PutResourceMetricRuleRequest'))({
        ruleId: 'heartbeat-contract',
        ruleName: 'heartbeat-contract',
        namespace: `acs_customMetric_${emulator.accountId}`,
        metricName: 'beat',
        resources: '[{"groupId":"0","dimension":"mode=full"}]',
        contactGroups: 'ops',
        period: '300',
        noDataPolicy: 'INSUFFICIENT_DATA',
        escalations: new Escalations({
          critical: new Critical({
            statistics: 'SampleCount',
            comparisonOperator: 'LessThanThreshold',
            threshold: '1',
            times: 2,
          }),
        }),
        ...fields,
      });
    const reply = await cms.putResourceMetricRule(rule({}));
    expect(reply.body.code).toBe('200');
    expect(emulator.cms.metricRules().find((r) => r.RuleId === 'heartbeat-contract')).toMatchObject({
      Statistics: 'SampleCount',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      Times: 2,
      Level: 'CRITICAL',
      NoDataPolicy: 'INSUFFICIENT_DATA',
      Resources: [{ groupId: '0', dimension: 'mode=full' }],
    });
    const bad = (fields: Record<string, unknown>) => cms.putResourceMetricRule(rule(fields)).catch((e: any) => e);
    expect(await bad({ noDataPolicy: 'ALARM' })).toMatchObject({ statusCode: 400, code: 'InvalidParameter' });
    expect(await bad({ escalations: new Escalations({}) })).toMatchObject({ statusCode: 400 });
    expect(
      await bad({ escalations: new Escalations({ critical: new Critical({ statistics: 'SampleCount' }) }) }),
    ).toMatchObject({ statusCode: 400, message: expect.stringMatching(/ComparisonOperator/) });
    expect(await bad({ resources: 'i-123' })).toMatchObject({ statusCode: 400 });
    expect(await bad({ period: '90' })).toMatchObject({ statusCode: 400 });
  });

  it('surfaces a validation error as the SDK error with status 400 and the code', async () => {
    const error = await cms
      .putCustomEvent(
        new (model(cmsMod, 'PutCustomEventRequest'))({
          eventInfo: [new (model(cmsMod, 'PutCustomEventRequestEventInfo'))({ eventName: 'X' })],
        }),
      )
      .catch((e: any) => e);
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidParameter' });
  });
});

describe('the official FC 3.0 client against the emulator', () => {
  const Headers = () => model(fcMod, 'InvokeFunctionHeaders');
  const Request = () => model(fcMod, 'InvokeFunctionRequest');

  beforeAll(() => {
    emulator.fc.register({
      name: 'echo',
      timeoutSeconds: 5,
      handler: async (event, ctx) => ({ got: JSON.parse(event.toString()), fn: ctx.function.name }),
    });
    emulator.fc.register({
      name: 'fails',
      timeoutSeconds: 5,
      handler: async () => {
        throw new Error('no rotation today');
      },
    });
    emulator.fc.register({
      name: 'later',
      timeoutSeconds: 5,
      asyncConfig: { asyncTask: true },
      handler: async () => 'done',
    });
  });

  it('invokes synchronously and returns the handler result', async () => {
    const res = await fc.invokeFunctionWithOptions(
      'echo',
      new (Request())({ qualifier: 'LATEST', body: Readable.from(Buffer.from('{"a":1}')) }),
      new (Headers())({}),
      {},
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-fc-request-id']).toBeTruthy();
    const text = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      res.body.on('data', (c: Buffer) => chunks.push(c));
      res.body.on('end', () => resolve(Buffer.concat(chunks).toString()));
      res.body.on('error', reject);
    });
    expect(JSON.parse(text)).toEqual({ got: { a: 1 }, fn: 'echo' });
  });

  it('reports a handler error through x-fc-error-type on HTTP 200', async () => {
    const res = await fc.invokeFunctionWithOptions(
      'fails',
      new (Request())({ body: Readable.from(Buffer.from('{}')) }),
      new (Headers())({}),
      {},
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-fc-error-type']).toBe('UnhandledInvocationError');
  });

  it('queues an async invocation with delay and task id, and refuses the same task id again', async () => {
    const headers = () =>
      new (Headers())({
        xFcInvocationType: 'Async',
        xFcAsyncTaskId: 'episode_42-attempt-1',
        commonHeaders: { 'x-fc-async-delay': '30' },
      });
    const first = await fc.invokeFunctionWithOptions(
      'later',
      new (Request())({ body: Readable.from(Buffer.from('{}')) }),
      headers(),
      {},
    );
    expect(first.statusCode).toBe(202);
    const again = await fc
      .invokeFunctionWithOptions('later', new (Request())({ body: Readable.from(Buffer.from('{}')) }), headers(), {})
      .catch((e: any) => e);
    expect(again).toMatchObject({ statusCode: 409, code: 'AsyncTaskAlreadyExists' });
    const before = emulator.fc.invocations().filter((r) => r.functionName === 'later');
    expect(before.map((r) => r.outcome)).toEqual(['deduplicated']);
    const ran = () => emulator.fc.invocations().filter((r) => r.functionName === 'later' && r.outcome === 'ok');
    await emulator.clock.advance(29_999);
    expect(ran()).toHaveLength(0); // x-fc-async-delay reached the emulator through commonHeaders
    await emulator.clock.advance(1);
    expect(ran()).toHaveLength(1);
  });

  it('answers 404 FunctionNotFound for an unknown function', async () => {
    const error = await fc
      .invokeFunctionWithOptions(
        'ghost',
        new (Request())({ body: Readable.from(Buffer.from('{}')) }),
        new (Headers())({}),
        {},
      )
      .catch((e: any) => e);
    expect(error).toMatchObject({ statusCode: 404, code: 'FunctionNotFound' });
  });
});
