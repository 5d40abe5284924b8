import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../emulator/clock';
import { FaultRegistry } from '../../emulator/faults';
import { deployLocal, readPolicy, type LocalCloud } from '../../emulator/runtime';
import type { AuthStore, FunctionService, LocalFunction, PolicyDocument } from '../../emulator/services/contracts';
import { createEventBus } from '../../emulator/services/eventbridge';
import type { CloudEvent } from '../../emulator/types';
import type { FcContext, FcHandler, HandlerRuntime } from '../../shared/ports/runtime';

const START = Date.parse('2026-11-22T00:00:00Z');

/** A recording Function Compute and RAM, with the real event bus in front. */
function fakeCloud() {
  const clock = new ManualClock(START);
  const registered: LocalFunction[] = [];
  const timers: Array<Record<string, unknown>> = [];
  const invocations: Array<{ name: string; body: string; async: boolean }> = [];
  const policies = new Map<string, PolicyDocument | undefined>();
  const fc = {
    register: (fn: LocalFunction) => void registered.push(fn),
    addTimer: (timer: Record<string, unknown>) => void timers.push(timer),
    invoke: (name: string, body: Buffer, options?: { async?: boolean }) => {
      invocations.push({ name, body: body.toString('utf8'), async: options?.async ?? false });
      return Promise.resolve({ status: options?.async ? 202 : 200, requestId: `r${invocations.length}` });
    },
  } as unknown as FunctionService;
  const auth = {
    setRolePolicy: (role: string, policy?: PolicyDocument) => void policies.set(role, policy),
    issueStsToken: ({ roleName }: { roleName: string }) => ({
      accessKeyId: `STS.${roleName}`,
      accessKeySecret: 'secret',
      securityToken: 'token',
      expiration: new Date(START + 36 * 3_600_000).toISOString(),
    }),
    lookup: () => undefined,
  } as unknown as AuthStore;
  const bus = createEventBus({ clock, faults: new FaultRegistry(), random: () => 0.5 });
  const cloud: LocalCloud = { accountId: '1234567890123456', regionId: 'cn-hangzhou', clock, fc, bus, auth };
  return { cloud, clock, bus, registered, timers, invocations, policies };
}

function recordingFactory() {
  const runtimes: Record<string, HandlerRuntime> = {};
  const loadFactory = (spec: { functionName: string }) =>
    Promise.resolve((runtime: HandlerRuntime) => {
      runtimes[spec.functionName] = runtime;
      return () => Promise.resolve({ ok: true });
    });
  return { runtimes, loadFactory };
}

/** FC starts an instance on a function's first request: one request each builds every handler. */
async function startInstances(registered: LocalFunction[]): Promise<void> {
  for (const fn of registered) await fn.handler(Buffer.from('{}'), aContext(fn.name));
}

function aContext(name: string): FcContext {
  return { requestId: 'r1', credentials: { accessKeyId: '', accessKeySecret: '' }, function: { name } };
}

function kmsEvent(type: string, data: unknown, id = 'e1'): CloudEvent {
  return {
    id,
    source: 'acs.kms',
    specversion: '1.0',
    type,
    datacontenttype: 'application/json;charset=utf-8',
    subject: 'acs.kms:cn-hangzhou:1234567890123456:secret/db',
    time: '2026-11-22T08:00:00+08:00',
    aliyunaccountid: '1234567890123456',
    aliyunpublishtime: '2026-11-22T08:00:00.123PRC',
    aliyuneventbusname: 'default',
    aliyunregionid: 'cn-hangzhou',
    data,
  };
}

