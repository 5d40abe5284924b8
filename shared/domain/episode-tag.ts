/**
 * The orchestrator's state for one secret, kept on the secret as ONE tag (key config.stateTagKey)
 * whose value is at most 128 characters. Format, version 1:
 *
 *   1:<rotationStartedAt>;<episode>;<episode>...
 *   episode = check,status,openedAt,attempts[s],lastAttempt,error,nextAction,alert,cause
 *
 * - times are seconds in base36; openedAt is absolute, the others are offsets from openedAt
 * - check: its tagCode in check-catalog.ts; status: o opened, r retrying, e escalated, x resolved
 * - attempts in decimal, with `s` when the last attempt has begun and has no outcome yet (write-ahead)
 * - error: `#<n>` for the n-th known code of retry-policy.ts, else the raw code; messages are never stored
 * - alert: stage (o open, e escalate, m remind, r resolve) + delivery (q queued, s sending, d delivered) + offset
 * - cause: `t<target>` (a rotation target such as an RDS instance id) or `c<error code>`
 * Episode ids are derived from the secret name, check and openedAt, so they are not stored.
 * When the value would exceed 128 characters, causes of delivered episodes go first, then whole
 * episodes with the lowest priority (the caller logs what was dropped).
 */
import { CHECKS, checkOfTagCode, isFailureCheck } from './check-catalog';
import type { AlertDelivery, AlertStage, Episode, EpisodeStatus } from './episode';
import { KNOWN_ERROR_CODES } from './retry-policy';
import { episodeIdFor } from './ids';

export const STATE_TAG_VERSION = '1';
export const TAG_VALUE_LIMIT = 128;

export interface SecretState {
  /** A rotation seen to start (RotateSecret call) and not yet seen to finish. */
  rotationStartedAt?: number;
  episodes: Episode[];
  /**
   * The last rotation error's message, scrubbed, for the alerts. It does not fit the state tag, so
   * it lives in a second tag `<stateTagKey>-msg` while an open episode has an error.
   */
  errorMessage?: string;
}

export const MESSAGE_TAG_SUFFIX = '-msg';

/** The message tag's value: printable text within the tag value limit, only while it is useful. */
export function encodeMessage(state: SecretState): string | undefined {
  if (!state.errorMessage || !state.episodes.some((e) => e.status !== 'resolved' && e.lastError)) return undefined;
  const text = state.errorMessage.replace(/[^\x20-\x7e]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, TAG_VALUE_LIMIT);
  return text || undefined;
}

const STATUS: Record<EpisodeStatus, string> = { opened: 'o', retrying: 'r', escalated: 'e', resolved: 'x' };
const STAGE: Record<AlertStage, string> = { open: 'o', escalate: 'e', remind: 'm', resolve: 'r' };
const DELIVERY: Record<AlertDelivery, string> = { queued: 'q', sending: 's', delivered: 'd' };
const invert = <K extends string>(m: Record<K, string>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [v, k])) as Record<string, K>;
const STATUS_OF = invert(STATUS);
const STAGE_OF = invert(STAGE);
const DELIVERY_OF = invert(DELIVERY);
const KNOWN_INDEX = new Map(KNOWN_ERROR_CODES.map((k, i) => [k.code, i]));

const b36 = (seconds: number) => Math.round(seconds).toString(36);
const sec = (ms: number) => Math.floor(ms / 1000);
const clean = (text: string) => text.replace(/[^A-Za-z0-9._/:-]/g, '');

function encodeError(code: string | undefined): string {
  if (!code) return '';
  const known = KNOWN_INDEX.get(code);
  return known !== undefined ? `#${known.toString(36)}` : clean(code).slice(0, 40);
}

function encodeEpisode(e: Episode, withCause: boolean): string {
  const base = sec(e.openedAt);
  const offset = (ms: number | undefined) => (ms === undefined ? '' : b36(sec(ms) - base));
  const alert = e.alert ? `${STAGE[e.alert.stage]}${DELIVERY[e.alert.delivery]}${offset(e.alert.at)}` : '';
  return [
    CHECKS[e.checkId].tagCode,
    STATUS[e.status],
    b36(base),
    `${e.attempts}${e.attemptStarted ? 's' : ''}`,
    offset(e.lastAttemptAt),
    encodeError(e.lastError?.code),
    offset(e.nextActionAt),
    alert,
    withCause && e.cause ? clean(e.cause).slice(0, 48) : '',
  ].join(',').replace(/,+$/, '');
}

