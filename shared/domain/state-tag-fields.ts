/**
 * The fields of one episode inside the state tag, shared by both versions of the format: they
 * differ only in their separators and in the marker of a known error code (episode-tag.ts header).
 * Decoding is strict: a field that this code could not have written throws, and the caller reads
 * the whole tag as no state.
 */
import { CHECKS, checkOfTagCode } from './check-catalog';
import type { AlertDelivery, AlertStage, Episode, EpisodeStatus } from './episode';
import { episodeIdFor } from './ids';
import { KNOWN_ERROR_CODES } from './retry-policy';

/**
 * KRO_RETRY_MAX_ATTEMPTS accepts at most 20 (config.ts, kept in step by a test), and an episode
 * never counts past its limit: a larger count was not written by the orchestrator (a corrupted
 * tag once decoded to "attempts: 99" and sent a recovery alert for an episode that never existed).
 */
export const MAX_STORED_ATTEMPTS = 20;
/** Raw error codes and causes are cut to these lengths; known codes take two or three characters. */
export const ERROR_CODE_LIMIT = 40;
export const CAUSE_LIMIT = 48;

const STATUS: Record<EpisodeStatus, string> = { opened: 'o', retrying: 'r', escalated: 'e', resolved: 'x' };
const STAGE: Record<AlertStage, string> = { open: 'o', escalate: 'e', remind: 'm', resolve: 'r' };
const DELIVERY: Record<AlertDelivery, string> = { queued: 'q', sending: 's', delivered: 'd' };
const invert = <K extends string>(m: Record<K, string>) =>
  new Map(Object.entries(m).map(([k, v]) => [v as string, k as K]));
const STATUS_OF = invert(STATUS);
const STAGE_OF = invert(STAGE);
const DELIVERY_OF = invert(DELIVERY);
const KNOWN_INDEX = new Map(KNOWN_ERROR_CODES.map((k, i) => [k.code, i]));

/** What a raw error code or cause keeps: characters that are neither a separator nor outside the tag alphabet. */
export const cleanField = (text: string) => text.replace(/[^A-Za-z0-9._/:-]/g, '');
const RAW_FIELD = /^[A-Za-z0-9._/:-]+$/;

const b36 = (seconds: number) => Math.round(seconds).toString(36);
const sec = (ms: number) => Math.floor(ms / 1000);

/** What differs inside the fields between versions: the marker of a known error code (the caller splits on its separators). */
export interface FieldSyntax {
  knownErrorMarker: string;
}

function encodeError(code: string | undefined, syntax: FieldSyntax): string {
  if (!code) return '';
  const known = KNOWN_INDEX.get(code);
  return known !== undefined
    ? `${syntax.knownErrorMarker}${known.toString(36)}`
    : cleanField(code).slice(0, ERROR_CODE_LIMIT);
}

/** The fields of one episode, trailing empty ones included (the caller joins and trims them). */
export function encodeEpisodeFields(e: Episode, withCause: boolean, syntax: FieldSyntax): string[] {
  const base = sec(e.openedAt);
  const offset = (ms: number | undefined) => (ms === undefined ? '' : b36(sec(ms) - base));
  const alert = e.alert ? `${STAGE[e.alert.stage]}${DELIVERY[e.alert.delivery]}${offset(e.alert.at)}` : '';
  return [
    CHECKS[e.checkId].tagCode,
    STATUS[e.status],
    b36(base),
    `${e.attempts}${e.attemptStarted ? 's' : ''}`,
    offset(e.lastAttemptAt),
    encodeError(e.lastError?.code, syntax),
    offset(e.nextActionAt),
    alert,
    withCause && e.cause ? cleanField(e.cause).slice(0, CAUSE_LIMIT) : '',
  ];
}

/** Base36 seconds. Seven digits reach the year 4400: a longer value is corrupt, and would decode to a time Date cannot print. */
export const parse36 = (text: string) => {
  if (!/^-?[0-9a-z]{1,7}$/.test(text)) throw new Error(`not base36: "${text}"`);
  return parseInt(text, 36);
};

const parseAttempts = (text: string) => {
  if (!/^[0-9]{1,2}$/.test(text) || Number(text) > MAX_STORED_ATTEMPTS) throw new Error(`bad attempt count "${text}"`);
  return Number(text);
};

export function decodeEpisodeFields(fields: string[], secretName: string, syntax: FieldSyntax): Episode {
  if (fields.length > 9) throw new Error(`too many fields in episode "${fields.join(' ')}"`);
  const [
    check = '',
    status = '',
    opened = '',
    attempts = '',
    lastAttempt = '',
    error = '',
    next = '',
    alert = '',
    cause = '',
  ] = fields;
  const checkId = checkOfTagCode(check);
  const st = STATUS_OF.get(status);
  if (!checkId || !st) throw new Error(`bad check or status "${check}" "${status}"`);
  const base = parse36(opened);
  const at = (offset: string) => (offset === '' ? undefined : (base + parse36(offset)) * 1000);
  const started = attempts.endsWith('s');
  let code: string | undefined;
  if (error.startsWith(syntax.knownErrorMarker)) {
    code = KNOWN_ERROR_CODES[parse36(error.slice(syntax.knownErrorMarker.length))]?.code;
    if (!code) throw new Error(`unknown error index "${error}"`);
  } else if (error) {
    if (!RAW_FIELD.test(error) || error.length > ERROR_CODE_LIMIT) throw new Error(`bad error code "${error}"`);
    code = error;
  }
  let decodedAlert: Episode['alert'];
  if (alert) {
    const stage = STAGE_OF.get(alert[0] ?? '');
    const delivery = DELIVERY_OF.get(alert[1] ?? '');
    const when = at(alert.slice(2));
    if (!stage || !delivery || when === undefined) throw new Error(`bad alert "${alert}"`);
    decodedAlert = { stage, delivery, at: when };
  }
  if (cause && (!RAW_FIELD.test(cause) || cause.length > CAUSE_LIMIT)) throw new Error(`bad cause "${cause}"`);
  const episode: Episode = {
    id: episodeIdFor(secretName, checkId, base * 1000),
    secretName,
    checkId,
    status: st,
    openedAt: base * 1000,
    attempts: parseAttempts(started ? attempts.slice(0, -1) : attempts || '0'),
    attemptStarted: started,
  };
  const lastAttemptAt = at(lastAttempt);
  const nextActionAt = at(next);
  if (lastAttemptAt !== undefined) episode.lastAttemptAt = lastAttemptAt;
  if (code) episode.lastError = { code };
  if (nextActionAt !== undefined) episode.nextActionAt = nextActionAt;
  if (decodedAlert) episode.alert = decodedAlert;
  if (cause) episode.cause = cause;
  return episode;
}
