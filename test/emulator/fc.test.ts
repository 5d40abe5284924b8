import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../emulator/clock';
import { FaultRegistry } from '../../emulator/faults';
import type { AuthStore, LocalFunction } from '../../emulator/services/contracts';
import { createFunctionCompute, parseTimerExpression } from '../../emulator/services/fc';
import { ApiError, asRawReply, type ApiRequest } from '../../emulator/types';
import type { FcContext } from '../../shared/ports/runtime';

const T0 = Date.parse('2026-01-01T00:00:00Z');

/** Only what FC uses: STS tokens for function roles. */
function fakeAuth(): AuthStore & { issued: string[] } {
  const issued: string[] = [];
  return {
    issued,
    addAccessKey: () => undefined,
    removeAccessKey: () => undefined,
    lookup: () => undefined,
    setRolePolicy: () => undefined,
    issueStsToken: ({ roleName, sessionName }) => {
      issued.push(`${roleName}/${sessionName}`);
      return {
        accessKeyId: `STS.${issued.length}`,
        accessKeySecret: 'sts-secret',
        securityToken: 'token',
        expiration: '2026-01-02T12:00:00Z',
      };
    },
  };
}

function setup(options: { reservedConcurrency?: boolean } = {}) {
  const clock = new ManualClock(T0);
  const faults = new FaultRegistry();
  const auth = fakeAuth();
  const fc = createFunctionCompute({
    clock,
    faults,
    random: () => 0,
    auth,
    accountId: '123',
    regionId: 'cn-hangzhou',
    ...options,
  });
  const calls: Array<{ event: string; context: FcContext; at: number }> = [];
  const fn = (
    name: string,
    behaviour: (event: string) => unknown = () => ({ ok: true }),
    extra: Partial<LocalFunction> = {},
  ): LocalFunction => ({
    name,
    timeoutSeconds: 5,
    roleName: 'kro-role',
    handler: async (event, context) => {
      calls.push({ event: event.toString(), context, at: clock.now() });
      return behaviour(event.toString());
    },
    ...extra,
  });
  return { clock, faults, auth, fc, calls, fn };
}

function httpInvoke(name: string, body: string, headers: Record<string, string> = {}): ApiRequest {
  return {
    product: 'fc',
    action: 'InvokeFunction',
    version: '2023-03-30',
    params: { qualifier: 'LATEST' },
    path: `/2023-03-30/functions/${name}/invocations`,
    method: 'POST',
    headers,
    body: Buffer.from(body),
    requestId: 'wire-1',
    receivedAt: T0,
  };
}

