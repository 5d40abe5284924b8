/**
 * What every trigger decides about one secret, as one pure function. The sweep, on-event, the
 * failure destination and remediate differ only in what they observed besides the secret itself
 * (a failure reported during an attempt, a rotation start, a restore, a remediation FC gave up on,
 * a probe, a verified rotation): they pass it as typed observations, and this file decides.
 */
import { scheduleOf } from './sweep-schedule';
import type { Config } from './config-types';
import { assess, type ReadinessObservation } from './assess';
import { problemOf } from './check-catalog';
import type { AlertSecret } from './alerts';
import { redactMessage } from './redact';
import { attemptFailed, escalate, isOpen, resolve, type Episode } from './episode';
import type { SecretState } from './episode-tag';
import { dueRemediations, type RemediationIntent } from './reconcile';
import { secretArn, subTypeOf } from './secret-kinds';
import type { Finding, ObservedSecret } from './types';
import type { SecretDescription, SecretVersion } from './secret';

/** The escalation's error code when FC abandoned a remediation (retry-policy.ts has its runbook). */
export const REMEDIATION_FAILED = 'RemediationFailed';

export type SecretObservation =
  /** A rotation failure reported now (a KMS rotation-result event): it may be our attempt's outcome. */
  | { kind: 'rotation-failure'; errorCode: string; errorMessage?: string; at: number }
  /** A rotation start seen in ActionTrail or an event. */
  | { kind: 'rotation-start'; at: number }
  /** The rotation's target (an RDS instance, a RAM user): what failures share, for grouping. */
  | { kind: 'rotation-target'; target: string }
  /** A probe of the current credential ran (a probe that could not run is no observation). */
  | { kind: 'verification'; result: NonNullable<ObservedSecret['verification']> }
  /** RestoreSecret: a deletion announced while the secret could not be tagged may need resolving. */
  | { kind: 'restore' }
  /** FC gave up on a remediation of this episode after its async retries. */
  | { kind: 'remediation-abandoned'; episodeId: string; errorMessage?: string }
  /** Remediate verified that its rotation of this episode completed. */
  | { kind: 'rotation-verified'; episodeId: string }
  /** The readiness forecast ran (sweep): its findings, and the sampled checks it evaluated. */
  | ({ kind: 'readiness' } & ReadinessObservation);

export interface SecretReading {
  description: SecretDescription;
  versions?: SecretVersion[];
  state: SecretState;
}

export interface SecretDecision {
  findings: Finding[];
  state: SecretState;
  /** Remediation steps due now (the sweep schedules them; a flush does for the others). */
  remediations: RemediationIntent[];
  /** Episodes escalated by this decision (for the escalation metric). */
  escalations: number;
  /** A restore whose announced deletion must be looked up in CloudMonitor (then applyRestoredDeletion). */
  restoreLookup: boolean;
}

/** Episodes escalated in `after` that were not escalated in `before`. */
export function newEscalations(before: Episode[], after: Episode[]): number {
  return after.filter((e) => e.status === 'escalated' && !before.some((b) => b.id === e.id && b.status === 'escalated'))
    .length;
}

function ofKind<K extends SecretObservation['kind']>(
  observations: SecretObservation[],
  kind: K,
): Array<Extract<SecretObservation, { kind: K }>> {
  return observations.filter((o): o is Extract<SecretObservation, { kind: K }> => o.kind === kind);
}

/** RestoreSecret: whether a deletion announced without stored state must be looked up (an I/O step). */
export function needsRestoredLookup(
  description: Pick<SecretDescription, 'plannedDeleteTime'>,
  episodes: Episode[],
): boolean {
  return description.plannedDeleteTime === undefined && !episodes.some((e) => e.checkId === 'deletion-scheduled');
}

