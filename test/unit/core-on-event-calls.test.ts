/** on-event's cloud calls per event (issue 15): one read per secret per batch, none for a repeat, no version listing when the event says. */
import { describe, expect, it } from 'vitest';
import { EventsNotProcessedError, handleEvents } from '../../shared/core/on-event';
import { decodeState } from '../../shared/domain/episode-tag';
import type { ApiCallEvent, ParseResult } from '../../shared/domain/event-types';
import { testConfig } from '../helpers/config';
import { rotationResult } from '../helpers/events';
import { DAY, T0, aSecret, cloudError, fakeDeps } from '../helpers/fakes';

const failure = (id: string, secretName = 'rds/orders') => rotationResult(id, { secretName });
const apiCall = (id: string, tweak: Partial<ApiCallEvent> = {}): ParseResult => ({
  ok: true,
  event: {
    kind: 'api-call',
    eventName: 'PutSecretValue',
    secretName: 'app/token',
    failed: false,
    dedupeKey: `acs.kms/${id}`,
    id,
    source: 'acs.kms',
    at: T0,
    versionId: 'v2',
    ...tweak,
  },
});
const staleGeneric = () =>
  aSecret({ secretName: 'app/token', secretType: 'Generic', automaticRotation: undefined, extendedConfig: {} });
const episodes = (deps: ReturnType<typeof fakeDeps>, name: string) =>
  decodeState(deps.cloud.kms.tagOf(name), name).state.episodes;

describe('on-event, one read per secret', () => {
  it('reads a secret once for all of its events in a batch, with every observation', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    const summary = await handleEvents(deps, [
      failure('e1'),
      apiCall('e2', { eventName: 'RotateSecret', secretName: 'rds/orders', versionId: undefined }),
      failure('e3'),
    ]);
    expect(summary).toMatchObject({ processed: 3, failed: 0 });
    expect(deps.cloud.kms.count('DescribeSecret', 'rds/orders')).toBe(1);
    expect(episodes(deps, 'rds/orders')).toMatchObject([{ checkId: 'rotation-failed' }]);
  });

  it("fails only the events of a secret that cannot be read, and processes the others' secrets", async () => {
    const deps = fakeDeps(testConfig());
    for (const name of ['rds/a', 'rds/b'])
      deps.cloud.kms.put(aSecret({ secretName: name, automaticRotation: 'Invalid' }));
    deps.cloud.kms.fail(
      'DescribeSecret',
      cloudError('InternalFailure', 'DescribeSecret', 'kms', 'down', 500),
      1,
      'rds/a',
    );
    const summary = await handleEvents(deps, [failure('e1', 'rds/a'), failure('e2', 'rds/a'), failure('e3', 'rds/b')]);
    expect(summary).toMatchObject({ processed: 1, failed: 2 });
    expect(episodes(deps, 'rds/b')).toHaveLength(1);
  });
});

describe('on-event, time budget', () => {
  it('starts no secret after the deadline, succeeds with what it did, and leaves the rest to be done again', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    const late = await handleEvents(deps, [failure('e1')], { deadline: deps.clock.now() });
    expect(late).toMatchObject({ deferred: 1, processed: 0, failed: 0 });
    expect(deps.cloud.kms.count('DescribeSecret')).toBe(0);
    expect(await handleEvents(deps, [failure('e1')])).toMatchObject({ processed: 1, duplicates: 0 });
  });
});

describe('on-event, redelivered events', () => {
  it('skips an event this instance already finished with, without reading the secret again', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    await handleEvents(deps, [failure('e1')]);
    const again = await handleEvents(deps, [failure('e1')]);
    expect(again).toMatchObject({ duplicates: 1, processed: 0 });
    expect(deps.cloud.kms.count('DescribeSecret')).toBe(1);
  });

  it('handles it again on another instance (its own configuration), which changes nothing', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    await handleEvents(deps, [failure('e1')]);
    const tag = deps.cloud.kms.tagOf('rds/orders');
    const other = fakeDeps(testConfig(), { clients: deps.cloud, clock: deps.clock });
    expect(await handleEvents(other, [failure('e1')])).toMatchObject({ processed: 1 });
    expect(deps.cloud.kms.tagOf('rds/orders')).toBe(tag);
  });

  it('does the work again when the invocation that first saw the event failed (FC retries it)', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret({ automaticRotation: 'Invalid' }));
    deps.cloud.kms.fail('DescribeSecret', cloudError('InternalFailure', 'DescribeSecret', 'kms', 'down', 500));
    await expect(handleEvents(deps, [failure('e1')])).rejects.toBeInstanceOf(EventsNotProcessedError);
    expect(await handleEvents(deps, [failure('e1')])).toMatchObject({ processed: 1, duplicates: 0 });
    expect(episodes(deps, 'rds/orders')).toHaveLength(1);
  });
});

describe("on-event, a Generic secret's new version", () => {
  it('is taken from its PutSecretValue event instead of listing the versions', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(staleGeneric());
    await handleEvents(deps, [apiCall('e1')]);
    expect(deps.cloud.kms.count('ListSecretVersionIds')).toBe(0);
    expect(episodes(deps, 'app/token')).toEqual([]);
  });

  it('is listed when the record does not name the version (the EventBridge sample has no parameters)', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(staleGeneric());
    await handleEvents(deps, [apiCall('e1', { versionId: undefined })]);
    expect(deps.cloud.kms.count('ListSecretVersionIds')).toBe(1);
    expect(episodes(deps, 'app/token')).toMatchObject([{ checkId: 'generic-stale' }]);
  });

  it("is listed before an open generic-stale episode could be resolved on the event's word", async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(staleGeneric(), [
      { versionId: 'v1', createTime: T0 - 400 * DAY, versionStages: ['ACSCurrent'] },
    ]);
    await handleEvents(deps, [apiCall('e1', { versionId: undefined })]);
    // A PutSecretValue repeated with the old VersionId succeeds and makes no new version.
    await handleEvents(deps, [apiCall('e2', { versionId: 'v1' })]);
    expect(deps.cloud.kms.count('ListSecretVersionIds')).toBe(2);
    expect(episodes(deps, 'app/token')).toMatchObject([{ checkId: 'generic-stale', status: 'opened' }]);
  });
});
