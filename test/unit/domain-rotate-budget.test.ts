import { describe, expect, it } from 'vitest';
import { openEpisode, startAttempt } from '../../shared/domain/episode';
import type { RemediationIntent } from '../../shared/domain/reconcile';
import {
  ROTATE_BUDGET_WINDOW_MS,
  ROTATE_DEFERRAL_JITTER_MS,
  rotateBudgetFreesAt,
  withinRotateBudget,
} from '../../shared/domain/rotate-budget';
import { T0 } from '../helpers/fakes';

const MIN = 60_000;

describe('rotateBudgetFreesAt', () => {
  it('lets the call through while the budget has room', () => {
    expect(rotateBudgetFreesAt([T0 - MIN, T0 - 2 * MIN], T0, 3, () => 0.5)).toBeUndefined();
  });

  it('defers until the oldest call of the full budget leaves the hour, plus jitter', () => {
    const calls = [T0 - 10 * MIN, T0 - 40 * MIN, T0 - 50 * MIN];
    expect(rotateBudgetFreesAt(calls, T0, 3, () => 0)).toBe(T0 - 50 * MIN + ROTATE_BUDGET_WINDOW_MS);
    expect(rotateBudgetFreesAt(calls, T0, 3, () => 1)).toBe(T0 + 10 * MIN + ROTATE_DEFERRAL_JITTER_MS);
  });

  it('counts from the newest calls when more than the budget were made', () => {
    // Five calls against a budget of 3: room again once the third newest (30 min ago) has left.
    const calls = [T0 - 5 * MIN, T0 - 20 * MIN, T0 - 30 * MIN, T0 - 45 * MIN, T0 - 55 * MIN];
    expect(rotateBudgetFreesAt(calls, T0, 3, () => 0)).toBe(T0 + 30 * MIN);
  });

  it('ignores calls older than the window', () => {
    expect(rotateBudgetFreesAt([T0 - 2 * ROTATE_BUDGET_WINDOW_MS, T0 - MIN], T0, 2, () => 0)).toBeUndefined();
  });
});

describe('withinRotateBudget', () => {
  const intent = (episodeId: string, phase: RemediationIntent['phase'], at: number): RemediationIntent => ({
    secretName: `s/${episodeId}`,
    episodeId,
    attempt: 1,
    phase,
    at,
  });
  const attempted = (name: string, at: number) =>
    startAttempt(openEpisode({ secretName: name, checkId: 'rotation-failed', now: at, remediable: true }), 1, at);

  it('lets rotations through, earliest first, up to what the hour has left, and every verification', () => {
    const seen = [attempted('a', T0 - 10 * MIN), attempted('b', T0 - 2 * ROTATE_BUDGET_WINDOW_MS)];
    const { allowed, deferred } = withinRotateBudget(
      [intent('late', 'rotate', T0 + MIN), intent('early', 'rotate', T0), intent('v', 'verify', T0)],
      seen,
      T0,
      2,
    );
    expect(allowed.map((i) => i.episodeId)).toEqual(['early', 'v']);
    expect(deferred.map((i) => i.episodeId)).toEqual(['late']);
  });
});
