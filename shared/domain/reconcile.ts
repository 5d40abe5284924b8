/**
 * The level-triggered step for one secret: compare what the checks found now with the open
 * episodes, and return the new episodes, the alerts to deliver and the remediations to schedule.
 * Seeing the same problem again changes nothing and sends nothing.
 */
import type { Config } from './config-types';
import { ALERT_STORM_WINDOW_SECONDS } from './alerts';
import { dueAction, escalate, openEpisode, resolve, type Episode } from './episode';
import { problemOf, stageRank, SAMPLED_CHECKS, type CheckId } from './check-catalog';
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
  // Reminders are not state: reminders.ts derives them from openedAt and the sweep sends them.
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

/**
 * The finding an episode answers to now: the furthest stage of its problem (an episode opened as
 * overdue that is now stuck or failed), which for any other check is its own.
 */
export function findingFor(episode: Pick<Episode, 'checkId'>, findings: Finding[]): Finding | undefined {
  return leadingFinding(findings, problemOf(episode.checkId));
}

function leadingFinding(findings: Finding[], problem: string): Finding | undefined {
  return findings
    .filter((f) => problemOf(f.checkId) === problem)
    .reduce<Finding | undefined>(
      (a, f) => (a === undefined || stageRank(f.checkId) > stageRank(a.checkId) ? f : a),
      undefined,
    );
}

/**
 * The open episode kept for each problem. A release before issue 14 could hold two for one secret
 * (overdue, then stuck): the one with an attempt in flight, else the oldest, carries on; the other
 * is dropped without an alert, since the one kept pages and recovers for both.
 */
function openByProblem(episodes: Episode[]): Map<string, Episode> {
  const byProblem = new Map<string, Episode>();
  for (const e of episodes) {
    if (e.status === 'resolved') continue;
    const key = problemOf(e.checkId);
    const kept = byProblem.get(key);
    const better =
      !kept ||
      (e.attemptStarted && !kept.attemptStarted) ||
      (e.attemptStarted === kept.attemptStarted && e.openedAt < kept.openedAt);
    if (better) byProblem.set(key, e);
  }
  return byProblem;
}

/** A later stage that a retry can fix reaches an episode opened by one it could not: its retries start now. */
function withRemediation(episode: Episode, finding: Finding, now: number): Episode {
  if (
    !finding.remediable ||
    episode.status !== 'opened' ||
    episode.attempts > 0 ||
    episode.attemptStarted ||
    episode.nextActionAt !== undefined
  )
    return episode;
  return { ...episode, nextActionAt: now };
}

/**
 * `evaluated`: the sampled checks (check-catalog SAMPLED_CHECKS) this pass ran. An open episode of
 * a sampled check that did not run is kept as it is: not seeing it is not seeing it resolved.
 */
export function reconcile(
  secretName: string,
  findings: Finding[],
  episodes: Episode[],
  now: number,
  config: Config,
  evaluated: readonly CheckId[] = [],
): ReconcileResult {
  const result: Episode[] = [];
  const byProblem = openByProblem(episodes);
  const seen = new Set<string>();
  for (const finding of findings) {
    const problem = problemOf(finding.checkId);
    if (seen.has(problem)) continue;
    seen.add(problem);
    // The furthest stage speaks for the problem; a retry is due when any stage calls for one.
    const stages = findings.filter((f) => problemOf(f.checkId) === problem);
    const leading = { ...(leadingFinding(stages, problem) ?? finding), remediable: stages.some((f) => f.remediable) };
    const existing = byProblem.get(problem);
    byProblem.delete(problem);
    result.push(
      existing ? update(withRemediation(existing, leading, now), leading, now, config) : open(secretName, leading, now),
    );
  }
  // While deletion is scheduled the rotation checks are skipped: their episodes are frozen, not
  // "recovered" (a restored secret picks them up again), and nothing is rotated.
  const deleting = findings.some((f) => f.checkId === 'deletion-scheduled');
  const frozen = new Set<string>();
  for (const gone of byProblem.values()) {
    if (SAMPLED_CHECKS.includes(gone.checkId) && !evaluated.includes(gone.checkId)) {
      result.push(gone);
      continue;
    }
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
