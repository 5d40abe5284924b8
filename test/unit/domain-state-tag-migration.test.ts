/**
 * Tags written by the first release (test/fixtures/state-tag-v1.json, produced by its encoder)
 * decode to the same episodes, and the next write turns them into version 2 values that KMS
 * accepts and that decode to the same episodes again.
 */
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/state-tag-v1.json';
import {
  decodeMessage,
  decodeState,
  encodeMessage,
  encodeState,
  type SecretState,
} from '../../shared/domain/episode-tag';
import { MESSAGE_BYTE_LIMIT } from '../../shared/domain/message-tag';
import { TAG_VALUE_PATTERN } from '../../shared/domain/tag-alphabet';

interface FixtureCase {
  name: string;
  secretName: string;
  tags: { state?: string; message?: string };
  dropped: string[];
  decodedState: SecretState;
}

const cases = fixture.cases as unknown as FixtureCase[];
const withoutMessage = ({ errorMessage: _, ...state }: SecretState): SecretState => state;
const byId = (state: SecretState) => [...state.episodes].sort((a, b) => a.id.localeCompare(b.id));

describe('state tags written by the first release', () => {
  it('covers every check, status, alert stage and delivery, and a message', () => {
    const episodes = cases.flatMap((c) => c.decodedState.episodes);
    expect(new Set(episodes.map((e) => e.checkId)).size).toBe(9);
    expect(new Set(episodes.map((e) => e.status))).toEqual(new Set(['opened', 'retrying', 'escalated', 'resolved']));
    expect(new Set(episodes.map((e) => `${e.alert?.stage}/${e.alert?.delivery}`)).size).toBe(11);
    expect(cases.filter((c) => c.tags.message).length).toBeGreaterThanOrEqual(2);
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: decodes to the same episodes', (_, c) => {
    const decoded = decodeState(c.tags.state, c.secretName);
    expect(decoded.warning).toBeUndefined();
    expect(decoded.version).toBe(1);
    expect(decoded.state).toEqual(withoutMessage(c.decodedState));
    expect(decodeMessage(c.tags.message)).toEqual(c.decodedState.errorMessage);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: is rewritten as version 2 with the same episodes', (_, c) => {
    const state = c.decodedState;
    const { value, dropped } = encodeState(state, c.secretName);
    expect(value).toMatch(/^2:/);
    expect(value).toMatch(TAG_VALUE_PATTERN);
    const again = decodeState(value, c.secretName);
    expect(again.version).toBe(2);
    if (c.dropped.length > 0) {
      // The first release had already dropped what did not fit; version 2 keeps the same first ones.
      expect(byId(again.state).length + dropped.length).toBe(state.episodes.length);
      for (const e of again.state.episodes) expect(state.episodes).toContainEqual(e);
    } else {
      expect(dropped).toEqual([]);
      expect(byId(again.state)).toEqual(byId(withoutMessage(state)));
      expect(again.state.rotationStartedAt).toEqual(state.rotationStartedAt);
    }
    const message = encodeMessage(state);
    if (message === undefined) return;
    expect(message).toMatch(TAG_VALUE_PATTERN);
    const text = decodeMessage(message)!;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MESSAGE_BYTE_LIMIT);
    expect(state.errorMessage!.startsWith(text)).toBe(true);
  });
});
