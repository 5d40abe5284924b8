import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeState,
  encodeState,
  parseOwnState,
  TAG_VALUE_LIMIT,
  type SecretState,
} from '../../shared/domain/episode-tag';
import { episodeIdFor } from '../../shared/domain/ids';
import type { Episode } from '../../shared/domain/episode';
import { KNOWN_ERROR_CODES } from '../../shared/domain/retry-policy';
import { CHECK_IDS } from '../../shared/domain/types';
import { TAG_VALUE_PATTERN } from '../../shared/domain/tag-alphabet';
import { T0 } from '../helpers/fakes';

const NAME = 'rds/orders';
const sec = (n: number) => n * 1000;

const episodeArb: fc.Arbitrary<Episode> = fc
  .record({
    checkId: fc.constantFrom(...CHECK_IDS),
    status: fc.constantFrom('opened', 'retrying', 'escalated', 'resolved' as const),
    opened: fc.integer({ min: T0 / 1000 - 10_000_000, max: T0 / 1000 + 10_000_000 }),
    attempts: fc.integer({ min: 0, max: 20 }),
    attemptStarted: fc.boolean(),
    lastAttempt: fc.option(fc.integer({ min: 0, max: 3_000_000 }), { nil: undefined }),
    code: fc.option(
      fc.oneof(
        fc.constantFrom(...KNOWN_ERROR_CODES.map((k) => k.code)),
        fc.stringMatching(/^[A-Z][A-Za-z0-9.]{0,20}$/),
      ),
      { nil: undefined },
    ),
    next: fc.option(fc.integer({ min: 0, max: 3_000_000 }), { nil: undefined }),
    alert: fc.option(
      fc.record({
        stage: fc.constantFrom('open', 'escalate', 'remind', 'resolve' as const),
        delivery: fc.constantFrom('queued', 'sending', 'delivered' as const),
        at: fc.integer({ min: 0, max: 3_000_000 }),
      }),
      { nil: undefined },
    ),
    cause: fc.option(fc.stringMatching(/^[tc]:[a-z0-9-]{1,16}$/), { nil: undefined }),
  })
  .map((r) => {
    const openedAt = sec(r.opened);
    const e: Episode = {
      id: episodeIdFor(NAME, r.checkId, openedAt),
      secretName: NAME,
      checkId: r.checkId,
      status: r.status,
      openedAt,
      attempts: r.attempts,
      attemptStarted: r.attemptStarted,
    };
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

const encoded = (state: SecretState, name = NAME) => encodeState(state, name).value!;

describe('the state tag codec (version 2)', () => {
  it('round-trips every state that fits, within the documented alphabet and 128 characters', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const { value, dropped } = encodeState(state, NAME);
        if (value === undefined) return state.episodes.length === 0 && state.rotationStartedAt === undefined;
        expect(value).toMatch(TAG_VALUE_PATTERN);
        expect(value.length).toBeLessThanOrEqual(TAG_VALUE_LIMIT);
        const decoded = decodeState(value, NAME);
        expect(decoded.warning).toBeUndefined();
        expect(decoded.version).toBe(2);
        if (dropped.length === 0) {
          // Short of room the encoder may leave a cause out; a cause it keeps must come back exact.
          const kept = new Map(decoded.state.episodes.map((e) => [e.id, e.cause]));
          const expected = {
            ...state,
            episodes: state.episodes.map(({ cause, ...e }) => (kept.get(e.id) === undefined ? e : { ...e, cause })),
          };
          expect(normalise(decoded.state)).toEqual(normalise(expected));
        }
        return true;
      }),
      { numRuns: 500, seed: -938969299 },
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
    const { value, dropped } = encodeState({ episodes }, NAME);
    expect(value!.length).toBeLessThanOrEqual(TAG_VALUE_LIMIT);
    expect(dropped.length).toBeGreaterThan(0);
    const kept = decodeState(value, NAME).state.episodes;
    expect(kept.length + dropped.length).toBe(CHECK_IDS.length);
    // Rotation failures keep their place before policy warnings.
    expect(kept.map((e) => e.checkId)).toEqual(['rotation-failed', 'rotation-overdue']);
  });

  it('removes the tag when nothing is left', () => {
    expect(encodeState({ episodes: [] }, NAME).value).toBeUndefined();
  });

  it('writes the format its header documents', () => {
    const e: Episode = {
      id: episodeIdFor(NAME, 'rotation-failed', T0),
      secretName: NAME,
      checkId: 'rotation-failed',
      status: 'retrying',
      openedAt: T0,
      attempts: 2,
      attemptStarted: true,
      lastAttemptAt: T0 + 600_000,
      lastError: { code: 'InternalFailure' },
      nextActionAt: T0 + 1_800_000,
      alert: { stage: 'open', delivery: 'delivered', at: T0 },
      cause: 't:rm-bp1orders01',
    };
    // Exact values: the seal is stored data too, so changing how it is computed orphans every tag.
    expect(encoded({ episodes: [e] })).toBe('2:w9pt:@a+r+tnsqo0+2s+go+=2+1e0+od0+t:rm-bp1orders01');
    expect(encoded({ episodes: [], rotationStartedAt: T0 })).toBe('2:n2lq:tnsqo0');
  });

  it('uses a short code for a known error', () => {
    const e: Episode = {
      id: 'x',
      secretName: NAME,
      checkId: 'rotation-failed',
      status: 'retrying',
      openedAt: T0,
      attempts: 1,
      attemptStarted: false,
      lastError: { code: 'InvalidDBInstanceId.NotFound' },
    };
    expect(encoded({ episodes: [e] })).not.toContain('InvalidDBInstanceId');
  });

  it('pins the short codes of known errors (stored in tags: append, never reorder)', () => {
    expect(KNOWN_ERROR_CODES.slice(0, 22).map((k) => k.code)).toEqual([
      'Rejected.Throttling',
      'Throttling',
      'InternalFailure',
      'InternalError',
      'ServiceUnavailableTemporary',
      'ServiceUnavailable',
      'Rejected.RotationInProgress',
      'OperationDenied.DBInstanceStatus',
      'IncorrectDBInstanceState',
      'InvalidDBInstanceId.NotFound',
      'InvalidAccountName.NotFound',
      'EntityNotExist.User',
      'InvalidInstanceId.NotFound',
      'Forbidden.NoPermission',
      'Forbidden.InDebt',
      'Forbidden.InDebtOverdue',
      'InvalidParameter',
      'Rejected.Unavailable',
      'Forbidden.ResourceNotFound',
      'RotationTimeout',
      'VerificationFailed',
      'RemediationFailed',
    ]);
  });
});

