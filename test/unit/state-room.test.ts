/** Issue 12: telling a tag refusal that lasts from one the next pass gets past, and keying a failure without stored state. */
import { describe, expect, it } from 'vitest';
import { newCounters } from '../../shared/core/deps';
import { EpisodeStore, StateWriteError } from '../../shared/core/episode-store';
import { openEpisode } from '../../shared/domain/episode';
import { classifyTagRefusal, lacksRoomForState, SECRET_TAG_LIMIT } from '../../shared/domain/state-room';
import { statelessEpisode } from '../../shared/domain/stateless-episode';
import type { Finding } from '../../shared/domain/types';
import { testConfig } from '../helpers/config';
import { T0, aSecret, cloudError, fakeDeps } from '../helpers/fakes';

const tagError = (code: string, status?: number) => cloudError(code, 'TagResource', 'kms', 'refused', status);

describe('a refused state tag', () => {
  it.each([
    ['Rejected.LimitExceeded', 400],
    ['InvalidParameter', 400],
    ['Forbidden.NoPermission', 403],
    ['Forbidden.RAM', 403],
  ])('is lasting for %s (HTTP %i)', (code, status) => {
    expect(classifyTagRefusal(tagError(code, status))).toEqual({ lasting: true, code });
  });

  it.each([
    ['Rejected.Throttling', 429],
    ['Throttling.User', 400],
    ['InternalFailure', 500],
    ['ServiceUnavailable', 503],
    ['Rejected.LimitExceeded', 503],
    ['SomethingUnknown', 400],
    // The deletion window ends; the deletion path (stateless-episode.ts) covers it.
    ['Rejected.ResourceInDeleteWindow', 409],
  ])('is transient for %s (HTTP %i)', (code, status) => {
    expect(classifyTagRefusal(tagError(code, status))).toEqual({ lasting: false });
  });

  it('is transient for a network error', () => {
    expect(classifyTagRefusal(new Error('socket hang up'))).toEqual({ lasting: false });
  });

  it('is seen from the tags alone: at the limit and without our state tag', () => {
    const full = Object.fromEntries(Array.from({ length: SECRET_TAG_LIMIT }, (_, i) => [`k${i}`, 'v']));
    expect(lacksRoomForState(full, 'kro-state')).toBe(true);
    expect(lacksRoomForState({ ...full, 'kro-state': 'x' }, 'kro-state')).toBe(false);
    const { k0: _dropped, ...room } = full;
    expect(lacksRoomForState(room, 'kro-state')).toBe(false);
  });

  it('marks the record, logs and counts it once per invocation; a throttle marks nothing', async () => {
    const deps = fakeDeps(testConfig());
    deps.cloud.kms.put(aSecret());
    const counters = newCounters();
    const store = new EpisodeStore(deps, counters);
    const read = (await store.load('rds/orders'))!;
    const record = () => ({
      secretName: read.secretName,
      stored: read.stored,
      state: {
        episodes: [openEpisode({ secretName: 'rds/orders', checkId: 'rotation-disabled', now: T0, remediable: false })],
      },
    });

    deps.cloud.kms.fail('TagResource', tagError('Rejected.Throttling', 429));
    const throttled: { noRoom?: string } & ReturnType<typeof record> = record();
    await expect(store.save(throttled)).rejects.toBeInstanceOf(StateWriteError);
    expect(throttled.noRoom).toBeUndefined();

    for (let pass = 0; pass < 2; pass++) {
      deps.cloud.kms.fail('TagResource', tagError('Rejected.LimitExceeded', 400));
      const full: { noRoom?: string } & ReturnType<typeof record> = record();
      await expect(new EpisodeStore(deps, counters).save(full)).rejects.toBeInstanceOf(StateWriteError);
      expect(full.noRoom).toBe('Rejected.LimitExceeded');
    }
    expect(counters.stateUnwritable).toBe(1);
    const said = deps.logger.lines.filter((l) => l.message.includes('no room for the state tag'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({
      level: 'warn',
      fields: { secretName: 'rds/orders', code: 'Rejected.LimitExceeded' },
    });
  });
});

describe('a failure alerted without stored state', () => {
  const failed = (lastRotationDate?: string): Finding => ({
    checkId: 'rotation-failed',
    severity: 'critical',
    secretName: 'rds/orders',
    summary: 'failed',
    runbook: 'r',
    remediable: false,
    evidence: lastRotationDate ? { lastRotationDate } : {},
  });
  const episodeAt = (now: number) =>
    openEpisode({ secretName: 'rds/orders', checkId: 'rotation-failed', now, remediable: true });

  it('keeps one id on every pass of one failure, and a new one after a later good rotation', () => {
    const first = statelessEpisode(episodeAt(T0), failed('2026-03-01T00:00:00.000Z'), true)!;
    const later = statelessEpisode(episodeAt(T0 + 3_600_000), failed('2026-03-01T00:00:00.000Z'), true)!;
    const next = statelessEpisode(episodeAt(T0 + 9 * 86_400_000), failed('2026-03-08T00:00:00.000Z'), true)!;
    expect(first.id).toBe(later.id);
    expect(next.id).not.toBe(first.id);
    expect(statelessEpisode(episodeAt(T0), failed(), true)!.id).toBe(
      statelessEpisode(episodeAt(T0 + 60_000), failed(), true)!.id,
    );
  });

  it('is never keyed when the refusal was transient: the stored episode keeps its own id', () => {
    expect(statelessEpisode(episodeAt(T0), failed('2026-03-01T00:00:00.000Z'), false)).toBeUndefined();
  });
});