describe('deployLocal', () => {
  it('registers the three functions of s.yaml with their timeouts, memory, role and async config', async () => {
    const { cloud, registered } = fakeCloud();
    const deployment = await deployLocal(cloud, { endpoint: '127.0.0.1:1', ...recordingFactory() });
    expect(registered.map((f) => [f.name, f.timeoutSeconds, f.memoryMb, f.roleName])).toEqual([
      ['kro-sweep', 600, 512, 'kro-orchestrator'],
      ['kro-on-event', 60, 256, 'kro-orchestrator'],
      ['kro-remediate', 120, 256, 'kro-orchestrator'],
    ]);
    expect(registered[2]?.asyncConfig).toEqual({
      maxAsyncRetryAttempts: 2,
      maxAsyncEventAgeInSeconds: 86400,
      asyncTask: true,
      onFailure: 'kro-on-event',
      onSuccess: undefined,
    });
    expect(deployment.endpoint).toBe('127.0.0.1:1');
    await deployment.close();
  });

  it("registers each function's reserved concurrency, so the emulated FC caps it as FC does", async () => {
    const { cloud, registered } = fakeCloud();
    await deployLocal(cloud, { endpoint: '127.0.0.1:1', ...recordingFactory() });
    expect(registered.map((f) => [f.name, f.reservedConcurrency])).toEqual([
      ['kro-sweep', 1],
      ['kro-on-event', 4],
      ['kro-remediate', 2],
    ]);
  });

  it('gives each handler its s.yaml environment plus the emulator endpoint, no pacing, and the FC variables', async () => {
    const { cloud, registered } = fakeCloud();
    const { runtimes, loadFactory } = recordingFactory();
    await deployLocal(cloud, {
      endpoint: '127.0.0.1:9999',
      env: { KRO_DRY_RUN: 'true' },
      functionEnv: { KRO_VERIFY: 'false' },
      loadFactory,
    });
    await startInstances(registered);
    expect(runtimes['kro-on-event']?.env).toMatchObject({
      KRO_DRY_RUN: 'true',
      KRO_VERIFY: 'false',
      KRO_ACCOUNT_ID: '1234567890123456',
      KRO_ENDPOINT: '127.0.0.1:9999',
      KRO_PACING: 'false',
      FC_ACCOUNT_ID: '1234567890123456',
      FC_REGION: 'cn-hangzhou',
      FC_FUNCTION_NAME: 'kro-on-event',
    });
  });

  it('hands the handlers the simulated clock, whose sleep does not wait', async () => {
    const { cloud, clock, registered } = fakeCloud();
    const { runtimes, loadFactory } = recordingFactory();
    await deployLocal(cloud, { endpoint: '127.0.0.1:1', loadFactory });
    await startInstances(registered);
    const handlerClock = runtimes['kro-sweep']?.clock;
    await clock.advance(3_600_000);
    expect(handlerClock?.now()).toBe(START + 3_600_000);
    await expect(handlerClock?.sleep(86_400_000)).resolves.toBeUndefined();
    expect(clock.now()).toBe(START + 3_600_000);
  });

  it('adds the sweep timer with the cron and payload of s.yaml', async () => {
    const { cloud, timers } = fakeCloud();
    await deployLocal(cloud, { endpoint: '127.0.0.1:1', ...recordingFactory() });
    expect(timers).toEqual([
      {
        functionName: 'kro-sweep',
        triggerName: 'kro-sweep-timer',
        cronExpression: '0 */10 * * * *',
        payload: '{"mode":"sweep"}',
        enable: true,
      },
    ]);
  });

  it('delivers matching KMS events to on-event asynchronously, one CloudEvent per invocation', async () => {
    const { cloud, clock, bus, invocations } = fakeCloud();
    await deployLocal(cloud, { endpoint: '127.0.0.1:1', ...recordingFactory() });
    const failure = kmsEvent('kms:CloudMonitor:Secret[RotateSecret:Failure]', { name: 'Secret:RotateSecret:Failure' });
    bus.publish(failure);
    bus.publish(kmsEvent('kms:ActionTrail:ApiCall', { eventName: 'RotateSecret' }, 'e2'));
    await clock.settle();
    expect(invocations.map((i) => [i.name, i.async])).toEqual([
      ['kro-on-event', true],
      ['kro-on-event', true],
    ]);
    expect(JSON.parse(invocations[0]?.body ?? '')).toEqual(failure);
  });

  it('does not deliver the orchestrator’s own tag writes, other products or other API calls', async () => {
    const { cloud, clock, bus, invocations } = fakeCloud();
    await deployLocal(cloud, { endpoint: '127.0.0.1:1', ...recordingFactory() });
    bus.publish(kmsEvent('kms:ActionTrail:ApiCall', { eventName: 'TagResource' }, 'e1'));
    bus.publish(kmsEvent('kms:ActionTrail:ApiCall', { eventName: 'UntagResource' }, 'e2'));
    bus.publish({ ...kmsEvent('kms:CloudMonitor:Secret[RotateSecret:Failure]', {}, 'e3'), source: 'acs.ecs' });
    await clock.settle();
    expect(invocations).toEqual([]);
  });

  it('applies the repository RAM policy to the function role when asked to enforce it', async () => {
    const enforced = fakeCloud();
    await deployLocal(enforced.cloud, { endpoint: '127.0.0.1:1', enforcePolicy: true, ...recordingFactory() });
    expect(enforced.policies.get('kro-orchestrator')).toEqual(readPolicy());
    const relaxed = fakeCloud();
    await deployLocal(relaxed.cloud, { endpoint: '127.0.0.1:1', ...recordingFactory() });
    expect(relaxed.policies.size).toBe(0);
  });

  it('stops delivering events once closed', async () => {
    const { cloud, clock, bus, invocations } = fakeCloud();
    const deployment = await deployLocal(cloud, { endpoint: '127.0.0.1:1', ...recordingFactory() });
    await deployment.close();
    bus.publish(kmsEvent('kms:CloudMonitor:Secret[RotateSecret:Failure]', {}));
    await clock.settle();
    expect(invocations).toEqual([]);
  });
});

