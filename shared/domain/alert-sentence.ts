/**
 * The readable first line of every alert (alert-text.ts): the secret, what happened, since when.
 * Built only from names, check ids, error codes and times, never from outside text, so it needs no
 * redaction of its own and stays short next to GROUP_CONTENT_LIMIT.
 */
import type { CheckId } from './check-catalog';
import type { Episode } from './episode';

const PHRASE: Record<CheckId, string> = {
  'rotation-failed': 'rotation failed',
  'rotation-overdue': 'scheduled rotation overdue',
  'stuck-in-progress': 'rotation stuck in progress',
  'rotation-disabled': 'automatic rotation disabled',
  'interval-out-of-policy': 'rotation interval outside policy',
  'single-user-rds': 'RDS secret in single-account mode',
  'generic-stale': 'value older than policy allows',
  'deletion-scheduled': 'scheduled for deletion',
  'verification-failed': 'current credential refused by its target',
  'rotation-at-risk': 'next rotation will fail unless its cause is fixed',
  'secret-policy-broad': 'secret policy lets readers outside the account',
};

/** The longest sentence a group may add to its content (GROUP_CONTENT_LIMIT leaves room for it). */
export const SENTENCE_BUDGET = 400;

/** What the check says happened, in a few words. */
export function problemPhrase(checkId: CheckId): string {
  return PHRASE[checkId];
}

/** Minutes in UTC: a reader's clock, not a parser's. */
export function readableTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "2 d 3 h", "3 h 20 min", "45 min": how long a problem was open. */
export function readableDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return 'less than a minute';
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}

/** How long the episode has been open at its alert (for a recovery: how long it was open). */
export function openFor(episode: Pick<Episode, 'openedAt' | 'alert'>): number {
  return Math.max(0, (episode.alert?.at ?? episode.openedAt) - episode.openedAt);
}

/** One episode's alert: `stage` is the check the episode stands at now (a later stage of its problem, or its own). */
export function episodeSentence(episode: Episode, stage: CheckId): string {
  const what = `${problemPhrase(stage)}${episode.lastError ? ` (${episode.lastError.code})` : ''}`;
  const since = readableTime(episode.openedAt);
  const name = episode.secretName;
  switch (episode.alert?.stage) {
    case 'resolve':
      return `${name} recovered: ${problemPhrase(stage)} is over after ${readableDuration(openFor(episode))} (open since ${since}).`;
    case 'remind':
      return `${name} still open: ${what} since ${since}${episode.status === 'escalated' ? '; a human is needed' : ''}.`;
    case 'escalate':
      return `${name}: ${what} since ${since}; ${episode.attempts > 0 ? `retries stopped after ${episode.attempts} attempt(s)` : 'no retry can fix it'}, a human is needed.`;
    default:
      return `${name}: ${what} since ${since}${episode.nextActionAt !== undefined ? '; the orchestrator retries' : ''}.`;
  }
}

/** A grouped alert: how many secrets, what they share, since when. */
export function groupSentence(input: {
  kind: 'failure' | 'recovered' | 'reminder';
  total: number;
  stage: CheckId;
  cause: string;
  causeKind: string;
  since: number;
  part: number;
  parts: number;
}): string {
  const shared = `${problemPhrase(input.stage)}, one ${input.causeKind} (${input.cause.slice(0, 64)})`;
  const part = input.parts > 1 ? ` (part ${input.part} of ${input.parts})` : '';
  const lead =
    input.kind === 'recovered'
      ? `${input.total} secrets recovered: ${shared}, open since ${readableTime(input.since)}`
      : `${input.total} secrets ${input.kind === 'reminder' ? 'still open' : 'failing'}: ${shared}, since ${readableTime(input.since)}`;
  return `${lead}${part}.`;
}

/** A reminder digest: how many problems are still open, the oldest since when. */
export function digestSentence(input: { total: number; since: number; part: number; parts: number }): string {
  const part = input.parts > 1 ? ` (part ${input.part} of ${input.parts})` : '';
  return `${input.total} problems still open, the oldest since ${readableTime(input.since)}${part}.`;
}
