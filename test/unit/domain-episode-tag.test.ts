import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState, TAG_VALUE_LIMIT, type SecretState } from '../../shared/domain/episode-tag';
import { episodeIdFor } from '../../shared/domain/ids';
import type { Episode } from '../../shared/domain/episode';
import { KNOWN_ERROR_CODES } from '../../shared/domain/retry-policy';
import { CHECK_IDS } from '../../shared/domain/types';
import { T0 } from '../helpers/fakes';

const NAME = 'rds/orders';
const sec = (n: number) => n * 1000;

const episodeArb: fc.Arbitrary<Episode> = fc
  .record({
    checkId: fc.constantFrom(...CHECK_IDS),
    status: fc.constantFrom('opened', 'retrying', 'escalated', 'resolved' as const),
    opened: fc.integer({ min: T0 / 1000 - 10_000_000, max: T0 / 1000 + 10_000_000 }),
    attempts: fc.integer({ min: 0, max: 40 }),
    attemptStarted: fc.boolean(),
    lastAttempt: fc.option(fc.integer({ min: 0, max: 3_000_000 }), { nil: undefined }),
    code: fc.option(fc.oneof(fc.constantFrom(...KNOWN_ERROR_CODES.map((k) => k.code)), fc.stringMatching(/^[A-Z][A-Za-z0-9.]{0,20}$/)), { nil: undefined }),
    next: fc.option(fc.integer({ min: 0, max: 3_000_000 }), { nil: undefined }),
    alert: fc.option(fc.record({ stage: fc.constantFrom('open', 'escalate', 'remind', 'resolve' as const), delivery: fc.constantFrom('queued', 'sending', 'delivered' as const), at: fc.integer({ min: 0, max: 3_000_000 }) }), { nil: undefined }),
    cause: fc.option(fc.stringMatching(/^[tc]:[a-z0-9-]{1,16}$/), { nil: undefined }),
  })
  .map((r) => {
    const openedAt = sec(r.opened);
    const e: Episode = { id: episodeIdFor(NAME, r.checkId, openedAt), secretName: NAME, checkId: r.checkId, status: r.status, openedAt, attempts: r.attempts, attemptStarted: r.attemptStarted };
    if (r.lastAttempt !== undefined) e.lastAttemptAt = openedAt + sec(r.lastAttempt);
    if (r.code) e.lastError = { code: r.code };
    if (r.next !== undefined) e.nextActionAt = openedAt + sec(r.next);
    if (r.alert) e.alert = { stage: r.alert.stage, delivery: r.alert.delivery, at: openedAt + sec(r.alert.at) };
    if (r.cause) e.cause = r.cause;
    return e;
  })
  .filter((e) => !(e.status === 'resolved' && (!e.alert || e.alert.delivery === 'delivered')));

const stateArb: fc.Arbitrary<SecretState> = fc.record({
  rotationStartedAt: fc.option(fc.integer({ min: T0 / 1000 - 1_000_000, max: T0 / 1000 }).map(sec), { nil: undefined }),
  episodes: fc.uniqueArray(episodeArb, { selector: (e) => e.checkId, maxLength: 3 }),
});

function normalise(state: SecretState): SecretState {
  const out: SecretState = { episodes: [...state.episodes].sort((a, b) => a.id.localeCompare(b.id)) };
  if (state.rotationStartedAt !== undefined) out.rotationStartedAt = state.rotationStartedAt;
  return out;
}

describe('the state tag codec', () => {
  it('round-trips every state that fits, and never exceeds 128 characters', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const { value, dropped } = encodeState(state);
        if (value === undefined) return state.episodes.length === 0 && state.rotationStartedAt === undefined;
        expect(value.length).toBeLessThanOrEqual(TAG_VALUE_LIMIT);
        const decoded = decodeState(value, NAME);
        expect(decoded.warning).toBeUndefined();
        if (dropped.length === 0 && state.episodes.every((e) => !e.cause || value.includes(e.cause))) expect(normalise(decoded.state)).toEqual(normalise(state));
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a state of many episodes within the limit by dropping the least important', () => {
    const episodes: Episode[] = CHECK_IDS.map((checkId, i) => ({
      id: episodeIdFor(NAME, checkId, T0 + i * 1000),
      secretName: NAME,
      checkId,
      status: 'retrying',
      openedAt: T0 + i * 1000,
      attempts: 3,
      attemptStarted: false,
      lastAttemptAt: T0 + 9_000_000,
      lastError: { code: 'Some.Unknown.VeryLongErrorCodeName' },
      nextActionAt: T0 + 9_999_000,
      alert: { stage: 'open', delivery: 'delivered', at: T0 + i * 1000 },
      cause: 't:rm-bp1234567890abcdefg',
    }));
    const { value, dropped } = encodeState({ episodes });
    expect(value!.length).toBeLessThanOrEqual(TAG_VALUE_LIMIT);
    expect(dropped.length).toBeGreaterThan(0);
    expect(decodeState(value, NAME).state.episodes.length + dropped.length).toBe(CHECK_IDS.length);
  });

  it('removes the tag when nothing is left', () => {
    expect(encodeState({ episodes: [] }).value).toBeUndefined();
  });

  it.each(['garbage', '2:;a,o,1', '1:;z,o,1', '1:;a,q,1', '1:;a,o,!!', '1:;a,o,1,0,,#zz', '1:;a,o,1,0,,,,xx', '1', ';;;', '1:zz:zz'])('treats malformed value %j as no state with a warning', (value) => {
    const decoded = decodeState(value, NAME);
    expect(decoded.state.episodes).toEqual([]);
    expect(decoded.warning).toMatch(/malformed/);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => Array.isArray(decodeState(text, NAME).state.episodes)));
  });

  it('uses a short code for a known error', () => {
    const e: Episode = { id: 'x', secretName: NAME, checkId: 'rotation-failed', status: 'retrying', openedAt: T0, attempts: 1, attemptStarted: false, lastError: { code: 'InvalidDBInstanceId.NotFound' } };
    expect(encodeState({ episodes: [e] }).value).not.toContain('InvalidDBInstanceId');
  });
});
