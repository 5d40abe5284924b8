import { describe, expect, it } from 'vitest';
import { newCounters } from '../../shared/core/deps';
import { EpisodeStore, StateWriteError, WriteAheadNotRecordedError } from '../../shared/core/episode-store';
import { EventsNotProcessedError, handleEvents } from '../../shared/core/on-event';
import { markAlert, openEpisode } from '../../shared/domain/episode';
import { testConfig } from '../helpers/config';
import { rotationResult } from '../helpers/events';
import { DAY, T0, aSecret, cloudError, fakeDeps } from '../helpers/fakes';

const throttled = () => cloudError('Rejected.Throttling', 'TagResource', 'kms', 'QPS Limit Exceeded', 429);
const failure = (id: string, secretName: string) => rotationResult(id, { secretName });

describe('the episode store', () => {
  it('loads nothing, without an error, for a secret that no longer exists', async () => {
    const deps = fakeDeps(testConfig());
    expect(await new EpisodeStore(deps, newCounters()).load('gone')).toBeUndefined();
  });

  it('raises StateWriteError when the tag write fails, and keeps what is stored unchanged', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret());
    deps.cloud.kms.fail('TagResource', throttled());
    const counters = newCounters();
    const store = new EpisodeStore(deps, counters);
    const read = (await store.load('rds/orders'))!;
    const episode = openEpisode({ secretName: 'rds/orders', checkId: 'rotation-disabled', now: T0, remediable: false });
    const record = { secretName: read.secretName, stored: read.stored, state: { episodes: [episode] } };
    await expect(store.save(record)).rejects.toBeInstanceOf(StateWriteError);
    expect(record.stored).toEqual(read.stored);
    expect(counters.stateWriteErrors).toBe(1);
    await store.save(record);
    expect(record.stored.state).toBe(deps.cloud.kms.tagOf('rds/orders'));
  });

  it('writes a schedule alone only within its budget, stops at the first throttled one, and never counts or raises it', async () => {
    const deps = fakeDeps(testConfig());
    const names = ['rds/a', 'rds/b', 'rds/c', 'rds/d', 'rds/e'];
    for (const secretName of names) deps.cloud.kms.put(aSecret({ secretName }));
    const schedule = { spread: 1, policy: 'aa', nextRotation: T0 + 28 * DAY };
    const records = async (store: EpisodeStore) =>
      Promise.all(
        names.map(async (n) => {
          const read = (await store.load(n))!;
          return { secretName: n, stored: read.stored, state: { episodes: [], schedule } };
        }),
      );
    const counters = newCounters();
    const budgeted = new EpisodeStore(deps, counters, { scheduleWrites: 2 });
    expect(await budgeted.saveAll(await records(budgeted))).toEqual(new Set());
    expect(deps.cloud.kms.count('TagResource')).toBe(2);
    // Elsewhere (on-event, remediate) a schedule alone is never written.
    const none = new EpisodeStore(deps, counters);
    await none.saveAll(await records(none));
    expect(deps.cloud.kms.count('TagResource')).toBe(2);
    // A throttled schedule write ends the pass's schedule writes: the list quota is busy.
    deps.cloud.kms.fail('TagResource', throttled());
    const busy = new EpisodeStore(deps, counters, { scheduleWrites: 10 });
    const rest = (await records(busy)).filter((r) => r.stored.state === undefined);
    expect(rest).toHaveLength(3);
    for (const r of rest) await busy.save(r);
    expect(deps.cloud.kms.count('TagResource')).toBe(3);
    expect(rest.filter((r) => r.stored.state !== undefined)).toHaveLength(0);
    expect(counters).toMatchObject({ errors: 0, stateWriteErrors: 0, stateUnwritable: 0, tagWrites: 2 });
  });

  it('raises WriteAheadNotRecordedError when an attempt cannot be recorded', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret());
    deps.cloud.kms.fail('TagResource', throttled());
    const store = new EpisodeStore(deps, newCounters());
    const read = (await store.load('rds/orders'))!;
    const episode = openEpisode({ secretName: 'rds/orders', checkId: 'rotation-failed', now: T0, remediable: true });
    const error = await store
      .recordAttempt({ secretName: read.secretName, stored: read.stored, state: { episodes: [episode] } }, 1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteAheadNotRecordedError);
    expect((error as WriteAheadNotRecordedError).cause).toBeInstanceOf(StateWriteError);
  });

  it('saveAll carries on past one secret whose write fails and names it', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ secretName: 'a' })).put(aSecret({ secretName: 'b' }));
    deps.cloud.kms.fail('TagResource', throttled(), 1, 'a');
    const store = new EpisodeStore(deps, newCounters());
    const records = ['a', 'b'].map((name) => ({
      secretName: name,
      stored: {},
      state: {
        episodes: [openEpisode({ secretName: name, checkId: 'rotation-disabled', now: T0, remediable: false })],
      },
    }));
    const failed = await store.saveAll(records);
    expect([...failed].map((r) => r.secretName)).toEqual(['a']);
    expect(deps.cloud.kms.tagOf('b')).toBeDefined();
  });
});

