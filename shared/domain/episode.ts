/**
 * Episodes: one per secret and check, opened once, retried within a budget, escalated, resolved.
 * Pure transitions over plain data; times are epoch ms (whole seconds once stored on the tag).
 */
import type { Config } from './config-types';
import { classify } from './retry-policy';
import { episodeIdFor, toBase36Seconds } from './ids';
import { EPISODE_BACKOFF, nextDelay } from './retry-policy';
import type { CheckId } from './types';

export type EpisodeStatus = 'opened' | 'retrying' | 'escalated' | 'resolved';
/** The transition an alert announces: opened, escalated, reminder, resolved. */
export type AlertStage = 'open' | 'escalate' | 'remind' | 'resolve';
/**
 * queued: decided, never sent. sending: marked on the tag before PutCustomEvent (a crash leaves it
 * here, and the next pass looks it up before re-sending). delivered: CloudMonitor accepted it.
 */
export type AlertDelivery = 'queued' | 'sending' | 'delivered';

export interface EpisodeAlert {
  stage: AlertStage;
  delivery: AlertDelivery;
  /** When the transition happened; part of the alert id and the reminder clock. */
  at: number;
}

export interface Episode {
  id: string;
  secretName: string;
  checkId: CheckId;
  status: EpisodeStatus;
  openedAt: number;
  /** Attempts begun so far; attempt n uses VersionId versionIdFor(id, n). */
  attempts: number;
  /** Write-ahead flag: attempt `attempts` has begun (RotateSecret may have been called) and its outcome is unknown. */
  attemptStarted: boolean;
  lastAttemptAt?: number;
  lastError?: { code: string; message?: string };
  nextActionAt?: number;
  alert?: EpisodeAlert;
  /** What this failure shares with others (a rotation target or an error code), for grouping. */
  cause?: string;
}

const STAGE_LETTER: Record<AlertStage, string> = { open: 'o', escalate: 'e', remind: 'm', resolve: 'r' };

/** Unique per transition; CloudMonitor is searched for it before a pending alert is re-sent. */
export function alertIdFor(episode: Pick<Episode, 'id'>, alert: EpisodeAlert): string {
  return `kro-${episode.id}-${STAGE_LETTER[alert.stage]}${toBase36Seconds(alert.at)}`;
}

/** Every alert id in a text (an event's content names one, or many when grouped). */
export function alertIdsIn(text: string): string[] {
  return text.match(/kro-[0-9a-f]{10}-[oemr][0-9a-z]+/g) ?? [];
}

export function isOpen(episode: Episode): boolean {
  return episode.status !== 'resolved';
}

export function openEpisode(input: {
  secretName: string;
  checkId: CheckId;
  now: number;
  remediable: boolean;
  errorCode?: string;
  errorMessage?: string;
  cause?: string;
}): Episode {
  const openedAt = Math.floor(input.now / 1000) * 1000;
  const episode: Episode = {
    id: episodeIdFor(input.secretName, input.checkId, openedAt),
    secretName: input.secretName,
    checkId: input.checkId,
    status: 'opened',
    openedAt,
    attempts: 0,
    attemptStarted: false,
    lastError: input.errorCode ? { code: input.errorCode, message: input.errorMessage } : undefined,
    nextActionAt: input.remediable ? openedAt : undefined,
    alert: { stage: 'open', delivery: 'queued', at: openedAt },
    cause: input.cause,
  };
  if (input.errorCode && classify(input.errorCode, input.errorMessage).kind === 'needs-human')
    return escalate(episode, input.now);
  return episode;
}

export function escalate(episode: Episode, now: number): Episode {
  // An open alert nobody received yet is replaced: the escalation says everything it would have.
  return {
    ...episode,
    status: 'escalated',
    attemptStarted: false,
    nextActionAt: undefined,
    alert: { stage: 'escalate', delivery: 'queued', at: now },
  };
}

/**
 * Resolved: announce it when someone was told it was broken, or when it was a real failure (an
 * error, an attempt) whose open alert never went out (CloudMonitor was down): the resolution then
 * tells both. A passing observation nobody heard of is dropped quietly.
 */
