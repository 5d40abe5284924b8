/**
 * on-event on an instance that runs several requests at once (s.yaml instanceConcurrency, issue 15):
 * one follow-up read per burst for a secret, fresh for every event that joined it, and metrics
 * counted per instance, sent once a period and at PreStop.
 */
import { describe, expect, it, vi } from 'vitest';
import { EventsNotProcessedError, handleEvents, publishInstanceMetrics } from '../../shared/core/on-event';
import { METRICS_FLUSH_MS } from '../../shared/core/instance-metrics';
import { testConfig } from '../helpers/config';
import { rotationResult } from '../helpers/events';
import { T0, aSecret, cloudError, fakeDeps } from '../helpers/fakes';

const rotation = (id: string, outcome: 'success' | 'failure' = 'failure', secretName = 'rds/orders') =>
  rotationResult(id, { outcome, secretName });

/** Deps of one instance whose first DescribeSecret answers what it read at its start, but only once released. */
function instanceWithHeldRead() {
  const deps = fakeDeps(testConfig());
  const kms = deps.cloud.kms;
  const order: string[] = [];
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const read = kms.describeSecret.bind(kms);
  let reads = 0;
  vi.spyOn(kms, 'describeSecret').mockImplementation(async (name) => {
    const n = ++reads;
    order.push(`read ${n}`);
    const answer = await read(name);
    if (n === 1) await held;
    order.push(`read ${n} answered ${answer.automaticRotation}`);
    return answer;
  });
  /** Lets pending promise callbacks run (the first read reaches its hold). */
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { deps, kms, order, release, settle };
}

describe('on-event, concurrent events for one secret on one instance', () => {
  it('reads the secret once more after the running read, for every event that arrived meanwhile', async () => {
    const { deps, kms, release, settle } = instanceWithHeldRead();
    kms.put(aSecret({ automaticRotation: 'Invalid' }));
    const first = handleEvents(deps, [rotation('e1')]);
    await settle();
    const later = ['e2', 'e3', 'e4', 'e5'].map((id) => handleEvents(deps, [rotation(id)]));
    await settle();
    release();
    const summaries = await Promise.all([first, ...later]);
    expect(summaries.map((s) => s.processed)).toEqual([1, 1, 1, 1, 1]);
    expect(kms.count('DescribeSecret', 'rds/orders')).toBe(2);
  });

  it('never decides a later event on a read that began before it arrived', async () => {
    const { deps, kms, order, release, settle } = instanceWithHeldRead();
    kms.put(aSecret({ automaticRotation: 'Enabled' }));
    const first = handleEvents(deps, [rotation('e1', 'success')]);
    await settle();
    // The rotation fails while the first read is on its way back; its failure event arrives now.
    kms.put(aSecret({ automaticRotation: 'Invalid' }));
    order.push('failure event arrives');
    const failure = handleEvents(deps, [rotation('e2')]);
    await settle();
    release();
    await Promise.all([first, failure]);
    expect(order).toEqual([
      'read 1',
      'failure event arrives',
      'read 1 answered Enabled',
      'read 2',
      'read 2 answered Invalid',
    ]);
  });

  it('fails every invocation that joined the follow-up when its read fails, so FC retries each', async () => {
    const { deps, kms, release, settle } = instanceWithHeldRead();
    kms.put(aSecret({ automaticRotation: 'Invalid' }));
    const first = handleEvents(deps, [rotation('e1')]);
    await settle();
    kms.fail('DescribeSecret', cloudError('InternalFailure', 'DescribeSecret', 'kms', 'down', 500));
    const later = ['e2', 'e3'].map((id) => handleEvents(deps, [rotation(id)]));
    await settle();
    release();
    await expect(first).resolves.toMatchObject({ processed: 1 });
    for (const invocation of later) await expect(invocation).rejects.toBeInstanceOf(EventsNotProcessedError);
    // Not remembered as done: FC's retry reads again.
    await expect(handleEvents(deps, [rotation('e2')])).resolves.toMatchObject({ processed: 1, duplicates: 0 });
  });

  it('lets a redelivered copy of an event being reconciled share that outcome, without another read', async () => {
    const { deps, kms, release, settle } = instanceWithHeldRead();
    kms.put(aSecret({ automaticRotation: 'Invalid' }));
    const first = handleEvents(deps, [rotation('e1')]);
    await settle();
    const copy = handleEvents(deps, [rotation('e1')]);
    await settle();
    release();
    expect(await copy).toMatchObject({ duplicates: 1, processed: 0, failed: 0 });
    expect(await first).toMatchObject({ processed: 1 });
    expect(kms.count('DescribeSecret')).toBe(1);
  });

  it('reads other secrets beside it, without waiting', async () => {
    const { deps, kms, release, settle } = instanceWithHeldRead();
    for (const name of ['rds/orders', 'rds/billing'])
      kms.put(aSecret({ secretName: name, automaticRotation: 'Invalid' }));
    const first = handleEvents(deps, [rotation('e1')]);
    await settle();
    await expect(handleEvents(deps, [rotation('e2', 'failure', 'rds/billing')])).resolves.toMatchObject({
      processed: 1,
    });
    release();
    await first;
  });
});

describe('on-event, metrics per instance', () => {
  const sent = (deps: ReturnType<typeof fakeDeps>) =>
    deps.cloud.monitor.metrics.map((m) => [m.metricName, m.value, m.time, m.dimensions.function]);

  it(`keeps the counts in the instance and sends them together once ${METRICS_FLUSH_MS / 1000} s have passed since its last publish`, async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    const put = vi.spyOn(deps.cloud.monitor, 'putCustomMetrics');
    await handleEvents(deps, [rotation('e1')]);
    deps.clock.advance(METRICS_FLUSH_MS - 1);
    await handleEvents(deps, [rotation('e2', 'success')]);
    expect(put).not.toHaveBeenCalled();
    deps.clock.advance(1);
    await handleEvents(deps, [rotation('e3')]);
    expect(put).toHaveBeenCalledTimes(1);
    // Stamped when sent: the counts cover the period that ends then.
    expect(sent(deps)).toEqual(
      expect.arrayContaining([
        ['kro_rotation_failed', 2, T0 + METRICS_FLUSH_MS, 'kro-test'],
        ['kro_rotation_succeeded', 1, T0 + METRICS_FLUSH_MS, 'kro-test'],
      ]),
    );
    await handleEvents(deps, [rotation('e4')]);
    expect(put).toHaveBeenCalledTimes(1);
  });

  it('sends what the instance still holds at PreStop, and nothing twice', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    await handleEvents(deps, [rotation('e1')]);
    await handleEvents(deps, [rotation('e2')]);
    deps.clock.advance(5_000);
    await publishInstanceMetrics(deps);
    expect(sent(deps)).toEqual([['kro_rotation_failed', 2, T0 + 5_000, 'kro-test']]);
    await publishInstanceMetrics(deps);
    expect(deps.cloud.monitor.metrics).toHaveLength(1);
  });

  it('keeps the counts of each instance apart', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    const other = fakeDeps(testConfig(), { clients: deps.cloud, clock: deps.clock });
    await handleEvents(deps, [rotation('e1')]);
    await handleEvents(other, [rotation('e2')]);
    await publishInstanceMetrics(other);
    expect(sent(deps)).toEqual([['kro_rotation_failed', 1, T0, 'kro-test']]);
  });
});