describe('FC sync invocation', () => {
  it('runs the handler now with a Buffer event and an FC context carrying STS credentials', async () => {
    const { fc, calls, fn, auth } = setup();
    fc.register(fn('sweep', () => ({ swept: 3 }), { memoryMb: 256 }));
    const reply = await fc.invoke('sweep', Buffer.from('{"a":1}'));
    expect(reply).toMatchObject({ status: 200, result: { swept: 3 } });
    expect(calls[0]?.event).toBe('{"a":1}');
    expect(calls[0]?.context).toMatchObject({
      requestId: reply.requestId,
      credentials: { accessKeyId: 'STS.1', accessKeySecret: 'sts-secret', securityToken: 'token' },
      function: { name: 'sweep', memory: 256, timeout: 5 },
      region: 'cn-hangzhou',
      accountId: '123',
    });
    expect(auth.issued).toEqual(['kro-role/sweep']);
  });

  it('answers the wire form with the raw result and x-fc-request-id', async () => {
    const { fc, fn } = setup();
    fc.register(fn('json', () => ({ swept: 3 })));
    fc.register(fn('text', () => 'plain'));
    fc.register(fn('bytes', () => Buffer.from([1, 2, 3])));
    const json = asRawReply(await fc.handle(httpInvoke('json', '{}')))!;
    expect(json.status).toBe(200);
    expect(json.body.toString()).toBe('{"swept":3}');
    expect(json.headers['x-fc-request-id']).toMatch(/[0-9a-f-]{36}/);
    expect(asRawReply(await fc.handle(httpInvoke('text', '{}')))!.body.toString()).toBe('plain');
    expect([...asRawReply(await fc.handle(httpInvoke('bytes', '{}')))!.body]).toEqual([1, 2, 3]);
  });

  it('answers a thrown error as HTTP 200 with x-fc-error-type UnhandledInvocationError', async () => {
    const { fc, fn } = setup();
    fc.register(
      fn('boom', () => {
        throw new TypeError('bad event');
      }),
    );
    const raw = asRawReply(await fc.handle(httpInvoke('boom', '{}')))!;
    expect(raw.status).toBe(200);
    expect(raw.headers['x-fc-error-type']).toBe('UnhandledInvocationError');
    expect(JSON.parse(raw.body.toString())).toEqual({ errorMessage: 'bad event', errorType: 'TypeError' });
    expect(fc.invocations()[0]).toMatchObject({
      outcome: 'error',
      error: 'TypeError: bad event',
      async: false,
      attempt: 1,
    });
  });

  it('times out a handler in real time and says so', async () => {
    const { fc } = setup();
    fc.register({
      name: 'slow',
      timeoutSeconds: 0.05,
      handler: () => new Promise((resolve) => setTimeout(resolve, 500).unref()),
    });
    const raw = asRawReply(await fc.handle(httpInvoke('slow', '{}')))!;
    expect(raw.headers['x-fc-error-type']).toBe('FunctionTimeoutError');
    expect(fc.invocations()[0]?.outcome).toBe('timeout');
  });

  it('answers 404 FunctionNotFound for an unknown function and 400 for a bad invocation type', async () => {
    const { fc, fn } = setup();
    fc.register(fn('f'));
    await expect(fc.handle(httpInvoke('nope', '{}'))).rejects.toMatchObject({
      httpStatus: 404,
      code: 'FunctionNotFound',
    });
    await expect(fc.handle(httpInvoke('f', '{}', { 'x-fc-invocation-type': 'Later' }))).rejects.toMatchObject({
      httpStatus: 400,
      code: 'InvalidArgument',
    });
  });
});