// The write-ahead at remediate (WriteAheadNotRecordedError, RotateSecret not called): test/resilience/write-ahead.test.ts.
describe('typed failures at the use cases', () => {
  it('on-event: a batch in which every event failed fails the invocation', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms
      .put(aSecret({ secretName: 'a', automaticRotation: 'Invalid' }))
      .put(aSecret({ secretName: 'b', automaticRotation: 'Invalid' }));
    deps.cloud.kms.fail('DescribeSecret', cloudError('InternalFailure', 'DescribeSecret', 'kms', 'internal', 500), 2);
    await expect(handleEvents(deps, [failure('1', 'a'), failure('2', 'b')])).rejects.toBeInstanceOf(
      EventsNotProcessedError,
    );
  });

  it('on-event: a batch with one event done succeeds and counts the failed one', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms
      .put(aSecret({ secretName: 'a', automaticRotation: 'Invalid' }))
      .put(aSecret({ secretName: 'b', automaticRotation: 'Invalid' }));
    deps.cloud.kms.fail(
      'DescribeSecret',
      cloudError('InternalFailure', 'DescribeSecret', 'kms', 'internal', 500),
      1,
      'a',
    );
    expect(await handleEvents(deps, [failure('1', 'a'), failure('2', 'b')])).toMatchObject({ processed: 1, failed: 1 });
  });

  it('saveAll writes the news first: when the quota runs out, a reminder waits, not a new failure', async () => {
    const deps = fakeDeps(testConfig());
    const names = ['r1', 'r2', 'r3', 'r4', 'new-failure'];
    for (const name of names) deps.cloud.kms.put(aSecret({ secretName: name }));
    // The tag quota allows two writes, then refuses (other writers share it).
    let room = 2;
    const tagResource = deps.clients.kms.tagResource.bind(deps.clients.kms);
    deps.clients.kms.tagResource = async (name, tags) => {
      if (room-- <= 0) throw throttled();
      return tagResource(name, tags);
    };
    const reminder = (name: string) => {
      const opened = markAlert(
        openEpisode({ secretName: name, checkId: 'rotation-disabled', now: T0, remediable: false }),
        'delivered',
      )!;
      return { ...opened, alert: { stage: 'remind' as const, delivery: 'sending' as const, at: T0 + 86_400_000 } };
    };
    const records = names.map((name) => ({
      secretName: name,
      stored: {},
      state: {
        episodes: [
          name === 'new-failure'
            ? openEpisode({ secretName: name, checkId: 'rotation-failed', now: T0, remediable: true })
            : reminder(name),
        ],
      },
    }));
    const failed = await new EpisodeStore(deps, newCounters()).saveAll(records);
    expect(deps.cloud.kms.tagOf('new-failure')).toBeDefined();
    expect([...failed].map((r) => r.secretName)).not.toContain('new-failure');
    expect(failed.size).toBe(3);
  });
});
