import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, type SecretState } from '../../shared/domain/episode-tag';
import type { Episode } from '../../shared/domain/episode';
import { encodeMessageText, MESSAGE_BYTE_LIMIT } from '../../shared/domain/message-tag';
import { TAG_VALUE_PATTERN } from '../../shared/domain/tag-alphabet';
import { T0 } from '../helpers/fakes';

const failing: Episode = {
  id: 'e1',
  secretName: 'rds/orders',
  checkId: 'rotation-failed',
  status: 'retrying',
  openedAt: T0,
  attempts: 1,
  attemptStarted: false,
  lastError: { code: 'IncorrectDBInstanceState' },
};

describe('the message tag', () => {
  it('stores the message as base64 that fits the tag alphabet, and reads it back', () => {
    const state: SecretState = {
      episodes: [failing],
      errorMessage: 'The instance is busy; try again, #3 \u5b9e\u4f8b\u6b63\u5fd9',
    };
    const value = encodeMessage(state)!;
    expect(value).toMatch(/^2:[A-Za-z0-9+/]+=*$/);
    expect(value).toMatch(TAG_VALUE_PATTERN);
    expect(decodeMessage(value)).toBe(state.errorMessage);
  });

  it('is written only while an open episode has an error to explain', () => {
    expect(encodeMessage({ episodes: [{ ...failing, status: 'resolved' }], errorMessage: 'x' })).toBeUndefined();
    expect(encodeMessage({ episodes: [{ ...failing, lastError: undefined }], errorMessage: 'x' })).toBeUndefined();
    expect(encodeMessage({ episodes: [failing], errorMessage: ' \n\t ' })).toBeUndefined();
  });

  it('cuts a long message on a character boundary within the limit', () => {
    const value = encodeMessageText('\u5bc6'.repeat(100))!;
    expect(value.length).toBeLessThanOrEqual(128);
    expect(decodeMessage(value)).toBe('\u5bc6'.repeat(MESSAGE_BYTE_LIMIT / 3));
  });

  it('still reads the first release\u2019s printable text', () => {
    expect(decodeMessage('Specified instance does not exist or not support.')).toBe(
      'Specified instance does not exist or not support.',
    );
  });

  it.each([
    ['not base64', '2:not base64!'],
    ['base64 of invalid UTF-8', `2:${Buffer.from([0xff, 0xfe]).toString('base64')}`],
    ['base64 of text this product would have cleaned', `2:${Buffer.from('a\tb').toString('base64')}`],
    ['base64 of nothing', '2:'],
    ['control characters', 'line one\nline two'],
    ['no value', undefined],
  ])('reads %s as no message', (_, value) => {
    expect(decodeMessage(value)).toBeUndefined();
  });
});
