/**
 * The last rotation error's message, kept beside the state tag (key `<stateTagKey>-msg`) so that an
 * alert sent by a later invocation (the flush, a sweep, an escalation) still quotes it. Free text
 * never fits the tag alphabet KMS documents (a space is outside it), so version 2 stores the
 * message as base64 of its UTF-8 bytes, whose characters (letters, digits, + / =) all are inside:
 *
 *   2:<base64>          at most 93 bytes of text, so at most 2 + 124 = 126 characters
 *
 * What is kept is bounded and plain: control and invisible format characters become spaces, runs
 * of white space one space, and the text is cut on a character boundary. The caller scrubs the
 * message before it gets here (no credential reaches a tag); this only makes it fit. A value
 * without the `2:` prefix is the first release's printable-ASCII text and is still read.
 */
import { TAG_TEXT_LIMIT } from './tag-alphabet';

export const MESSAGE_TAG_SUFFIX = '-msg';
/** The message tag's key is the state tag's plus the suffix: both must fit the documented 128. */
export const MAX_STATE_TAG_KEY_LENGTH = TAG_TEXT_LIMIT - MESSAGE_TAG_SUFFIX.length;
const V2_PREFIX = '2:';
/** The longest text whose base64 (4 characters per 3 bytes, padded) fits with the prefix. */
export const MESSAGE_BYTE_LIMIT = Math.floor((TAG_TEXT_LIMIT - V2_PREFIX.length) / 4) * 3;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const LEGACY_TEXT = /^[\x20-\x7e]{1,128}$/;
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The part of a message the tag keeps; undefined when nothing printable is left. */
export function keptMessage(message: string): string | undefined {
  // Cs: a lone surrogate, which UTF-8 cannot carry.
  const plain = message
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  let kept = '';
  let bytes = 0;
  for (const char of plain) {
    bytes += utf8.encode(char).length;
    if (bytes > MESSAGE_BYTE_LIMIT) break;
    kept += char;
  }
  return kept.trimEnd() || undefined;
}

export function encodeMessageText(message: string): string | undefined {
  const kept = keptMessage(message);
  return kept === undefined ? undefined : V2_PREFIX + Buffer.from(kept, 'utf8').toString('base64');
}

/** The message a tag value holds (either version); undefined for a value this product did not write. */
export function decodeMessage(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!value.startsWith(V2_PREFIX)) return LEGACY_TEXT.test(value) ? value : undefined;
  const body = value.slice(V2_PREFIX.length);
  if (!BASE64.test(body) || value.length > TAG_TEXT_LIMIT) return undefined;
  try {
    const text = strictUtf8.decode(Buffer.from(body, 'base64'));
    // Only what encodeMessageText writes: a value it would write differently is not ours.
    return text !== '' && encodeMessageText(text) === value ? text : undefined;
  } catch {
    return undefined;
  }
}
