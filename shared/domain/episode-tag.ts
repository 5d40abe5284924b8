/**
 * The orchestrator's state for one secret, kept on the secret as ONE tag (key config.stateTagKey)
 * whose value fits what KMS documents for tag values (tag-alphabet.ts: at most 128 characters,
 * letters, digits and / \ _ - . + = : @). Format, version 2:
 *
 *   2:<seal>:<rotationStartedAt>@<episode>@<episode>...
 *   episode = check+status+openedAt+attempts[s]+lastAttempt+error+nextAction+alert+cause
 *
 * - `@` separates episodes, `+` fields; neither occurs inside a field, so nothing is escaped.
 *   Trailing empty fields are left out.
 * - seal: the first 32 bits of SHA-256 over `<secret name>\n2:<rest>` (rest: all after the seal's
 *   colon), modulo 36^4, as four base36 digits. A value whose seal does not match (edited by hand,
 *   corrupted, copied from another secret, or any other tag under our key) is not ours: it decodes
 *   as no state and never produces an alert. It detects; it does not authenticate.
 * - times are seconds in base36; openedAt is absolute, the others are offsets from it (`-` when
 *   earlier); rotationStartedAt is absolute, empty when no rotation is in flight.
 * - check: its tagCode in check-catalog.ts (a letter pinned by a test, never a position in a list).
 * - status: o opened, r retrying, e escalated, x resolved.
 * - attempts in decimal (at most 20), then `s` when the last attempt has begun and has no outcome
 *   yet (the write-ahead).
 * - error: `=<n>` for the n-th known code of retry-policy.ts (n in base36), else the raw code cut to
 *   the characters A-Z a-z 0-9 . _ / : - and 40 of them. Messages are not here (message-tag.ts).
 * - alert: stage (o open, e escalate, m remind, r resolve), delivery (q queued, s sending,
 *   d delivered), then the offset of the transition.
 * - cause: `t:<target>` (a rotation target such as an RDS instance id) or `c:<error code>`, the same
 *   characters as a raw code, at most 48.
 *
 * Example (secret rds/orders): 2:w9pt:@a+r+tnsqo0+2s+go+=2+1e0+od0+t:rm-bp1orders01
 *
 * Version 3 is version 2 with the incremental sweep's schedule (sweep-schedule.ts) in the head:
 *
 *   3:<seal>:<rotationStartedAt>.<nextRotation>.<due>.<spread><policy>@<episode>...
 *
 * nextRotation and due in base36 seconds (empty when absent), spread three base36 digits, policy
 * two. A state without a schedule is still written as version 2, so a secret with state but no
 * schedule reads the same as before; a healthy secret's tag holds its schedule alone.
 *
 * Episode ids derive from the secret name, check and openedAt, so they are not stored. When the
 * value would exceed 128 characters, causes of delivered episodes go first, then whole episodes
 * with the lowest priority (the caller logs what was dropped). Version 1 (state-tag-v1.ts), which
 * used `; , #`, is still read; the next write re-encodes it as version 2.
 */
import { isFailureCheck } from './check-catalog';
import type { Episode } from './episode';
import { shortHash } from './ids';
import { encodeMessageText } from './message-tag';
import { decodeEpisodeFields, encodeEpisodeFields, parse36, type FieldSyntax } from './state-tag-fields';
import { decodeStateV1, V1_PREFIX } from './state-tag-v1';
import { TAG_TEXT_LIMIT, TAG_VALUE_PATTERN } from './tag-alphabet';
import type { Schedule } from './sweep-schedule';
import { SPREAD_MODULUS } from './turns';

export { decodeMessage, MAX_STATE_TAG_KEY_LENGTH, MESSAGE_TAG_SUFFIX } from './message-tag';

export const STATE_TAG_VERSION = '2';
export const TAG_VALUE_LIMIT = TAG_TEXT_LIMIT;

export interface SecretState {
  /** A rotation seen to start (RotateSecret call) and not yet seen to finish. */
  rotationStartedAt?: number;
  episodes: Episode[];
  /**
   * The last rotation error's message, scrubbed, for the alerts. It does not fit the state tag, so
   * it lives in a second tag `<stateTagKey>-msg` while an open episode has an error.
   */
  errorMessage?: string;
  /** What the incremental sweep needs to leave the secret undescribed (sweep-schedule.ts). */
  schedule?: Schedule;
}

/** The message tag's value (message-tag.ts), only while an open episode has an error to explain. */
export function encodeMessage(state: SecretState): string | undefined {
  if (!state.errorMessage || !state.episodes.some((e) => e.status !== 'resolved' && e.lastError)) return undefined;
  return encodeMessageText(state.errorMessage);
}

const V2_PREFIX = `${STATE_TAG_VERSION}:`;
const V3_PREFIX = '3:';
const HEAD_SEPARATOR = '.';
const V2: FieldSyntax = { knownErrorMarker: '=' };
const EPISODE_SEPARATOR = '@';
const FIELD_SEPARATOR = '+';
const SEAL_DIGITS = 4;
const SEALED_HEAD = /^([23]):([0-9a-z]{4}):(.*)$/s;
const SPREAD_POLICY = /^([0-9a-z]{3})([0-9a-z]{2})$/;

const sec = (ms: number) => Math.floor(ms / 1000);

/** Four base36 digits binding the value to its secret (not a secret itself: it detects, it does not authenticate). */
function sealOf(secretName: string, rest: string, prefix = V2_PREFIX): string {
  const n = parseInt(shortHash(`${secretName}\n${prefix}${rest}`, 8), 16);
  return (n % 36 ** SEAL_DIGITS).toString(36).padStart(SEAL_DIGITS, '0');
}