describe('deploy/ram-policy.json', () => {
  it('grants exactly the actions the functions call', () => {
    const actions = readPolicy().Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.sort()).toEqual(
      [
        'kms:ListSecrets',
        'kms:DescribeSecret',
        'kms:ListSecretVersionIds',
        'kms:GetSecretValue',
        // Reading a value encrypted with a customer key needs Decrypt on that key (least-privilege.test.ts).
        'kms:Decrypt',
        'kms:RotateSecret',
        'kms:TagResource',
        'kms:UntagResource',
        'actiontrail:LookupEvents',
        'cms:PutCustomEvent',
        'cms:PutCustomMetric',
        'cms:DescribeCustomEventAttribute',
        'fc:InvokeFunction',
        // The readiness forecast's reads (README "Readiness forecast", deploy/README.md).
        'rds:DescribeDBInstanceAttribute',
        'rds:DescribeAccounts',
        'ecs:DescribeInstances',
        'ecs:DescribeCloudAssistantStatus',
        'kvstore:DescribeInstanceAttribute',
        'kvstore:DescribeAccounts',
        'polardb:DescribeDBClusterAttribute',
        'polardb:DescribeAccounts',
        'ram:GetUser',
        'ram:ListAccessKeys',
        'ram:GetAccessKeyLastUsed',
        'ram:GetRole',
        'kms:GetKmsInstance',
        'kms:GetSecretPolicy',
        // Not called by the code: FC ships the functions' log lines to SLS with the role (s.yaml logConfig).
        'log:PostLogStoreLogs',
      ].sort(),
    );
    expect(readPolicy().Statement.every((s) => s.Effect === 'Allow')).toBe(true);
  });
});

/** A factory whose handlers wait for `release()` and count the instances it built (and their PreStops). */
function gatedFactory() {
  const built: Record<string, number> = {};
  const preStops: Array<{ functionName: string; context: FcContext }> = [];
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const loadFactory = (spec: { functionName: string }) =>
    Promise.resolve(() => {
      built[spec.functionName] = (built[spec.functionName] ?? 0) + 1;
      const handler: FcHandler = async () => {
        await gate;
        return { ok: true };
      };
      handler.preStop = async (context) => void preStops.push({ functionName: spec.functionName, context });
      return handler;
    });
  return { built, preStops, loadFactory, release: () => open() };
}

describe('deployLocal, instances', () => {
  it("runs up to on-event's instanceConcurrency requests on one instance and starts another only when it is full", async () => {
    const { cloud, registered } = fakeCloud();
    const { built, loadFactory, release } = gatedFactory();
    const deployment = await deployLocal(cloud, { endpoint: '127.0.0.1:1', loadFactory });
    const onEvent = deployment.functions.find((f) => f.functionName === 'kro-on-event');
    expect(onEvent?.instanceConcurrency).toBe(10);
    const fn = registered.find((f) => f.name === 'kro-on-event')!;
    const running = Array.from({ length: 11 }, () => fn.handler(Buffer.from('{}'), aContext(fn.name)));
    expect(built['kro-on-event']).toBe(2);
    release();
    await Promise.all(running);
    await fn.handler(Buffer.from('{}'), aContext(fn.name));
    expect(onEvent?.instances()).toBe(2);
  });

  it('gives each concurrent request of a function without instanceConcurrency an instance of its own (FC default 1)', async () => {
    const { cloud, registered } = fakeCloud();
    const { built, loadFactory, release } = gatedFactory();
    await deployLocal(cloud, { endpoint: '127.0.0.1:1', loadFactory });
    const sweep = registered.find((f) => f.name === 'kro-sweep')!;
    const running = Array.from({ length: 3 }, () => sweep.handler(Buffer.from('{}'), aContext(sweep.name)));
    expect(built['kro-sweep']).toBe(3);
    release();
    await Promise.all(running);
  });

  it("runs every on-event instance's PreStop when the deployment closes, with the role's credentials", async () => {
    const { cloud, registered } = fakeCloud();
    const { preStops, loadFactory, release } = gatedFactory();
    const deployment = await deployLocal(cloud, { endpoint: '127.0.0.1:1', loadFactory });
    const fn = registered.find((f) => f.name === 'kro-on-event')!;
    const running = Array.from({ length: 12 }, () => fn.handler(Buffer.from('{}'), aContext(fn.name)));
    release();
    await Promise.all(running);
    await startInstances(registered.filter((f) => f.name !== 'kro-on-event'));
    await deployment.close();
    // Only on-event declares a PreStop in s.yaml.
    expect(preStops.map((p) => p.functionName)).toEqual(['kro-on-event', 'kro-on-event']);
    expect(preStops[0]?.context.credentials.accessKeyId).toBe('STS.kro-orchestrator');
  });
});