describe('FC async invocation', () => {
  it('answers 202 at once and runs the handler on the clock after x-fc-async-delay', async () => {
    const { fc, fn, calls, clock } = setup();
    fc.register(fn('remediate'));
    const raw = asRawReply(
      await fc.handle(
        httpInvoke('remediate', '{"secret":"s"}', { 'x-fc-invocation-type': 'Async', 'x-fc-async-delay': '90' }),
      ),
    )!;
    expect(raw.status).toBe(202);
    expect(raw.body.length).toBe(0);
    await clock.advance(89_999);
    expect(calls).toEqual([]);
    await clock.advance(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.at).toBe(T0 + 90_000);
    expect(fc.invocations()[0]).toMatchObject({
      async: true,
      outcome: 'ok',
      requestId: raw.headers['x-fc-request-id'],
    });
  });

  it.each(['3601', '-1', 'soon'])('refuses x-fc-async-delay %s with 400 InvalidArgument', async (delay) => {
    const { fc, fn } = setup();
    fc.register(fn('remediate'));
    await expect(
      fc.handle(httpInvoke('remediate', '{}', { 'x-fc-invocation-type': 'Async', 'x-fc-async-delay': delay })),
    ).rejects.toMatchObject({ httpStatus: 400, code: 'InvalidArgument' });
  });

  it('de-duplicates a repeated task id with 409 when async tasks are on', async () => {
    const { fc, fn, calls, clock } = setup();
    fc.register(fn('remediate', undefined, { asyncConfig: { asyncTask: true } }));
    const headers = { 'x-fc-invocation-type': 'Async', 'x-fc-async-task-id': 'ep_1-attempt-2' };
    expect(asRawReply(await fc.handle(httpInvoke('remediate', '{}', headers)))!.status).toBe(202);
    const dup = await Promise.resolve(fc.handle(httpInvoke('remediate', '{}', headers))).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ApiError);
    expect(dup).toMatchObject({ httpStatus: 409, code: 'AsyncTaskAlreadyExists' });
    await clock.settle();
    expect(calls).toHaveLength(1);
    expect(fc.invocations().map((r) => r.outcome)).toEqual(['deduplicated', 'ok']);
  });

  it('accepts a repeated task id when async tasks are off', async () => {
    const { fc, fn, calls, clock } = setup();
    fc.register(fn('remediate'));
    const headers = { 'x-fc-invocation-type': 'Async', 'x-fc-async-task-id': 'flush-abc' };
    for (let i = 0; i < 2; i++)
      expect(asRawReply(await fc.handle(httpInvoke('remediate', '{}', headers)))!.status).toBe(202);
    await clock.settle();
    expect(calls).toHaveLength(2);
  });

  it('refuses a malformed task id', async () => {
    const { fc, fn } = setup();
    fc.register(fn('remediate', undefined, { asyncConfig: { asyncTask: true } }));
    await expect(
      fc.invoke('remediate', Buffer.from('{}'), { async: true, taskId: '9starts-with-digit' }),
    ).rejects.toMatchObject({ httpStatus: 400 });
  });

  it('retries a failing handler 3 times 1, 2 and 4 s apart, then calls the on-failure destination', async () => {
    const { fc, fn, calls, clock } = setup();
    fc.register(
      fn(
        'remediate',
        (event) => {
          if (event.startsWith('{"timestamp"')) return 'never';
          throw new Error('RotateSecret failed: Rejected.Throttling');
        },
        { asyncConfig: { onFailure: 'on-event' } },
      ),
    );
    fc.register(fn('on-event', () => 'escalated'));
    const submitted = await fc.invoke('remediate', Buffer.from('{"secret":"s"}'), { async: true });
    expect(submitted.status).toBe(202);
    await clock.advance(10_000);
    const tries = calls.filter((c) => c.context.function.name === 'remediate').map((c) => c.at - T0);
    expect(tries).toEqual([0, 1000, 3000, 7000]);
    const destination = calls.find((c) => c.context.function.name === 'on-event');
    expect(JSON.parse(destination!.event)).toEqual({
      timestamp: new Date(T0 + 7000).toISOString(),
      requestContext: {
        requestId: submitted.requestId,
        functionArn: 'acs:fc:cn-hangzhou:123:functions/remediate',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 4,
      },
      requestPayload: '{"secret":"s"}',
      responseContext: { statusCode: 200, functionError: 'UnhandledInvocationError' },
      responsePayload: JSON.stringify({ errorMessage: 'RotateSecret failed: Rejected.Throttling', errorType: 'Error' }),
    });
    expect(
      fc
        .invocations()
        .filter((r) => r.functionName === 'remediate')
        .map((r) => r.attempt),
    ).toEqual([1, 2, 3, 4]);
  });

  it('honours maxAsyncRetryAttempts 0 and stops retrying once a try succeeds', async () => {
    const { fc, fn, calls, clock } = setup();
    let failures = 1;
    fc.register(
      fn(
        'once',
        () => {
          throw new Error('no');
        },
        { asyncConfig: { maxAsyncRetryAttempts: 0 } },
      ),
    );
    fc.register(
      fn('flaky', () => {
        if (failures-- > 0) throw new Error('transient');
        return 'ok';
      }),
    );
    await fc.invoke('once', Buffer.from('{}'), { async: true });
    await fc.invoke('flaky', Buffer.from('{}'), { async: true });
    await clock.advance(60_000);
    expect(calls.filter((c) => c.context.function.name === 'once')).toHaveLength(1);
    expect(calls.filter((c) => c.context.function.name === 'flaky')).toHaveLength(2);
  });

  it('discards an event older than maxAsyncEventAgeInSeconds and tells the on-failure destination', async () => {
    const { fc, fn, calls, clock } = setup();
    fc.register(
      fn(
        'remediate',
        () => {
          throw new Error('still failing');
        },
        { asyncConfig: { maxAsyncEventAgeInSeconds: 5, onFailure: 'dlq' } },
      ),
    );
    fc.register(fn('dlq', () => 'noted'));
    await fc.invoke('remediate', Buffer.from('{}'), { async: true });
    await clock.advance(10_000);
    expect(calls.filter((c) => c.context.function.name === 'remediate').map((c) => c.at - T0)).toEqual([0, 1000, 3000]);
    const dlq = calls.find((c) => c.context.function.name === 'dlq');
    expect(JSON.parse(dlq!.event).requestContext).toMatchObject({
      condition: 'MaxEventAgeExceeded',
      approximateInvokeCount: 3,
    });
  });

  it('sends a success to the on-success destination', async () => {
    const { fc, fn, calls, clock } = setup();
    fc.register(fn('sweep', () => ({ swept: 1 }), { asyncConfig: { onSuccess: 'audit' } }));
    fc.register(fn('audit', () => 'ok'));
    await fc.invoke('sweep', Buffer.from('{}'), { async: true });
    await clock.settle();
    const audit = calls.find((c) => c.context.function.name === 'audit');
    expect(JSON.parse(audit!.event)).toMatchObject({
      requestContext: { condition: 'Success', approximateInvokeCount: 1 },
      responsePayload: '{"swept":1}',
    });
  });

  it('makes an invocation fail before the handler under a FunctionCrash fault, and retries it', async () => {
    const { fc, fn, calls, clock, faults } = setup();
    faults.add({ Kind: 'FunctionCrash', FunctionName: 'sweep', Times: 2 });
    fc.register(fn('sweep'));
    await fc.invoke('sweep', Buffer.from('{}'), { async: true });
    await clock.advance(10_000);
    expect(calls).toHaveLength(1);
    expect(fc.invocations().map((r) => r.outcome)).toEqual(['error', 'error', 'ok']);
    expect(fc.invocations()[0]?.error).toMatch(/^FunctionCrash/);
  });
});

