/**
 * Every tag the product writes fits what KMS documents (tag-alphabet.ts), whatever the state and
 * whatever text the cloud handed us (unicode, control characters, the old separators), and what
 * the tags keep reads back unchanged.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import type { Episode } from '../../shared/domain/episode';
import {
  decodeMessage,
  decodeState,
  encodeMessage,
  encodeState,
  MAX_STATE_TAG_KEY_LENGTH,
  MESSAGE_TAG_SUFFIX,
  type SecretState,
} from '../../shared/domain/episode-tag';
import { episodeIdFor } from '../../shared/domain/ids';
import { keptMessage, MESSAGE_BYTE_LIMIT } from '../../shared/domain/message-tag';
import { KNOWN_ERROR_CODES } from '../../shared/domain/retry-policy';
import { MAX_STORED_ATTEMPTS } from '../../shared/domain/state-tag-fields';
import { TAG_KEY_PATTERN, TAG_VALUE_PATTERN } from '../../shared/domain/tag-alphabet';
import { CHECK_IDS } from '../../shared/domain/types';
import { T0 } from '../helpers/fakes';

/** The documented pattern written out again, so a change to the constant cannot pass unnoticed. */
const DOCUMENTED = /^[A-Za-z0-9/\\_.+=:@-]{0,128}$/;

const NAME = 'acs/rds/orders';
const sec = (n: number) => n * 1000;
/** Text as hostile as the cloud's: any code point, controls, the first release's separators. */
const anyText = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: fc.constantFrom(...';,#@+=: \t\n\u0000\u200e\u2028é密码/\\'.split('')), maxLength }),
    fc.stringMatching(/^[A-Za-z][A-Za-z0-9.:_-]{0,60}$/),
  );

const episodeArb: fc.Arbitrary<Episode> = fc
  .record({
    checkId: fc.constantFrom(...CHECK_IDS),
    status: fc.constantFrom('opened', 'retrying', 'escalated', 'resolved' as const),
    opened: fc.integer({ min: T0 / 1000 - 40_000_000, max: T0 / 1000 + 40_000_000 }),
    attempts: fc.integer({ min: 0, max: MAX_STORED_ATTEMPTS }),
    attemptStarted: fc.boolean(),
    lastAttempt: fc.option(fc.integer({ min: -100_000, max: 30_000_000 }), { nil: undefined }),
    code: fc.option(fc.oneof(fc.constantFrom(...KNOWN_ERROR_CODES.map((k) => k.code)), anyText(60)), {
      nil: undefined,
    }),
    next: fc.option(fc.integer({ min: -100_000, max: 30_000_000 }), { nil: undefined }),
    alert: fc.option(
      fc.record({
        stage: fc.constantFrom('open', 'escalate', 'remind', 'resolve' as const),
        delivery: fc.constantFrom('queued', 'sending', 'delivered' as const),
        at: fc.integer({ min: -100_000, max: 30_000_000 }),
      }),
      { nil: undefined },
    ),
    cause: fc.option(anyText(70), { nil: undefined }),
    ms: fc.integer({ min: 0, max: 999 }),
  })
  .map((r) => {
    // Times arrive with milliseconds; the tag keeps whole seconds.
    const openedAt = sec(r.opened) + r.ms;
    const e: Episode = {
      id: episodeIdFor(NAME, r.checkId, openedAt),
      secretName: NAME,
      checkId: r.checkId,
      status: r.status,
      openedAt,
      attempts: r.attempts,
      attemptStarted: r.attemptStarted,
    };
    if (r.lastAttempt !== undefined) e.lastAttemptAt = openedAt + sec(r.lastAttempt) + r.ms;
    if (r.code !== undefined) e.lastError = { code: r.code, message: 'not stored here' };
    if (r.next !== undefined) e.nextActionAt = openedAt + sec(r.next);
    if (r.alert) e.alert = { stage: r.alert.stage, delivery: r.alert.delivery, at: openedAt + sec(r.alert.at) };
    if (r.cause !== undefined) e.cause = r.cause;
    return e;
  });

const stateArb: fc.Arbitrary<SecretState> = fc.record(
  {
    rotationStartedAt: fc.integer({ min: sec(T0 / 1000 - 1_000_000), max: T0 + 999 }),
    episodes: fc.array(episodeArb, { maxLength: 5 }),
    errorMessage: anyText(300),
  },
  { requiredKeys: ['episodes'] },
);

const floor = (ms: number) => Math.floor(ms / 1000) * 1000;
const KNOWN = new Set(KNOWN_ERROR_CODES.map((k) => k.code));
const clean = (text: string) => text.replace(/[^A-Za-z0-9._/:-]/g, '');