/** Higher keeps its place when the value must shrink: undelivered alerts, then open critical work. */
function priority(e: Episode): number {
  let p = 0;
  if (e.alert && e.alert.delivery !== 'delivered') p += 4;
  if (e.status !== 'resolved') p += 2;
  if (isFailureCheck(e.checkId)) p += 1;
  return p;
}

export interface EncodedState {
  /** undefined: no state left, remove the tag. */
  value: string | undefined;
  dropped: Episode[];
}

export function encodeState(state: SecretState): EncodedState {
  const episodes = state.episodes.filter((e) => !(e.status === 'resolved' && (!e.alert || e.alert.delivery === 'delivered')));
  if (episodes.length === 0 && state.rotationStartedAt === undefined) return { value: undefined, dropped: [] };
  const head = `${STATE_TAG_VERSION}:${state.rotationStartedAt === undefined ? '' : b36(sec(state.rotationStartedAt))}`;
  const ordered = [...episodes].sort((a, b) => priority(b) - priority(a));
  const render = (list: Episode[], causes: boolean) => [head, ...list.map((e) => encodeEpisode(e, causes || e.alert?.delivery !== 'delivered'))].join(';');
  for (const causes of [true, false]) {
    const value = render(ordered, causes);
    if (value.length <= TAG_VALUE_LIMIT) return { value, dropped: [] };
  }
  const kept: Episode[] = [];
  const dropped: Episode[] = [];
  for (const e of ordered) (render([...kept, e], false).length <= TAG_VALUE_LIMIT ? kept : dropped).push(e);
  return { value: render(kept, false), dropped };
}

export interface DecodedState {
  state: SecretState;
  /** Set when the value was malformed: the state is then empty. */
  warning?: string;
}

// Seven digits reach the year 4400; a longer value is corrupt, and would decode to a time that
// Date cannot print (an alert's toISOString() would then throw for the whole pass).
const parse36 = (text: string) => {
  if (!/^-?[0-9a-z]{1,7}$/.test(text)) throw new Error(`not base36: "${text}"`);
  return parseInt(text, 36);
};

const parseDecimal = (text: string) => {
  if (!/^[0-9]{1,4}$/.test(text)) throw new Error(`bad attempt count "${text}"`);
  return Number(text);
};

function decodeEpisode(text: string, secretName: string): Episode {
  const [check = '', status = '', opened = '', attempts = '', lastAttempt = '', error = '', next = '', alert = '', cause = ''] = text.split(',');
  const checkId = checkOfTagCode(check);
  const st = STATUS_OF[status];
  if (!checkId || check.length !== 1 || !st) throw new Error(`bad check or status in "${text}"`);
  const base = parse36(opened);
  const at = (offset: string) => (offset === '' ? undefined : (base + parse36(offset)) * 1000);
  const started = attempts.endsWith('s');
  let code: string | undefined;
  if (error.startsWith('#')) {
    code = KNOWN_ERROR_CODES[parse36(error.slice(1))]?.code;
    if (!code) throw new Error(`unknown error index "${error}"`);
  } else if (error) code = error;
  let decodedAlert: Episode['alert'];
  if (alert) {
    const stage = STAGE_OF[alert[0] ?? ''];
    const delivery = DELIVERY_OF[alert[1] ?? ''];
    const when = at(alert.slice(2));
    if (!stage || !delivery || when === undefined) throw new Error(`bad alert "${alert}"`);
    decodedAlert = { stage, delivery, at: when };
  }
  const episode: Episode = {
    id: episodeIdFor(secretName, checkId, base * 1000),
    secretName,
    checkId,
    status: st,
    openedAt: base * 1000,
    attempts: parseDecimal(started ? attempts.slice(0, -1) : attempts || '0'),
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

/** Never throws: a malformed value is no state plus a warning (the next pass rewrites it). */
export function decodeState(value: string | undefined, secretName: string): DecodedState {
  if (value === undefined || value === '') return { state: { episodes: [] } };
  try {
    const [head = '', ...rest] = value.split(';');
    const [version, started = ''] = head.split(':');
    if (version !== STATE_TAG_VERSION || head.split(':').length !== 2) throw new Error(`unsupported version "${version}"`);
    const state: SecretState = { episodes: rest.map((e) => decodeEpisode(e, secretName)) };
    if (started) state.rotationStartedAt = parse36(started) * 1000;
    return { state };
  } catch (error) {
    return { state: { episodes: [] }, warning: `malformed state tag ignored: ${(error as Error).message}` };
  }
}