function encodeEpisode(e: Episode, withCause: boolean): string {
  return encodeEpisodeFields(e, withCause, V2).join(FIELD_SEPARATOR).replace(/\++$/, '');
}

/** Higher keeps its place when the value must shrink: undelivered alerts, then open rotation failures. */
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

/** The state tag's value for `secretName` (the seal binds it to that secret). */
export function encodeState(state: SecretState, secretName: string): EncodedState {
  const episodes = state.episodes.filter(
    (e) => !(e.status === 'resolved' && (!e.alert || e.alert.delivery === 'delivered')),
  );
  const { schedule } = state;
  if (episodes.length === 0 && state.rotationStartedAt === undefined && !schedule)
    return { value: undefined, dropped: [] };
  const started = state.rotationStartedAt === undefined ? '' : sec(state.rotationStartedAt).toString(36);
  const head = schedule ? [started, ...encodeSchedule(schedule)].join(HEAD_SEPARATOR) : started;
  const prefix = schedule ? V3_PREFIX : V2_PREFIX;
  const ordered = [...episodes].sort((a, b) => priority(b) - priority(a));
  const render = (list: Episode[], causes: boolean) => {
    const rest = [head, ...list.map((e) => encodeEpisode(e, causes || e.alert?.delivery !== 'delivered'))].join(
      EPISODE_SEPARATOR,
    );
    return `${prefix}${sealOf(secretName, rest, prefix)}:${rest}`;
  };
  for (const causes of [true, false]) {
    const value = render(ordered, causes);
    if (value.length <= TAG_VALUE_LIMIT) return { value, dropped: [] };
  }
  const kept: Episode[] = [];
  const dropped: Episode[] = [];
  for (const e of ordered) (render([...kept, e], false).length <= TAG_VALUE_LIMIT ? kept : dropped).push(e);
  return { value: render(kept, false), dropped };
}

const time36 = (ms: number | undefined) => (ms === undefined ? '' : sec(ms).toString(36));

function encodeSchedule(s: Schedule): string[] {
  const spread = (s.spread % SPREAD_MODULUS).toString(36).padStart(3, '0');
  return [time36(s.nextRotation), time36(s.due), `${spread}${s.policy}`];
}

function decodeSchedule(parts: string[]): Schedule {
  const [next = '', due = '', spreadPolicy = ''] = parts;
  const [, spread = '', policy = ''] = SPREAD_POLICY.exec(spreadPolicy) ?? [];
  if (parts.length !== 3 || !spread) throw new Error(`bad schedule "${parts.join(HEAD_SEPARATOR)}"`);
  const schedule: Schedule = { spread: parseInt(spread, 36), policy };
  if (next) schedule.nextRotation = parse36(next) * 1000;
  if (due) schedule.due = parse36(due) * 1000;
  return schedule;
}

/** The state a version 2 or 3 value holds; throws when the value is not one this code wrote for this secret. */
function decodeStateV2(value: string, secretName: string): SecretState {
  if (!TAG_VALUE_PATTERN.test(value)) throw new Error('characters or length outside the tag alphabet');
  const [, version = '', seal = '', rest = ''] = SEALED_HEAD.exec(value) ?? [];
  if (!seal || seal !== sealOf(secretName, rest, `${version}:`))
    throw new Error('seal does not match: edited, corrupted or not ours');
  const [head = '', ...episodes] = rest.split(EPISODE_SEPARATOR);
  const [started = '', ...scheduleParts] = head.split(HEAD_SEPARATOR);
  if (version === '2' && scheduleParts.length > 0) throw new Error('a version 2 head holds no schedule');
  const state: SecretState = {
    episodes: episodes.map((e) => decodeEpisodeFields(e.split(FIELD_SEPARATOR), secretName, V2)),
  };
  if (started) state.rotationStartedAt = parse36(started) * 1000;
  if (version === '3') state.schedule = decodeSchedule(scheduleParts);
  return state;
}

export interface DecodedState {
  state: SecretState;
  /** Set when a value was there but is not a state this product wrote: the state is then empty. */
  warning?: string;
  /** The format the value was written in; 1 means the next write converts it. */
  version?: 1 | 2 | 3;
}

/** Never throws: a value that is not our state is no state plus a warning (the next pass rewrites it). */
export function decodeState(value: string | undefined, secretName: string): DecodedState {
  if (value === undefined || value === '') return { state: { episodes: [] } };
  try {
    if (value.startsWith(V2_PREFIX) || value.startsWith(V3_PREFIX))
      return { state: decodeStateV2(value, secretName), version: value.startsWith(V3_PREFIX) ? 3 : 2 };
    if (value.startsWith(V1_PREFIX)) return { state: decodeStateV1(value, secretName), version: 1 };
    throw new Error('no known version prefix');
  } catch (error) {
    return { state: { episodes: [] }, warning: `state tag value not ours, ignored: ${(error as Error).message}` };
  }
}

/**
 * The state `value` holds when it is one this product wrote for `secretName` (either version);
 * undefined for anything else. Only a value that parses here may be overwritten or removed, and
 * only such a value may lead to an alert.
 */
export function parseOwnState(value: string | undefined, secretName: string): SecretState | undefined {
  if (value === undefined || value === '') return undefined;
  const decoded = decodeState(value, secretName);
  return decoded.warning === undefined ? decoded.state : undefined;
}
