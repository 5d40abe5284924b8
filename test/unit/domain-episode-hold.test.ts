import { describe, expect, it } from 'vitest';
import { holdRetry, openEpisode } from '../../shared/domain/episode';
import { testConfig } from '../helpers/config';
import { HOUR, T0 } from '../helpers/fakes';

describe('a retry held for a known cause', () => {
  const config = testConfig();
  const episode = openEpisode({ secretName: 'rds/orders', checkId: 'rotation-failed', now: T0, remediable: true });
  const budgetMs = config.retry.maxEpisodeHours * HOUR;

  it('is asked again later, spending no attempt, while the episode has time left', () => {
    const held = holdRetry(episode, T0 + HOUR, T0, config);
    expect(held).toMatchObject({ status: episode.status, attempts: 0, nextActionAt: T0 + HOUR });
    expect(held.alert).toEqual(episode.alert);
  });

  it('escalates to a human once holding would pass the episode time budget: a cause nobody fixes never holds in silence', () => {
    const now = T0 + budgetMs - HOUR / 2;
    const held = holdRetry(episode, now + HOUR, now, config);
    expect(held).toMatchObject({ status: 'escalated', nextActionAt: undefined, attempts: 0 });
    expect(held.alert).toMatchObject({ stage: 'escalate', delivery: 'queued', at: now });
  });
});
