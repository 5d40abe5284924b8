import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/emulator';
import { deployLocal, readPolicy, type LocalDeployment } from '../../emulator/runtime';
import type { CloudEvent } from '../../emulator/types';
import { createAlibabaClients } from '../../shared/adapters/alibaba';
import { loadConfig } from '../../shared/config';
import type { FcContext, HandlerFactory, HandlerRuntime } from '../../shared/ports/runtime';

const NOW = '2026-11-22T00:00:00Z';
let emulator: Emulator;
let deployment: LocalDeployment | undefined;

afterEach(async () => {
  await deployment?.close();
  deployment = undefined;
  await emulator?.close();
});

interface Call {
  functionName: string;
  event: string;
  context: FcContext;
  runtime: HandlerRuntime;
}

/** Stand-in handlers that record each invocation; `act` runs inside the invocation when given. */
function recordingHandlers(act?: (call: Call) => Promise<unknown>) {
  const calls: Call[] = [];
  const loadFactory = (spec: { functionName: string }) =>
    Promise.resolve<HandlerFactory>((runtime) => async (event, context) => {
      const call = { functionName: spec.functionName, event: event.toString('utf8'), context, runtime };
      calls.push(call);
      return act ? act(call) : { ok: true };
    });
  return { calls, loadFactory };
}

function rotationFailure(id: string): CloudEvent {
  return {
    id,
    source: 'acs.kms',
    specversion: '1.0',
    type: 'kms:CloudMonitor:Secret[RotateSecret:Failure]',
    datacontenttype: 'application/json;charset=utf-8',
    subject: 'acs.kms:cn-hangzhou:1234567890123456:secret/db',
    time: '2026-11-22T08:00:00+08:00',
    aliyunaccountid: '1234567890123456',
    aliyunpublishtime: '2026-11-22T08:00:00.123PRC',
    aliyuneventbusname: 'default',
    aliyunregionid: 'cn-hangzhou',
    data: { name: 'Secret:RotateSecret:Failure', content: { secretName: 'db' } },
  };
}

describe('deployLocal into the emulator', () => {
  it('registers the functions of s.yaml with the emulated Function Compute', async () => {
    emulator = createEmulator({ now: NOW, quotas: false });
    deployment = await deployLocal(emulator, recordingHandlers());
    expect(emulator.fc.functions().sort()).toEqual(['kro-on-event', 'kro-remediate', 'kro-sweep']);
    expect(deployment.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('fires the sweep from the s.yaml timer every ten minutes with the timer event', async () => {
    emulator = createEmulator({ now: NOW, quotas: false });
    const { calls, loadFactory } = recordingHandlers();
    deployment = await deployLocal(emulator, { loadFactory });
    await emulator.clock.advance(30 * 60_000);
    const sweeps = calls.filter((c) => c.functionName === 'kro-sweep');
    expect(sweeps).toHaveLength(3);
    expect(JSON.parse(sweeps[0]?.event ?? '')).toMatchObject({
      triggerName: 'kro-sweep-timer',
      payload: '{"mode":"sweep"}',
      triggerTime: '2026-11-22T00:10:00Z',
    });
  });

  it('delivers a rotation failure from the bus to on-event as the CloudEvent itself', async () => {
    emulator = createEmulator({ now: NOW, quotas: false });
    const { calls, loadFactory } = recordingHandlers();
    deployment = await deployLocal(emulator, { loadFactory });
    emulator.bus.publish(rotationFailure('evt-1'));
    await emulator.clock.advance(1000);
    const onEvent = calls.filter((c) => c.functionName === 'kro-on-event');
    expect(onEvent.map((c) => (JSON.parse(c.event) as CloudEvent).id)).toEqual(['evt-1']);
    expect(onEvent[0]?.context).toMatchObject({
      accountId: emulator.accountId,
      region: 'cn-hangzhou',
      function: { name: 'kro-on-event', timeout: 60 },
    });
  });

  it('runs handlers with STS credentials of the function role, limited to the repository policy', async () => {
    emulator = createEmulator({ now: NOW, quotas: false });
    const outcomes: string[] = [];
    const { loadFactory } = recordingHandlers(async ({ runtime, context }) => {
      const clients = createAlibabaClients({
        config: loadConfig(runtime.env),
        credentials: context.credentials,
        clock: runtime.clock,
      });
      for (const [action, call] of [
        ['ListSecrets', () => clients.kms.listSecretsPage(1)],
        ['DeleteSecret', () => clients.kms.deleteSecret({ secretName: 'db' })],
      ] as const) {
        outcomes.push(
          await call().then(
            () => `${action}: ok`,
            (error: { code?: string }) => `${action}: ${error.code}`,
          ),
        );
      }
      return { ok: true };
    });
    deployment = await deployLocal(emulator, { loadFactory, enforcePolicy: true });
    const reply = await emulator.fc.invoke('kro-remediate', Buffer.from('{}'));
    expect(reply.error).toBeUndefined();
    expect(outcomes).toEqual(['ListSecrets: ok', 'DeleteSecret: Forbidden.NoPermission']);
  });

  it('denies an action once it is removed from the policy', async () => {
    emulator = createEmulator({ now: NOW, quotas: false });
    const policy = readPolicy();
    const narrowed = {
      ...policy,
      Statement: policy.Statement.filter((s) => !String(s.Action).includes('kms:ListSecrets')),
    };
    let outcome = '';
    const { loadFactory } = recordingHandlers(async ({ runtime, context }) => {
      const clients = createAlibabaClients({
        config: loadConfig(runtime.env),
        credentials: context.credentials,
        clock: runtime.clock,
      });
      outcome = await clients.kms.listSecretsPage(1).then(
        () => 'ok',
        (error: { code?: string }) => String(error.code),
      );
      return {};
    });
    deployment = await deployLocal(emulator, { loadFactory, enforcePolicy: true, policy: narrowed });
    await emulator.fc.invoke('kro-sweep', Buffer.from('{}'));
    expect(outcome).toBe('Forbidden.NoPermission');
  });
});
