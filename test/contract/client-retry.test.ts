import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API_RETRY_POLICY, createCaller } from '../../shared/adapters/alibaba/caller';
import { KmsClient } from '../../shared/adapters/alibaba/kms-client';
import { createPacer, instancePacer, pacerFromConfig } from '../../shared/adapters/alibaba/pacing';
import { API_TIMEOUTS, credentialSource, OpenApiClient, openApiConfig } from '../../shared/adapters/alibaba/sdk';
import { loadConfig } from '../../shared/config';
import { MAX_KMS_CALLS_IN_FLIGHT } from '../../shared/concurrency';
import { nextDelay, withRetry } from '../../shared/adapters/alibaba/retry';
import { CloudError } from '../../shared/errors';
import {
  clientsFor,
  recordingClock,
  startLoopbackServer,
  TEST_KEY,
  type LoopbackServer,
} from '../helpers/loopback-server';

const THROTTLED = {
  status: 429,
  body: { HttpStatus: 429, Code: 'Rejected.Throttling', Message: 'QPS Limit Exceeded', RequestId: 'req-429' },
};

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.setFallback(() => ({ body: { RequestId: 'ok', VersionId: 'v2' } }));
});

describe('call-level retry against a throttling server', () => {
  it('succeeds when the server answers 429 Rejected.Throttling twice and then 200', async () => {
    server.enqueue(THROTTLED, THROTTLED);
    const { clients, clock } = clientsFor(server);
    await expect(clients.kms.rotateSecret('db', 'v2')).resolves.toEqual({ versionId: 'v2' });
    expect(server.requests).toHaveLength(3);
    // Full jitter at random()=0.5: half of 200 ms, then half of 400 ms; recorded, never slept for real.
    expect(clock.sleeps).toEqual([100, 200]);
    expect(clients.stats()).toEqual({ calls: 3, throttled: 2, retries: 2 });
  });

  it('gives up after the bounded attempts with a retryable CloudError carrying the code', async () => {
    server.setFallback(() => THROTTLED);
    const { clients, clock } = clientsFor(server, {}, { maxAttempts: 4 });
    const started = performance.now();
    const error = await clients.kms.describeSecret('db').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect(error).toMatchObject({
      code: 'Rejected.Throttling',
      retryable: true,
      httpStatus: 429,
      requestId: 'req-429',
      action: 'DescribeSecret',
    });
    expect(server.requests).toHaveLength(4);
    expect(clock.sleeps).toEqual([100, 200, 400]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('stops early when the next wait would pass the total time budget', async () => {
    server.setFallback(() => ({
      status: 503,
      body: { Code: 'ServiceUnavailableTemporary', Message: 'Service Unavailable Temporary.', RequestId: 'r' },
    }));
    const { clients, clock } = clientsFor(
      server,
      {},
      { maxAttempts: 20, baseDelayMs: 1000, maxDelayMs: 8000, totalTimeoutMs: 5000 },
    );
    await expect(clients.kms.describeSecret('db')).rejects.toMatchObject({
      code: 'ServiceUnavailableTemporary',
      retryable: true,
    });
    expect(clock.sleeps).toEqual([500, 1000, 2000]);
  });

  it('does not retry a permission error', async () => {
    server.setFallback(() => ({
      status: 403,
      body: {
        Code: 'Forbidden.NoPermission',
        Message: 'This operation is forbidden by permission system.',
        RequestId: 'r',
      },
    }));
    const { clients, clock } = clientsFor(server);
    await expect(clients.kms.describeSecret('db')).rejects.toMatchObject({
      code: 'Forbidden.NoPermission',
      retryable: false,
      httpStatus: 403,
    });
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('retries a connection reset and an HTML 502 from a proxy', async () => {
    server.enqueue({ destroy: true }, { status: 502, body: '<html>Bad Gateway</html>' });
    const { clients } = clientsFor(server);
    await expect(clients.kms.rotateSecret('db', 'v2')).resolves.toEqual({ versionId: 'v2' });
    expect(clients.stats()).toMatchObject({ calls: 3, retries: 2 });
  });

  it('maps a server that never answers to a retryable read timeout', async () => {
    server.enqueue({ hang: true });
    // The real SDK client with API_TIMEOUTS shortened, so the test does not wait 10 s.
    const { config } = clientsFor(server);
    const openApi = openApiConfig(config, 'kms', credentialSource(TEST_KEY));
    expect(openApi).toMatchObject({
      connectTimeout: API_TIMEOUTS.connectTimeoutMs,
      readTimeout: API_TIMEOUTS.readTimeoutMs,
    });
    openApi.readTimeout = 150;
    const kms = new KmsClient(
      new OpenApiClient(openApi),
      createCaller({ policy: { ...API_RETRY_POLICY, maxAttempts: 1 }, clock: recordingClock(), random: () => 0.5 }),
    );
    await expect(kms.describeSecret('db')).rejects.toMatchObject({ code: 'SDK.ReadTimeout', retryable: true });
  });

  it('maps a refused connection to a retryable ECONNREFUSED', async () => {
    const closed = await startLoopbackServer();
    await closed.close();
    const { clients } = clientsFor(closed, {}, { maxAttempts: 2 });
    await expect(clients.kms.describeSecret('db')).rejects.toMatchObject({
      code: 'ECONNREFUSED',
      retryable: true,
      product: 'kms',
    });
  });
});

describe('nextDelay', () => {
  const policy = { baseDelayMs: 200, maxDelayMs: 1000 };
  it('draws uniformly below the exponential ceiling, capped', () => {
    expect([1, 2, 3, 4, 5].map((a) => nextDelay(a, policy, () => 0.999))).toEqual([199, 399, 799, 999, 999]);
    expect(nextDelay(3, policy, () => 0)).toBe(0);
  });
  it('uses a server Retry-After hint as a floor', () => {
    expect(nextDelay(1, policy, () => 0.5, 3000)).toBe(3000);
    expect(nextDelay(3, policy, () => 0.5, 10)).toBe(400);
  });
});

describe('withRetry', () => {
  it('retries only retryable CloudErrors', async () => {
    let calls = 0;
    const clock = recordingClock();
    const failing = withRetry(
      async () => {
        calls++;
        throw new TypeError('a bug');
      },
      { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 100, totalTimeoutMs: 1000 },
      { clock, random: () => 0.5 },
    );
    await expect(failing).rejects.toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
  });
});

describe('pacing', () => {
  it('spaces parallel acquires of a per-second group in arrival order, on its own time source', async () => {
    let now = 0;
    const waits: number[] = [];
    const pacer = createPacer({
      limits: {
        read: { limit: 10, perMs: 1000 },
        list: { limit: 1, perMs: 1000 },
        write: { limit: 1, perMs: 1000 },
        rotate: { limit: 3, perMs: 3_600_000 },
      },
      maxWaitMs: 5000,
      time: { now: () => now, sleep: async (ms) => void waits.push(ms) },
    });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => pacer.acquire('DescribeSecret').then(() => order.push(i))));
    expect(waits).toEqual([100, 200, 300]);
    expect(order).toEqual([0, 1, 2, 3]);
    now = 10_000;
    await pacer.acquire('RotateSecret');
    await pacer.acquire('RotateSecret');
    await pacer.acquire('RotateSecret');
    // The hourly rotate budget is a burst; past it, the wait would be far beyond maxWaitMs.
    await expect(pacer.acquire('RotateSecret')).rejects.toMatchObject({
      code: 'Throttling.ClientPacing',
      retryable: true,
    });
  });

  it('keeps a real client under its quota without throttling replies', async () => {
    const { clients } = clientsFor(server, { KRO_PACING: 'true', KRO_KMS_LIST_SHARE_PERCENT: '100' });
    server.setFallback(() => ({ body: { RequestId: 'r', PageNumber: 1, PageSize: 100, TotalCount: 0 } }));
    await Promise.all([1, 2, 3].map((p) => clients.kms.listSecretsPage(p)));
    expect(server.requests).toHaveLength(3);
    expect(clients.stats()).toMatchObject({ calls: 3, throttled: 0, retries: 0 });
  });

  it('leaves RotateSecret to the one hourly budget the core counts (KRO_ROTATE_BUDGET_PER_HOUR), not to a bucket of its own', async () => {
    const config = loadConfig({ KRO_PACING: 'true' });
    const waits: number[] = [];
    const pacer = pacerFromConfig(config, 'sweep', { now: () => 0, sleep: async (ms) => void waits.push(ms) });
    for (let i = 0; i < 60; i++) await pacer.acquire('RotateSecret');
    expect(waits).toEqual([]);
    // The sweep's part of the default share of the list group: three quarters of 25 % of 40/s (quota-share.ts).
    await Promise.all([1, 2, 3].map(() => pacer.acquire('ListSecrets')));
    expect(waits.map(Math.round)).toEqual([133, 267]);
  });

  it("shares one pacer among a warm instance's invocations (its Config), whatever FC's reserved concurrency counts", () => {
    const config = loadConfig({ KRO_PACING: 'true' });
    expect(instancePacer(config, 'on-event')).toBe(instancePacer(config, 'on-event'));
    expect(instancePacer(config, 'on-event')).not.toBe(instancePacer(config, 'sweep'));
    expect(instancePacer(loadConfig({ KRO_PACING: 'true' }), 'on-event')).not.toBe(instancePacer(config, 'on-event'));
  });

  it("paces each consumer at its part of the share: the CLI's reads 3.214/s by default", async () => {
    const config = loadConfig({ KRO_PACING: 'true' });
    const waits: number[] = [];
    const pacer = pacerFromConfig(config, 'cli', { now: () => 0, sleep: async (ms) => void waits.push(ms) });
    await Promise.all([1, 2, 3].map(() => pacer.acquire('DescribeSecret')));
    expect(waits.map(Math.round)).toEqual([311, 622]);
  });

  it('waits out a queue as deep as the callers keep in flight (MAX_KMS_CALLS_IN_FLIGHT), however low the rate, and refuses a deeper one', async () => {
    const config = loadConfig({ KRO_PACING: 'true', KRO_KMS_LIST_SHARE_PERCENT: '1' });
    const waits: number[] = [];
    const pacer = pacerFromConfig(config, 'cli', { now: () => 0, sleep: async (ms) => void waits.push(ms) });
    // 1 % of 40/s over seven slots: one TagResource every 35 s, far beyond the 5 s floor.
    const queue = Array.from({ length: MAX_KMS_CALLS_IN_FLIGHT + 1 }, () => pacer.acquire('TagResource'));
    await expect(Promise.all(queue)).resolves.toHaveLength(MAX_KMS_CALLS_IN_FLIGHT + 1);
    await expect(pacer.acquire('TagResource')).rejects.toMatchObject({ code: 'Throttling.ClientPacing' });
  });
});

describe('error mapping', () => {
  it('reports an empty default credential chain as a non-retryable CredentialsNotFound', async () => {
    const { toCloudError } = await import('../../shared/adapters/alibaba/errors');
    const error = toCloudError(
      new Error(
        'unable to get credentials from any of the providers in the chain: getaddrinfo ENOTFOUND 100.100.100.200',
      ),
      'kms',
      'DescribeSecret',
    );
    expect(error).toMatchObject({ code: 'SDK.CredentialsNotFound', retryable: false });
  });

  it('maps socket hang up and read timeouts to retryable codes', async () => {
    const { toCloudError } = await import('../../shared/adapters/alibaba/errors');
    expect(toCloudError(new Error('socket hang up'), 'fc', 'InvokeFunction')).toMatchObject({
      code: 'ECONNRESET',
      retryable: true,
    });
    expect(
      toCloudError(
        Object.assign(new Error('ReadTimeout(10000). POST http://x failed.'), { name: 'RequestTimeoutError' }),
        'kms',
        'ListSecrets',
      ),
    ).toMatchObject({ code: 'SDK.ReadTimeout', retryable: true });
    expect(
      toCloudError(
        {
          name: 'ServerError',
          code: 'InternalFailure',
          statusCode: 500,
          requestId: 'r',
          data: { Message: 'Internal Failure.' },
          message: 'x',
        },
        'kms',
        'RotateSecret',
      ),
    ).toMatchObject({
      code: 'InternalFailure',
      httpStatus: 500,
      retryable: true,
      message: expect.stringContaining('Internal Failure.'),
    });
  });
});
