import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asyncDelaySeconds, assertTaskId } from '../../shared/adapters/alibaba/fc-client';
import { clientsFor, startLoopbackServer, type LoopbackServer } from '../helpers/loopback-server';

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.setFallback(() => ({ status: 202, body: '' }));
});

describe('FcInvoker', () => {
  it('invokes asynchronously with the delay and task-id headers and the JSON payload', async () => {
    const { clients } = clientsFor(server);
    await clients.invoker.invokeAsync({
      functionName: 'kro-remediate',
      payload: { episodeId: 'ep1', attempt: 2 },
      delaySeconds: 240,
      taskId: 'kro_ep1_a2',
    });
    const request = server.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/2023-03-30/functions/kro-remediate/invocations');
    expect(request.headers['x-fc-invocation-type']).toBe('Async');
    expect(request.headers['x-fc-async-delay']).toBe('240');
    expect(request.headers['x-fc-async-task-id']).toBe('kro_ep1_a2');
    expect(JSON.parse(request.body)).toEqual({ episodeId: 'ep1', attempt: 2 });
  });

  it('clamps the delay into 0..3600 seconds', async () => {
    const { clients } = clientsFor(server);
    await clients.invoker.invokeAsync({
      functionName: 'kro-remediate',
      payload: {},
      delaySeconds: 86_400,
      taskId: 'a',
    });
    await clients.invoker.invokeAsync({ functionName: 'kro-remediate', payload: {}, delaySeconds: -5, taskId: 'b' });
    expect(server.requests.map((r) => r.headers['x-fc-async-delay'])).toEqual(['3600', '0']);
    expect(asyncDelaySeconds(12.4)).toBe(12);
    expect(() => asyncDelaySeconds(Number.NaN)).toThrow(/x-fc-async-delay/);
  });

  it('refuses a malformed task id before sending anything', async () => {
    const { clients } = clientsFor(server);
    await expect(
      clients.invoker.invokeAsync({ functionName: 'f', payload: {}, delaySeconds: 0, taskId: '9starts-with-digit' }),
    ).rejects.toThrow(/x-fc-async-task-id/);
    expect(() => assertTaskId('a'.repeat(129))).toThrow();
    expect(() => assertTaskId('_kro-ep1_a2')).not.toThrow();
    expect(server.requests).toHaveLength(0);
  });

  it('retries a throttled async invoke and sends the same task id again', async () => {
    server.enqueue({ status: 429, body: { Code: 'ResourceThrottled', Message: 'throttled', RequestId: 'r' } });
    const { clients } = clientsFor(server);
    await clients.invoker.invokeAsync({
      functionName: 'kro-remediate',
      payload: { n: 1 },
      delaySeconds: 0,
      taskId: 'kro_t1',
    });
    expect(server.requests.map((r) => [r.headers['x-fc-async-task-id'], r.body])).toEqual([
      ['kro_t1', '{"n":1}'],
      ['kro_t1', '{"n":1}'],
    ]);
  });

  it('invokes synchronously and reports a function error', async () => {
    server.enqueue({
      status: 200,
      headers: { 'x-fc-error-type': 'UnhandledInvocationError', 'x-fc-request-id': 'fc-req-1' },
      body: { errorMessage: 'boom' },
    });
    const { clients } = clientsFor(server);
    const result = await clients.invoker.invokeSync('kro-sweep', { triggerName: 'manual' });
    expect(server.requests[0]!.headers['x-fc-invocation-type']).toBe('Sync');
    expect(result).toEqual({
      statusCode: 200,
      errorType: 'UnhandledInvocationError',
      requestId: 'fc-req-1',
      body: '{"errorMessage":"boom"}',
    });
  });
});
