import { describe, expect, it } from 'vitest';
import { createOnEventHandler } from '../../functions/on-event';
import { createRemediateHandler } from '../../functions/remediate';
import { createSweepHandler } from '../../functions/sweep';
import type { Wiring } from '../../shared/fc/handler-kit';
import { parseSweepPayload } from '../../shared/fc/payloads';
import type { FcContext } from '../../shared/ports/runtime';
import { TestClock, aSecret, fakeCloud, T0 } from '../helpers/fakes';

const env = { KRO_ACCOUNT_ID: '1234567890123456', KRO_REGION_ID: 'cn-hangzhou' };
const context = (name: string): FcContext => ({
  requestId: 'req-1',
  credentials: { accessKeyId: 'STS.test', accessKeySecret: 'sk-test-never-logged', securityToken: 'tok' },
  function: { name, timeout: 600 },
  accountId: '1234567890123456',
  region: 'cn-hangzhou',
});

function setup() {
  const clock = new TestClock(T0);
  const cloud = fakeCloud(clock);
  const lines: string[] = [];
  const wiring = async (): Promise<Wiring> => ({ createClients: () => cloud });
  return {
    clock,
    cloud,
    lines,
    wiring,
    runtime: { env, clock, random: () => 0.5, writeLine: (l: string) => void lines.push(l) },
  };
}

describe('handlers', () => {
  it('on-event takes an FC Buffer with a CloudEvent and records the episode', async () => {
    const s = setup();
    s.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    const handler = createOnEventHandler(s.runtime, s.wiring);
    const event = {
      id: 'ev-1',
      source: 'acs.kms',
      specversion: '1.0',
      type: 'kms:CloudMonitor:Secret[RotateSecret:Failure]',
      time: '2026-11-01T00:00:00Z',
      aliyunaccountid: '1234567890123456',
      data: {
        product: 'KMS',
        name: 'Secret:RotateSecret:Failure',
        eventTime: '20261101T080000.000+0800',
        content: {
          eventId: 'x',
          secretName: 'rds/orders',
          secretType: 'Rds',
          rotationStatus: 'Invalid',
          failureInfo: { errorCode: 'InternalFailure', errorMessage: 'x' },
        },
      },
    };
    const result = await handler(Buffer.from(JSON.stringify(event)), context('kro-on-event'));
    expect(result).toMatchObject({ processed: 1, flushRequested: true });
    expect(s.cloud.kms.tagOf('rds/orders')).toMatch(/^3:/);
    expect(s.lines.join('\n')).not.toContain('sk-test-never-logged');
    expect(JSON.parse(s.lines[0]!)).toMatchObject({ requestId: 'req-1', functionName: 'kro-on-event' });
  });

  it("builds each function's clients on its own part of the KMS quota share, named by its code folder", async () => {
    const s = setup();
    const consumers: string[] = [];
    const wiring = async (): Promise<Wiring> => ({
      createClients: (args) => {
        consumers.push(args.quotaConsumer);
        return s.cloud;
      },
    });
    const sweep = Buffer.from('{"mode":"sweep"}');
    await createSweepHandler(s.runtime, wiring)(sweep, context('renamed-sweep'));
    await createRemediateHandler(s.runtime, wiring)(Buffer.from('{}'), context('kro-remediate'));
    await createOnEventHandler(s.runtime, wiring)(Buffer.from('{}'), context('kro-on-event'));
    await createSweepHandler({ ...s.runtime, quotaConsumer: 'cli' }, wiring)(sweep, context('kro-sweep'));
    expect(consumers).toEqual(['sweep', 'remediate', 'on-event', 'cli']);
  });

  it('on-event survives garbage bytes', async () => {
    const s = setup();
    const handler = createOnEventHandler(s.runtime, s.wiring);
    await expect(handler(Buffer.from([0xff, 0x00, 0x7b]), context('kro-on-event'))).resolves.toMatchObject({
      rejected: 1,
    });
  });

  it('fails the invocation with a clear log line when the configuration is invalid', async () => {
    const s = setup();
    const handler = createSweepHandler(
      { ...s.runtime, env: { KRO_STATE_TAG_KEY: 'env', KRO_DRY_RUN: 'maybe' } },
      s.wiring,
    );
    await expect(handler(Buffer.from('{}'), context('kro-sweep'))).rejects.toThrow(/invalid configuration/);
    expect(s.lines.join('\n')).toMatch(/KRO_STATE_TAG_KEY/);
  });

  it('sweep runs from a timer event and returns counts only', async () => {
    const s = setup();
    s.cloud.kms.put(aSecret());
    const handler = createSweepHandler(s.runtime, s.wiring);
    const result = await handler(
      Buffer.from(JSON.stringify({ triggerTime: '2026-11-01T00:00:00Z', triggerName: 'sweep-timer', payload: '' })),
      context('kro-sweep'),
    );
    expect(result).toMatchObject({ mode: 'full', complete: true, secrets: 1 });
  });

  it('remediate refuses a bad payload without throwing (a retry cannot fix it)', async () => {
    const s = setup();
    const handler = createRemediateHandler(s.runtime, s.wiring);
    await expect(handler(Buffer.from('{"secretName":"x"}'), context('kro-remediate'))).resolves.toMatchObject({
      outcome: 'invalid',
    });
  });

  it('reads sweep payloads from async invokes and timers', () => {
    expect(parseSweepPayload(Buffer.from('{"mode":"flush"}'))).toEqual({ mode: 'flush' });
    expect(parseSweepPayload(Buffer.from('{"mode":"full","cursor":{"page":3,"sweepId":"abc"}}'))).toEqual({
      mode: 'full',
      cursor: { page: 3, sweepId: 'abc', retries: 0 },
    });
    expect(
      parseSweepPayload(Buffer.from('{"triggerName":"t","triggerTime":"x","payload":"{\\"mode\\":\\"flush\\"}"}')),
    ).toEqual({ mode: 'flush' });
    expect(parseSweepPayload(Buffer.from('nonsense'))).toEqual({ mode: 'full' });
  });
});