export function resolve(episode: Episode, now: number): Episode | undefined {
  const told =
    episode.alert !== undefined &&
    (episode.alert.delivery === 'delivered' || episode.alert.stage !== 'open' || episode.alert.delivery === 'sending');
  const failedForReal = episode.lastError !== undefined || episode.attempts > 0;
  if (!told && !failedForReal) return undefined;
  return {
    ...episode,
    status: 'resolved',
    attemptStarted: false,
    nextActionAt: undefined,
    alert: { stage: 'resolve', delivery: 'queued', at: now },
  };
}

/** Write-ahead: mark attempt n as begun before RotateSecret is called. */
export function startAttempt(episode: Episode, attempt: number, now: number): Episode {
  return {
    ...episode,
    status: 'retrying',
    attempts: attempt,
    attemptStarted: true,
    lastAttemptAt: Math.floor(now / 1000) * 1000,
  };
}

/** RotateSecret accepted attempt n: check its result at `verifyAt`. */
export function awaitVerification(episode: Episode, verifyAt: number): Episode {
  return { ...episode, nextActionAt: verifyAt };
}

/** Whether the episode's budget (attempts for this cause, total time) allows another attempt at `at`. */
function withinBudget(episode: Episode, at: number, config: Config, attemptLimit?: number): boolean {
  const limit = Math.min(config.retry.maxAttempts, attemptLimit ?? Number.POSITIVE_INFINITY);
  return episode.attempts < limit && at - episode.openedAt <= config.retry.maxEpisodeHours * 3_600_000;
}

/**
 * A retry held because a known cause of failure is still present (the readiness forecast): not
 * spent, asked again at `until`. The hold counts against the episode's time budget like any wait,
 * so a cause nobody fixes (an instance deleted for good) escalates to a human instead of holding
 * in silence forever.
 */
export function holdRetry(episode: Episode, until: number, now: number, config: Config): Episode {
  const held: Episode = { ...episode, nextActionAt: until };
  return withinBudget(held, until, config, Number.POSITIVE_INFINITY) ? held : escalate(held, now);
}

/**
 * The outcome of a failed attempt (or a failure reported while one ran): wait when a rotation is
 * already running, escalate when a human is needed or the budget is spent, else back off.
 */
export function attemptFailed(
  episode: Episode,
  error: { code: string; message?: string },
  now: number,
  config: Config,
  random: () => number,
  /** How long a running rotation (or a spent rotate quota) is waited for; default the retry cap. */
  waitMs = EPISODE_BACKOFF.maxDelaySeconds * 1000,
): Episode {
  const cls = classify(error.code, error.message);
  const lastError = { code: error.code, message: error.message };
  if (cls.wait) {
    // Not a failed attempt: give the attempt number back, so its VersionId is reused only if unused.
    // Wait long enough for a running rotation to end (jittered); the episode's time budget still bounds it.
    const attempts = episode.attemptStarted ? Math.max(0, episode.attempts - 1) : episode.attempts;
    return {
      ...episode,
      attempts,
      attemptStarted: false,
      lastError,
      nextActionAt: now + Math.round(waitMs * (0.5 + random() / 2)),
    };
  }
  if (cls.kind === 'needs-human') return escalate({ ...episode, lastError }, now);
  const nextActionAt = now + nextDelay(episode.attempts + 1, EPISODE_BACKOFF, random) * 1000;
  const failed: Episode = { ...episode, status: 'retrying', attemptStarted: false, lastError, nextActionAt };
  return withinBudget(failed, nextActionAt, config, cls.attemptLimit) ? failed : escalate(failed, now);
}

/** After delivery, an alert is marked delivered; a delivered resolution ends the episode. */
export function markAlert(episode: Episode, delivery: AlertDelivery): Episode | undefined {
  if (!episode.alert) return episode;
  if (delivery === 'delivered' && episode.status === 'resolved') return undefined;
  return { ...episode, alert: { ...episode.alert, delivery } };
}

/** The next attempt number and phase due for this episode, if any. */
export function dueAction(episode: Episode): { attempt: number; phase: 'rotate' | 'verify' } | undefined {
  if ((episode.status !== 'opened' && episode.status !== 'retrying') || episode.nextActionAt === undefined)
    return undefined;
  return episode.attemptStarted
    ? { attempt: episode.attempts, phase: 'verify' }
    : { attempt: episode.attempts + 1, phase: 'rotate' };
}