/** A handler that runs until the test releases it. */
function gate() {
  let release: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (release = resolve));
  return { release, wait: () => opened.then(() => ({ ok: true })) };
}

describe('FC reserved concurrency', () => {
  it('refuses a sync invocation beyond it with 429 ResourceThrottled, and runs the next once one ends', async () => {
    const { fc, fn } = setup();
    const running = gate();
    fc.register(fn('on-event', () => running.wait(), { reservedConcurrency: 1, timeoutSeconds: 600 }));
    const first = fc.invoke('on-event', Buffer.from('{}'));

    const refused = fc.handle(httpInvoke('on-event', '{}'));
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toMatchObject({ httpStatus: 429, code: 'ResourceThrottled' });
    expect(await fc.invoke('on-event', Buffer.from('{}'))).toMatchObject({
      status: 429,
      error: expect.stringMatching(/^ResourceThrottled: reserved concurrency 1/),
    });

    running.release();
    expect(await first).toMatchObject({ status: 200 });
    expect(await fc.invoke('on-event', Buffer.from('{}'))).toMatchObject({ status: 200 });
    expect(fc.invocations().map((r) => r.outcome)).toEqual(['ok', 'throttled', 'throttled', 'ok']);
  });

  it('puts an async invocation beyond it back in the queue, 0.5 s, 1 s, 2 s... later, without spending an attempt', async () => {
    const { fc, fn, calls, clock } = setup();
    const running = gate();
    fc.register(fn('sweep', () => running.wait(), { reservedConcurrency: 1, timeoutSeconds: 600 }));
    const manual = fc.invoke('sweep', Buffer.from('{"mode":"manual"}'));
    await fc.invoke('sweep', Buffer.from('{"mode":"timer"}'), { async: true });

    await clock.advance(1_500);
    const timerRuns = () => calls.filter((c) => c.event.includes('timer'));
    expect(timerRuns()).toEqual([]);
    running.release();
    await manual;
    await clock.advance(2_000);
    // Throttled at 0, 0.5 and 1.5 s; run at 3.5 s as its first attempt.
    expect(timerRuns().map((c) => c.at - T0)).toEqual([3_500]);
    const timer = fc.invocations().filter((r) => r.async);
    expect(timer.map((r) => [r.outcome, r.attempt, r.startedAt - T0])).toEqual([
      ['throttled', 1, 0],
      ['throttled', 1, 500],
      ['throttled', 1, 1_500],
      ['ok', 1, 3_500],
    ]);
  });

  it('tells the on-failure destination of an async invocation still throttled after 5 hours', async () => {
    const { fc, fn, calls, clock } = setup();
    const held = gate();
    fc.register(
      fn('remediate', (event) => (event === 'hold' ? held.wait() : 'ran'), {
        reservedConcurrency: 1,
        timeoutSeconds: 600,
        asyncConfig: { onFailure: 'dlq' },
      }),
    );
    fc.register(fn('dlq', () => 'noted'));
    const holding = fc.invoke('remediate', Buffer.from('hold'));
    await fc.invoke('remediate', Buffer.from('queued'), { async: true });
    // Retried 0.5 s, 1 s ... 4.5 h apart: the retry after 9.1 h is the first past the 5 hours.
    await clock.advance(9 * 3_600_000);
    expect(calls.filter((c) => c.context.function.name === 'dlq')).toEqual([]);
    await clock.advance(3_600_000);
    expect(calls.filter((c) => c.event === 'queued')).toEqual([]);
    const dlq = calls.find((c) => c.context.function.name === 'dlq');
    expect(JSON.parse(dlq!.event).requestContext).toMatchObject({ condition: 'MaxEventAgeExceeded' });
    held.release();
    await holding;
  });

  it('caps nothing without a reservation, nor anything when switched off', async () => {
    for (const [options, reservedConcurrency] of [
      [{}, undefined],
      [{ reservedConcurrency: false }, 1],
    ] as const) {
      const { fc, fn } = setup(options);
      const running = gate();
      fc.register(fn('on-event', () => running.wait(), { reservedConcurrency, timeoutSeconds: 600 }));
      const both = [fc.invoke('on-event', Buffer.from('{}')), fc.invoke('on-event', Buffer.from('{}'))];
      running.release();
      expect((await Promise.all(both)).map((r) => r.status)).toEqual([200, 200]);
    }
  });
});