/** What the state tag keeps of an episode: whole seconds, error codes and causes cut to their alphabet and length, no message. */
function kept(e: Episode): Episode {
  const openedAt = floor(e.openedAt);
  const out: Episode = { ...e, id: episodeIdFor(NAME, e.checkId, openedAt), openedAt };
  const keep = <K extends 'lastAttemptAt' | 'nextActionAt'>(key: K) => {
    if (e[key] !== undefined) out[key] = floor(e[key]);
  };
  keep('lastAttemptAt');
  keep('nextActionAt');
  if (e.alert) out.alert = { ...e.alert, at: floor(e.alert.at) };
  delete out.lastError;
  const code = e.lastError && (KNOWN.has(e.lastError.code) ? e.lastError.code : clean(e.lastError.code).slice(0, 40));
  if (code) out.lastError = { code };
  delete out.cause;
  const cause = e.cause === undefined ? '' : clean(e.cause).slice(0, 48);
  if (cause) out.cause = cause;
  return out;
}

const stored = (e: Episode) => !(e.status === 'resolved' && (!e.alert || e.alert.delivery === 'delivered'));
/** Equal as plain data: key order and absent-versus-undefined do not count. */
const same = (a: unknown, b: unknown) =>
  isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
const key = (e: Episode) => `${e.checkId}|${e.openedAt}|${e.status}|${e.attempts}|${e.alert?.at}`;

describe('the tags the product writes', () => {
  it('are checked against the documented pattern, which the shared constant states', () => {
    expect(TAG_VALUE_PATTERN.source).toBe(DOCUMENTED.source);
    for (const ok of ['', 'a/b\\c_d-e.f+g=h:i@j', 'x'.repeat(128)]) expect(ok).toMatch(TAG_VALUE_PATTERN);
    for (const bad of ['a;b', 'a,b', 'a#b', 'a b', 'é', 'x'.repeat(129)]) expect(bad).not.toMatch(TAG_VALUE_PATTERN);
    for (const bad of ['', 'aliyun-x', 'acs:x']) expect(bad).not.toMatch(TAG_KEY_PATTERN);
  });

  it('fit the documented alphabet and length for any state and any message, and read back what they keep', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const { value, dropped } = encodeState(state, NAME);
        const message = encodeMessage(state);
        for (const written of [value, message]) if (written !== undefined) expect(written).toMatch(DOCUMENTED);
        if (value === undefined) {
          expect(state.episodes.filter(stored)).toEqual([]);
          expect(state.rotationStartedAt).toBeUndefined();
          return;
        }
        const decoded = decodeState(value, NAME);
        expect(decoded.warning).toBeUndefined();
        expect(decoded.state.rotationStartedAt).toEqual(
          state.rotationStartedAt === undefined ? undefined : floor(state.rotationStartedAt),
        );
        // Every episode kept is read back as kept; a delivered one may have lost its cause to make room.
        const expected = state.episodes.filter(stored).map(kept);
        expect(decoded.state.episodes.length + dropped.length).toBe(expected.length);
        for (const e of decoded.state.episodes) {
          const candidates = expected.filter((x) => key(x) === key(e));
          const lostCause = (x: Episode) => x.alert?.delivery === 'delivered' && e.cause === undefined;
          expect(candidates.some((x) => same(lostCause(x) ? { ...x, cause: undefined } : x, e))).toBe(true);
        }
        if (message !== undefined) expect(decodeMessage(message)).toBe(keptMessage(state.errorMessage!));
      }),
      { numRuns: 1000 },
    );
  });

  it('keep a bounded, printable message', () => {
    fc.assert(
      fc.property(anyText(400), (text) => {
        const kept = keptMessage(text);
        if (kept === undefined) return;
        expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(MESSAGE_BYTE_LIMIT);
        expect(kept).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]|\s\s|^\s|\s$/u);
        expect(keptMessage(kept)).toBe(kept);
      }),
      { numRuns: 1000 },
    );
    expect(keptMessage('Instance\tbusy;\n try again')).toBe('Instance busy; try again');
    expect(keptMessage(' \u0000\u200e ')).toBeUndefined();
    expect(keptMessage('密'.repeat(40))).toBe('密'.repeat(31));
  });

  it('use keys that fit, for every state tag key the configuration accepts', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^kro-[A-Za-z0-9_.:/-]{1,120}$/), (stateKey) => {
        expect(stateKey).toMatch(TAG_KEY_PATTERN);
        expect(stateKey + MESSAGE_TAG_SUFFIX).toMatch(TAG_KEY_PATTERN);
      }),
    );
    const longest = `kro-${'x'.repeat(MAX_STATE_TAG_KEY_LENGTH - 4)}`;
    expect(loadConfig({ KRO_STATE_TAG_KEY: longest }).stateTagKey).toBe(longest);
    expect(() => loadConfig({ KRO_STATE_TAG_KEY: `${longest}x` })).toThrow(/KRO_STATE_TAG_KEY/);
    expect(loadConfig({}).stateTagKey + MESSAGE_TAG_SUFFIX).toMatch(TAG_KEY_PATTERN);
  });

  it('never store an attempt count the configuration cannot produce', () => {
    expect(loadConfig({ KRO_RETRY_MAX_ATTEMPTS: String(MAX_STORED_ATTEMPTS) }).retry.maxAttempts).toBe(
      MAX_STORED_ATTEMPTS,
    );
    expect(() => loadConfig({ KRO_RETRY_MAX_ATTEMPTS: String(MAX_STORED_ATTEMPTS + 1) })).toThrow(
      /KRO_RETRY_MAX_ATTEMPTS/,
    );
  });
});