describe('telling our state from anything else', () => {
  const oneEpisode: SecretState = {
    episodes: [
      {
        id: episodeIdFor(NAME, 'rotation-failed', T0),
        secretName: NAME,
        checkId: 'rotation-failed',
        status: 'resolved',
        openedAt: T0,
        attempts: 3,
        attemptStarted: false,
        alert: { stage: 'resolve', delivery: 'queued', at: T0 + 60_000 },
      },
    ],
  };

  it('parses a value it wrote for this secret', () => {
    expect(parseOwnState(encoded(oneEpisode), NAME)).toEqual(oneEpisode);
  });

  it.each([
    ['a user value', 'production'],
    ['free text', 'owned by team a; rotate monthly'],
    ['a future version', '3:abcd:@a+o+tnsqo0'],
    ['a version 2 value without its seal', '2:@a+x+tnsqo0+99++++rq0'],
    ['a version 2 value with a wrong seal', '2:0000:@a+x+tnsqo0+3++++rq1o'],
    ['a version 1 head only half there', '1:zz:zz'],
    ['version 1 with an attempt count no release writes', '1:;a,x,tnsqo0,99,,,,rq0'],
    ['version 1 with an unknown check', '1:;z,o,1'],
    ['version 1 with an unknown status', '1:;a,q,1'],
    ['version 1 with a bad time', '1:;a,o,!!'],
    ['version 1 with an unknown error index', '1:;a,o,1,0,,#zz'],
    ['version 1 with a bad alert', '1:;a,o,1,0,,,,xx'],
    ['version 1 with too many fields', '1:;a,o,1,0,,,,,,,'],
    ['separators only', ';;;'],
  ])('reads %s as no state, with a warning', (_, value) => {
    const decoded = decodeState(value, NAME);
    expect(decoded.state.episodes).toEqual([]);
    expect(decoded.warning).toMatch(/not ours/);
    expect(parseOwnState(value, NAME)).toBeUndefined();
  });

  it('reads no tag as no state without a warning', () => {
    expect(decodeState(undefined, NAME)).toEqual({ state: { episodes: [] } });
    expect(parseOwnState('', NAME)).toBeUndefined();
  });

  it('refuses a value copied from another secret', () => {
    expect(parseOwnState(encoded(oneEpisode, 'rds/other'), NAME)).toBeUndefined();
  });

  it('refuses any one-character edit of a value it wrote (the corrupted tag that once paged "attempts: 99")', () => {
    const value = encoded(oneEpisode);
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/\\_-.+=:@';
    fc.assert(
      fc.property(fc.nat(value.length - 1), fc.constantFrom(...alphabet.split('')), (at, char) => {
        fc.pre(value[at] !== char);
        expect(parseOwnState(value.slice(0, at) + char + value.slice(at + 1), NAME)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => Array.isArray(decodeState(text, NAME).state.episodes)),
    );
  });
});
