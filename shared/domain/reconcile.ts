/**
 * The level-triggered step for one secret: compare what the checks found now with the open
 * episodes, and return the new episodes, the alerts to deliver and the remediations to schedule.
 * Seeing the same problem again changes nothing and sends nothing.
 */
import type { Config } from './config-types';
import { ALERT_STORM_WINDOW_SECONDS } from './alerts';
import { dueAction, escalate, openEpisode, resolve, type Episode } from './episode';
import { classify } from './retry-policy';
import type { Finding } from './types';

export interface RemediationIntent {
  secretName: string;
  episodeId: string;
  attempt: number;
  phase: 'rotate' | 'verify';
  /** When it is due (epoch ms); the scheduler turns it into an FC async delay. */
  at: number;
}

export interface ReconcileResult {
  episodes: Episode[];
  /** Episodes whose alert is not yet delivered (queued or sending). */
  alertsToSend: Episode[];
  remediationsToSchedule: RemediationIntent[];
}

/** Remediations further away than this are left to a later pass (FC async delay is at most 3600 s). */
export const SCHEDULE_HORIZON_MS = 3_600_000;

export function causeOf(finding: Finding): string | undefined {
  if (finding.cause?.target) return `t:${finding.cause.target}`;
  if (finding.cause?.errorCode) return `c:${finding.cause.errorCode}`;
  return undefined;
}

/** Reminders slow down, up to one a month: a problem left open for weeks is a known problem, not news. */
export const MAX_REMINDER_GAP_MS = 30 * 86_400_000;

/**
 * The wait before the next reminder: the configured period at first, then as long as the episode
 * had been open at the last alert (so reminders come after 1, 2, 4, 8 ... periods), at most a
 * month. Derived from what the tag already holds, so no reminder counter is stored.
 */
export function reminderGapMs(episode: Pick<Episode, 'openedAt'>, lastAlertAt: number, config: Config): number {
  const period = config.alerts.reminderHours * 3_600_000;
  if (period <= 0) return Number.POSITIVE_INFINITY;
  return Math.max(period, Math.min(lastAlertAt - episode.openedAt, MAX_REMINDER_GAP_MS));
}

function update(episode: Episode, finding: Finding, now: number, config: Config): Episode {
  let next = episode;
  const code = finding.cause?.errorCode;
  const between = !next.attemptStarted && (next.status === 'opened' || next.status === 'retrying');
  if (code && (!next.lastError || (between && next.lastError.code !== code))) next = { ...next, lastError: { code } };
  if (!next.cause) next = { ...next, cause: causeOf(finding) };
  // A cause learned late (the failure event after the sweep opened the episode) can need a human.
  if (code && between && classify(code).kind === 'needs-human') return escalate(next, now);
  const spent = now - next.openedAt > config.retry.maxEpisodeHours * 3_600_000;
  if (finding.remediable && spent && !next.attemptStarted && (next.status === 'opened' || next.status === 'retrying'))
    return escalate(next, now);
  const alert = next.alert;
  // While retries run, the escalation or the recovery is the next news: no reminder in between.
  const retrying = next.status !== 'escalated' && next.nextActionAt !== undefined;
  if (
    !retrying &&
    alert &&
    alert.delivery === 'delivered' &&
    alert.stage !== 'resolve' &&
    now - alert.at >= reminderGapMs(next, alert.at, config)
  ) {
    next = { ...next, alert: { stage: 'remind', delivery: 'queued', at: now } };
  }
  return next;
}

function open(secretName: string, finding: Finding, now: number): Episode {
  const episode = openEpisode({
    secretName,
    checkId: finding.checkId,
    now,
    remediable: finding.remediable,
    errorCode: finding.cause?.errorCode,
    cause: causeOf(finding),
  });
  // A failure seen without its code (AutomaticRotation Invalid): give the failure event one storm
  // window to tell the cause, so a permanent one is escalated instead of retried.
  if (finding.checkId === 'rotation-failed' && !finding.cause?.errorCode && episode.nextActionAt !== undefined) {
    return { ...episode, nextActionAt: episode.nextActionAt + ALERT_STORM_WINDOW_SECONDS * 1000 };
  }
  return episode;
}

export function reconcile(
  secretName: string,
  findings: Finding[],
  episodes: Episode[],
  now: number,
  config: Config,
): ReconcileResult {
  const result: Episode[] = [];
  const byCheck = new Map(episodes.filter((e) => e.status !== 'resolved').map((e) => [e.checkId, e]));
  for (const finding of findings) {
    const existing = byCheck.get(finding.checkId);
    byCheck.delete(finding.checkId);
    result.push(existing ? update(existing, finding, now, config) : open(secretName, finding, now));
  }
  // While deletion is scheduled the rotation checks are skipped: their episodes are frozen, not
  // "recovered" (a restored secret picks them up again), and nothing is rotated.
  const deleting = findings.some((f) => f.checkId === 'deletion-scheduled');
  const frozen = new Set<string>();
  for (const gone of byCheck.values()) {
    if (deleting && gone.checkId !== 'verification-failed') {
      result.push(gone);
      frozen.add(gone.id);
      continue;
    }
    const resolved = resolve(gone, now);
    if (resolved) result.push(resolved);
  }
  // A resolution not yet delivered stays until it is.
  for (const e of episodes)
    if (e.status === 'resolved' && e.alert?.delivery !== 'delivered' && !result.some((r) => r.id === e.id))
      result.push(e);

  const alertsToSend = result.filter((e) => e.alert !== undefined && e.alert.delivery !== 'delivered');
  return {
    episodes: result,
    alertsToSend,
    remediationsToSchedule: dueRemediations(
      secretName,
      result.filter((e) => !frozen.has(e.id)),
      now,
    ),
  };
}

/** Remediation steps due within the scheduling horizon. */
export function dueRemediations(secretName: string, episodes: Episode[], now: number): RemediationIntent[] {
  const intents: RemediationIntent[] = [];
  for (const e of episodes) {
    const due = dueAction(e);
    if (due && e.nextActionAt !== undefined && e.nextActionAt - now <= SCHEDULE_HORIZON_MS) {
      intents.push({ secretName, episodeId: e.id, attempt: due.attempt, phase: due.phase, at: e.nextActionAt });
    }
  }
  return intents;
}