describe('FC timer triggers', () => {
  it('fires a six-field cron in UTC with the documented event and keeps firing', async () => {
    const { fc, fn, calls, clock } = setup();
    fc.register(fn('sweep'));
    fc.addTimer({
      functionName: 'sweep',
      triggerName: 'sweep-timer',
      cronExpression: '0 */10 * * * *',
      payload: '{"mode":"full"}',
      enable: true,
    });
    await clock.advance(30 * 60_000);
    expect(calls.map((c) => c.at - T0)).toEqual([600_000, 1_200_000, 1_800_000]);
    expect(JSON.parse(calls[0]!.event)).toEqual({
      triggerTime: '2026-01-01T00:10:00Z',
      triggerName: 'sweep-timer',
      payload: '{"mode":"full"}',
    });
    expect(fc.invocations().every((r) => r.async)).toBe(true);
  });

  it('reads CRON_TZ and seconds', async () => {
    const { fc, fn, calls, clock } = setup();
    fc.register(fn('daily'));
    fc.addTimer({ functionName: 'daily', triggerName: 't', cronExpression: 'CRON_TZ=Asia/Shanghai 30 0 4 * * *' });
    await clock.advance(86_400_000);
    expect(calls.map((c) => new Date(c.at).toISOString())).toEqual(['2026-01-01T20:00:30.000Z']);
  });

  it('supports @every, replaces a timer of the same name and skips a disabled one', async () => {
    const { fc, fn, calls, clock } = setup();
    fc.register(fn('sweep'));
    fc.addTimer({ functionName: 'sweep', triggerName: 't', cronExpression: '@every 5m' });
    fc.addTimer({ functionName: 'sweep', triggerName: 't', cronExpression: '@every 10m' });
    fc.addTimer({ functionName: 'sweep', triggerName: 'off', cronExpression: '@every 1m', enable: false });
    await clock.advance(20 * 60_000);
    expect(calls.map((c) => (c.at - T0) / 60_000)).toEqual([10, 20]);
  });

  it.each(['0 4 * * *', '@every 10s', 'CRON_TZ=Nowhere/City 0 0 4 * * *', '0 0 25 * * *'])(
    'refuses the expression %s',
    (expression) => {
      expect(() => parseTimerExpression(expression, T0)).toThrow();
    },
  );
});