export function decideSecret(
  reading: SecretReading,
  observations: SecretObservation[],
  now: number,
  config: Config,
  random: () => number,
): SecretDecision {
  const failure = ofKind(observations, 'rotation-failure').at(-1);
  const start = ofKind(observations, 'rotation-start').at(-1);
  const verification = ofKind(observations, 'verification').at(-1);
  const readiness = ofKind(observations, 'readiness').at(-1);
  const assessment = assess(
    {
      ...reading,
      now,
      lastFailure: failure && { errorCode: failure.errorCode, errorMessage: failure.errorMessage, at: failure.at },
      rotationStartedAt: start?.at,
      verification: verification?.result,
      readiness: readiness && { findings: readiness.findings, evaluated: readiness.evaluated },
    },
    config,
  );
  let episodes = assessment.state.episodes;
  let errorMessage = assessment.state.errorMessage;
  if (failure) {
    // A failure reported while our attempt ran is that attempt's outcome.
    episodes = episodes.map((e) =>
      problemOf(e.checkId) === 'rotation' &&
      e.attemptStarted &&
      e.lastAttemptAt !== undefined &&
      failure.at >= e.lastAttemptAt
        ? attemptFailed(e, { code: failure.errorCode, message: failure.errorMessage }, now, config, random)
        : e,
    );
    if (failure.errorMessage) errorMessage = redactMessage(failure.errorMessage);
  }
  for (const { target } of ofKind(observations, 'rotation-target')) {
    episodes = episodes.map((e) =>
      e.cause || problemOf(e.checkId) !== 'rotation' ? e : { ...e, cause: `t:${target}` },
    );
  }
  for (const abandoned of ofKind(observations, 'remediation-abandoned')) {
    const message = redactMessage(abandoned.errorMessage);
    // Nothing else would retry it, and a human must read the function's logs.
    episodes = episodes.map((e) =>
      e.id === abandoned.episodeId && isOpen(e) && e.status !== 'escalated'
        ? escalate({ ...e, lastError: { code: REMEDIATION_FAILED, message } }, now)
        : e,
    );
    if (message) errorMessage = message;
  }
  for (const { episodeId } of ofKind(observations, 'rotation-verified')) {
    episodes = episodes.flatMap((e) => (e.id === episodeId && isOpen(e) ? (resolve(e, now) ?? []) : [e]));
  }
  const state: SecretState = { ...assessment.state, episodes, schedule: scheduleOf(reading, config, now) };
  if (errorMessage) state.errorMessage = errorMessage;
  else delete state.errorMessage;
  // While deletion is scheduled, episodes without a finding are frozen (reconcile.ts): never remediated.
  const deleting = assessment.findings.some((f) => f.checkId === 'deletion-scheduled');
  const live = deleting ? episodes.filter((e) => assessment.findings.some((f) => f.checkId === e.checkId)) : episodes;
  return {
    findings: assessment.findings,
    state,
    remediations: dueRemediations(reading.description.secretName, live, now),
    escalations: newEscalations(reading.state.episodes, episodes),
    restoreLookup: ofKind(observations, 'restore').length > 0 && needsRestoredLookup(reading.description, episodes),
  };
}

/** The announced deletion of a restored secret comes back as a resolved episode (its resolution queued). */
export function applyRestoredDeletion(decision: SecretDecision, restored: Episode | undefined): SecretDecision {
  if (!decision.restoreLookup || !restored) return { ...decision, restoreLookup: false };
  return {
    ...decision,
    restoreLookup: false,
    state: { ...decision.state, episodes: [...decision.state.episodes, restored] },
  };
}

/** What an alert says about the secret: name, ARN, type, and the sub-type when the description is known. */
export function alertSecretOf(
  secret: Pick<SecretDescription, 'secretName' | 'secretType'> &
    Partial<Pick<SecretDescription, 'arn' | 'extendedConfig'>>,
  config: Config,
): AlertSecret {
  const subType = secret.extendedConfig ? subTypeOf({ extendedConfig: secret.extendedConfig }) : undefined;
  return {
    secretName: secret.secretName,
    arn: secret.arn ?? secretArn(secret.secretName, config),
    secretType: secret.secretType,
    subType,
  };
}
