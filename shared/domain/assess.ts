/**
 * One secret's evaluation, shared by the sweep, on-event, remediate and the audit report: build
 * what is observed (the description plus what the state tag remembers), run the checks, and (for
 * the orchestrator, not the read-only audit) reconcile the episodes.
 */
import type { Config } from './config-types';
import { evaluate, overdueGraceMs } from './checks';
import { rotationCorroborated } from './corroboration';
import { classify } from './retry-policy';
import type { Episode } from './episode';
import type { SecretState } from './episode-tag';
import { policyFor } from './policy';
import { reconcile, type ReconcileResult } from './reconcile';
import type { CheckId } from './check-catalog';
import type { Finding, ObservedSecret } from './types';
import type { SecretDescription, SecretVersion } from './secret';

export interface Observation {
  description: SecretDescription;
  versions?: SecretVersion[];
  state: SecretState;
  now: number;
  /** A failure reported by an event now. */
  lastFailure?: ObservedSecret['lastFailure'];
  /** A rotation start learned from ActionTrail or an event. */
  rotationStartedAt?: number;
  verification?: ObservedSecret['verification'];
  /** What the readiness forecast found this pass, and which of its sampled checks it ran. */
  readiness?: ReadinessObservation;
}

export interface ReadinessObservation {
  findings: Finding[];
  evaluated: CheckId[];
}

/**
 * The failure an open rotation-failed episode remembers: it holds until a rotation completes after
 * it, and only while the secret's own state corroborates it or our attempt is in flight. A failure
 * only an event reported (DescribeSecret shows a healthy rotation) paged once on KMS's word; the
 * next reading of the healthy secret resolves it, since the sweep is the source of truth.
 */
function rememberedFailure(o: Observation): ObservedSecret['lastFailure'] {
  const e = o.state.episodes.find((x) => x.checkId === 'rotation-failed' && x.status !== 'resolved' && x.lastError);
  if (!e?.lastError) return undefined;
  const corroborated = rotationCorroborated({
    checkId: 'rotation-failed',
    state: o.description,
    now: o.now,
    completionGraceMs: overdueGraceMs(o.description.secretType),
  }).ok;
  if (!corroborated && !e.attemptStarted) return undefined;
  return { errorCode: e.lastError.code, errorMessage: e.lastError.message, at: e.lastAttemptAt ?? e.openedAt };
}

/**
 * A failed probe holds until a later probe passes: a pass that did not probe (remediate's pre-check,
 * on-event, a probe that could not run) knows nothing new, so it must not read as a recovery.
 */
function rememberedVerification(episodes: Episode[]): ObservedSecret['verification'] {
  const e = episodes.find((x) => x.checkId === 'verification-failed' && x.status !== 'resolved');
  return e ? { ok: false, reason: e.lastError?.message ?? 'the last probe failed', at: e.openedAt } : undefined;
}

/** A start is forgotten once a rotation completed at or after it. */
export function currentRotationStart(
  starts: Array<number | undefined>,
  lastRotationDate: number | undefined,
): number | undefined {
  const latest = starts
    .filter((s): s is number => s !== undefined)
    .reduce<number | undefined>((a, b) => (a === undefined || b > a ? b : a), undefined);
  return latest !== undefined && (lastRotationDate === undefined || lastRotationDate < latest) ? latest : undefined;
}

/** How far an ActionTrail RotateSecret record may trail the write-ahead of the attempt that made it. */
const OWN_CALL_WINDOW_MS = 300_000;

/**
 * A rotation start is over when a rotation completed after it, a failure was reported after it,
 * or it was one of our own attempts whose outcome is already known (the attempt is no longer begun).
 */
function runningStart(o: Observation, lastFailure: ObservedSecret['lastFailure']): number | undefined {
  const start = currentRotationStart([o.state.rotationStartedAt, o.rotationStartedAt], o.description.lastRotationDate);
  if (start === undefined || (lastFailure && lastFailure.at >= start)) return undefined;
  // ("Being rotated" answered our attempt: that start is someone else's rotation, still running.)
  const ownFinished = o.state.episodes.some(
    (e) =>
      !e.attemptStarted &&
      e.lastAttemptAt !== undefined &&
      !(e.lastError && classify(e.lastError.code).wait) &&
      start >= e.lastAttemptAt - 60_000 &&
      start - e.lastAttemptAt <= OWN_CALL_WINDOW_MS,
  );
  return ownFinished ? undefined : start;
}

export function observe(o: Observation): ObservedSecret {
  const remembered = rememberedFailure(o);
  const lastFailure = o.lastFailure && (!remembered || o.lastFailure.at >= remembered.at) ? o.lastFailure : remembered;
  return {
    description: o.description,
    versions: o.versions,
    observedAt: o.now,
    lastFailure,
    rotationStartedAt: runningStart(o, lastFailure),
    verification: o.verification ?? rememberedVerification(o.state.episodes),
  };
}

export interface Assessment {
  findings: Finding[];
  result: ReconcileResult;
  state: SecretState;
}

/** The checks over what is observed: the audit report's read model and the first half of assess. */
export function evaluateSecret(o: Observation, config: Config): { observed: ObservedSecret; findings: Finding[] } {
  const observed = observe(o);
  const { policy } = policyFor(o.description, config);
  return { observed, findings: [...evaluate(observed, policy, config, o.now), ...(o.readiness?.findings ?? [])] };
}

export function assess(o: Observation, config: Config): Assessment {
  const { observed, findings } = evaluateSecret(o, config);
  const result = reconcile(o.description.secretName, findings, o.state.episodes, o.now, config, o.readiness?.evaluated);
  const state: SecretState = { rotationStartedAt: observed.rotationStartedAt, episodes: result.episodes };
  if (o.state.errorMessage) state.errorMessage = o.state.errorMessage;
  return { findings, result, state };
}
