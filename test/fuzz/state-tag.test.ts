/**
 * Fuzzing the state tag decoder: the tag is outside input (anyone with TagResource can write it,
 * and an operator edits it in the console). Decoding never throws, and whatever it yields is a
 * sane episode: finite times a Date can print, a small attempt count, a known check and status.
 * Both formats are fuzzed: the first release's (`1:`, still read) and version 2 with a valid seal,
 * so the field parser is reached and not only the seal check.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeState, type SecretState } from '../../shared/domain/episode-tag';
import { CHECK_IDS } from '../../shared/domain/types';

const NAME = 'rds/orders';
/** Anything a Date can print: a corrupt offset must not become Infinity or year 275760+. */
const printable = (ms: number | undefined) =>
  ms === undefined || (Number.isSafeInteger(ms) && Math.abs(ms) <= 8.64e15 && !Number.isNaN(new Date(ms).getTime()));

function expectSane(state: SecretState): void {
  expect(printable(state.rotationStartedAt)).toBe(true);
  for (const e of state.episodes) {
    expect(CHECK_IDS).toContain(e.checkId);
    expect(['opened', 'retrying', 'escalated', 'resolved']).toContain(e.status);
    expect(Number.isSafeInteger(e.attempts) && e.attempts >= 0).toBe(true);
    for (const at of [e.openedAt, e.lastAttemptAt, e.nextActionAt, e.alert?.at])
      expect(printable(at), `time ${String(at)} in ${JSON.stringify(e)}`).toBe(true);
    expect(e.id).toMatch(/^[0-9a-f]{10}$/);
  }
}

const b36 = fc.oneof(
  fc.stringMatching(/^-?[0-9a-z]{1,8}$/),
  fc.stringMatching(/^[0-9a-z]{9,40}$/),
  fc.constantFrom('', 'zzzzzzzzzzzzzzz', '-zzzzzzzzzz', '0'),
);
const episodeText = fc
  .tuple(
    fc.oneof(fc.constantFrom(...'abcdefghi'.split('')), fc.string({ maxLength: 2 })),
    fc.oneof(fc.constantFrom('o', 'r', 'e', 'x'), fc.string({ maxLength: 2 })),
    b36,
    fc.oneof(fc.stringMatching(/^[0-9]{0,5}s?$/), fc.string({ maxLength: 4 })),
    b36,
    fc.oneof(fc.constant(''), fc.stringMatching(/^#[0-9a-z]{1,3}$/), fc.stringMatching(/^[A-Za-z.]{1,12}$/)),
    b36,
    fc.oneof(
      fc.constant(''),
      fc
        .tuple(fc.constantFrom('o', 'e', 'm', 'r', 'x'), fc.constantFrom('q', 's', 'd', 'z'), b36)
        .map((p) => p.join('')),
    ),
    fc.oneof(fc.constant(''), fc.stringMatching(/^[tc][a-z0-9:-]{0,20}$/)),
  )
  .map((fields) => fields.join(','));
/** The seal as episode-tag.ts documents it, computed independently. */
function sealed(rest: string): string {
  const n = createHash('sha256').update(`${NAME}\n2:${rest}`).digest().readUInt32BE(0);
  return `2:${(n % 36 ** 4).toString(36).padStart(4, '0')}:${rest}`;
}
/** Mostly well-formed fields with some wrong ones, so that sealed values reach every field's parser. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: bad, weight: 1 });
const v2Time = mostly(fc.oneof(fc.constant(''), fc.stringMatching(/^-?[0-9a-z]{1,6}$/)), b36);
const v2EpisodeText = fc
  .tuple(
    mostly(fc.constantFrom(...'abcdefghi'.split('')), fc.string({ maxLength: 2 })),
    mostly(fc.constantFrom('o', 'r', 'e', 'x'), fc.string({ maxLength: 2 })),
    mostly(fc.stringMatching(/^[0-9a-z]{1,6}$/), b36),
    mostly(fc.stringMatching(/^[0-9]{1,2}s?$/), fc.string({ maxLength: 4 })),
    v2Time,
    mostly(
      fc.oneof(fc.constant(''), fc.stringMatching(/^=[0-9a-z]{1,2}$/), fc.stringMatching(/^[A-Za-z.:]{1,12}$/)),
      fc.string({ maxLength: 4 }),
    ),
    v2Time,
    fc.oneof(
      fc.constant(''),
      fc
        .tuple(fc.constantFrom('o', 'e', 'm', 'r', 'x'), fc.constantFrom('q', 's', 'd', 'z'), v2Time)
        .map((p) => p.join('')),
    ),
    mostly(fc.oneof(fc.constant(''), fc.stringMatching(/^[tc]:[a-z0-9-]{1,12}$/)), fc.string({ maxLength: 4 })),
  )
  .map((fields) => fields.join('+'));
const v2TagText = fc
  .tuple(v2Time, fc.array(v2EpisodeText, { maxLength: 2 }))
  .map(([started, eps]) => sealed([started, ...eps].join('@')));
const tagText = fc
  .tuple(fc.oneof(fc.constant('1'), fc.string({ maxLength: 2 })), b36, fc.array(episodeText, { maxLength: 4 }))
  .map(([v, started, eps]) => [`${v}:${started}`, ...eps].join(';'));

describe('fuzzing the state tag decoder', () => {
  it('never throws on arbitrary text and yields only sane episodes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expectSane(decodeState(text, NAME).state);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on tag-shaped text (right separators, wrong fields) and yields only sane episodes', () => {
    fc.assert(
      fc.property(tagText, (text) => {
        const decoded = decodeState(text, NAME);
        expectSane(decoded.state);
        if (decoded.warning) expect(decoded.state.episodes).toEqual([]);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on sealed version 2 text with wrong fields, and yields only sane episodes', () => {
    let parsed = 0;
    fc.assert(
      fc.property(v2TagText, (text) => {
        const decoded = decodeState(text, NAME);
        expectSane(decoded.state);
        if (decoded.warning) expect(decoded.state.episodes).toEqual([]);
        else parsed += decoded.state.episodes.length;
      }),
      { numRuns: 3000, seed: 20261101 },
    );
    // The generator reaches the field parser: some values are well formed throughout.
    expect(parsed).toBeGreaterThan(0);
  });
});
