/**
 * The health checks of DESIGN §4 over one observed secret. Pure: `now` is passed in. Each check
 * returns at most one finding with a stable id, a severity, evidence and a runbook; what a check
 * is (its severity, alert, tag code) is in check-catalog.ts.
 */
import type { Config, IntervalPolicy } from './config-types';
import { CHECKS } from './check-catalog';
import { rotationCorroborated } from './corroboration';
import { classify } from './retry-policy';
import { expectedCompletionMs, isManaged, rotationTargetOf, subTypeOf } from './secret-kinds';
import type { CheckId, Finding, LeftoverKeys, ObservedSecret, Severity } from './types';

/** Slack after NextRotationDate plus the expected completion time: KMS starts scheduled rotations late by minutes. */
const OVERDUE_GRACE_MINUTES = 30;

interface CheckInput {
  observed: ObservedSecret;
  policy: IntervalPolicy;
  config: Config;
  now: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const days = (seconds: number) => Math.round((seconds / 86_400) * 10) / 10;

/** A finding of `checkId` at its catalog severity (check-catalog.ts), unless the check raises it. */
function finding(
  input: CheckInput,
  checkId: CheckId,
  rest: Omit<Finding, 'checkId' | 'severity' | 'secretName'>,
  severity: Severity = CHECKS[checkId].severity,
): Finding {
  return { checkId, severity, secretName: input.observed.description.secretName, ...rest };
}

function target(input: CheckInput): string | undefined {
  return rotationTargetOf(input.observed.description);
}

function rotationFailed(input: CheckInput): Finding | undefined {
  const d = input.observed.description;
  const failure = input.observed.lastFailure;
  const failedAfterLastRotation =
    failure !== undefined && (d.lastRotationDate === undefined || failure.at > d.lastRotationDate);
  if (d.automaticRotation !== 'Invalid' && !failedAfterLastRotation) return undefined;
  const code = failedAfterLastRotation ? failure?.errorCode : undefined;
  const evidence: Finding['evidence'] = { automaticRotation: d.automaticRotation ?? 'unknown' };
  if (code) evidence.errorCode = code;
  if (failure && failedAfterLastRotation) evidence.failedAt = iso(failure.at);
  if (d.lastRotationDate) evidence.lastRotationDate = iso(d.lastRotationDate);
  // No rotation on the word of an event alone (issue 13): the failure pages, but RotateSecret
  // waits until the secret's own state, as DescribeSecret returns it now, says the same.
  const corroboration = rotationCorroborated({
    checkId: 'rotation-failed',
    state: d,
    now: input.now,
    completionGraceMs: overdueGraceMs(d.secretType),
  });
  if (!corroboration.ok) evidence.notRetried = corroboration.reason;
  return finding(input, 'rotation-failed', {
    summary: `Rotation of ${d.secretName} failed${code ? ` (${code})` : ''}; KMS does not retry it.`,
    evidence,
    runbook: code
      ? classify(code).runbook
      : 'KMS marked the rotation Invalid and does not retry it. The orchestrator retries within its budget; the failure event names the cause (lastErrorCode). Meanwhile check the rotation target (instance, account, RAM user) in the console.',
    cause: { errorCode: code, target: target(input) },
    remediable: corroboration.ok,
  });
}

/** How long after NextRotationDate a scheduled rotation may still be running before it is overdue. */
export function overdueGraceMs(secretType: string): number {
  return expectedCompletionMs(secretType) + OVERDUE_GRACE_MINUTES * 60_000;
}

function rotationOverdue(input: CheckInput): Finding | undefined {
  const d = input.observed.description;
  if (d.automaticRotation !== 'Enabled' || d.nextRotationDate === undefined) return undefined;
  const deadline = d.nextRotationDate + overdueGraceMs(d.secretType);
  const moved = d.lastRotationDate !== undefined && d.lastRotationDate >= d.nextRotationDate;
  if (input.now <= deadline || moved) return undefined;
  return finding(input, 'rotation-overdue', {
    summary: `Rotation of ${d.secretName} was due ${iso(d.nextRotationDate)} and has not happened.`,
    evidence: {
      nextRotationDate: iso(d.nextRotationDate),
      overdueSeconds: Math.round((input.now - d.nextRotationDate) / 1000),
      lastRotationDate: d.lastRotationDate ? iso(d.lastRotationDate) : 'never',
    },
    runbook:
      'KMS did not start the scheduled rotation. The orchestrator triggers RotateSecret; if that fails too, check the target and the KMS console.',
    cause: { target: target(input) },
    remediable: true,
  });
}

function stuckInProgress(input: CheckInput): Finding | undefined {
  const d = input.observed.description;
  const started = input.observed.rotationStartedAt;
  if (started === undefined || (d.lastRotationDate !== undefined && d.lastRotationDate >= started)) return undefined;
  const expected = expectedCompletionMs(d.secretType);
  if (input.now - started <= expected) return undefined;
  return finding(input, 'stuck-in-progress', {
    summary: `A rotation of ${d.secretName} started ${iso(started)} and has not completed in ${Math.round((expected / 3_600_000) * 10) / 10} h.`,
    evidence: {
      rotationStartedAt: iso(started),
      runningSeconds: Math.round((input.now - started) / 1000),
      expectedSeconds: expected / 1000,
    },
    runbook:
      'Check the rotation target (instance status, account, RAM user) and the KMS console; a rotation that never finishes needs a human.',
    cause: { target: target(input) },
    remediable: false,
  });
}

function rotationDisabled(input: CheckInput): Finding | undefined {
  const d = input.observed.description;
  if (!isManaged(d.secretType) || !input.policy.requireAutomaticRotation || d.automaticRotation !== 'Disabled')
    return undefined;
  return finding(input, 'rotation-disabled', {
    summary: `Automatic rotation of ${d.secretName} is off; policy requires it.`,
    evidence: { automaticRotation: 'Disabled' },
    runbook: `Enable it: aliyun kms UpdateSecretRotationPolicy --SecretName ${d.secretName} --EnableAutomaticRotation true --RotationInterval ${Math.round(input.policy.maxIntervalSeconds / 86_400)}d`,
    remediable: false,
  });
}

function intervalOutOfPolicy(input: CheckInput): Finding | undefined {
  const d = input.observed.description;
  const interval = d.rotationIntervalSeconds;
  if (d.automaticRotation !== 'Enabled' || interval === undefined) return undefined;
  const { minIntervalSeconds: min, maxIntervalSeconds: max } = input.policy;
  if (interval >= min && interval <= max) return undefined;
  const wanted = interval < min ? min : max;
  return finding(input, 'interval-out-of-policy', {
    summary: `${d.secretName} rotates every ${days(interval)} d; policy wants ${days(min)}-${days(max)} d.`,
    evidence: { rotationIntervalSeconds: interval, minIntervalSeconds: min, maxIntervalSeconds: max },
    runbook: `aliyun kms UpdateSecretRotationPolicy --SecretName ${d.secretName} --EnableAutomaticRotation true --RotationInterval ${Math.round(wanted / 86_400)}d`,
    remediable: false,
  });
}

function singleUserRds(input: CheckInput): Finding | undefined {
  const d = input.observed.description;
  if (d.secretType.toLowerCase() !== 'rds' || !input.policy.requireDoubleAccountRds) return undefined;
  const subType = subTypeOf(d);
  if (subType === undefined || subType.toLowerCase() !== 'singleuser') return undefined;
  return finding(input, 'single-user-rds', {
    summary: `${d.secretName} rotates one RDS account in place; a rotation interrupts its users.`,
    evidence: { secretSubType: subType },
    runbook:
      'Re-create the secret in dual-account mode (SecretSubType DoubleUsers) so a rotation never interrupts connections, then move applications to it.',
    remediable: false,
  });
}

function genericStale(input: CheckInput): Finding | undefined {
  const d = input.observed.description;
  if (d.secretType.toLowerCase() !== 'generic' || !input.observed.versions) return undefined;
  const current = input.observed.versions.find((v) => v.versionStages.includes('ACSCurrent'));
  if (current?.createTime === undefined) return undefined;
  const age = (input.now - current.createTime) / 1000;
  if (age <= input.policy.genericMaxAgeSeconds) return undefined;
  return finding(input, 'generic-stale', {
    summary: `The current value of ${d.secretName} is ${days(age)} d old; policy allows ${days(input.policy.genericMaxAgeSeconds)} d.`,
    evidence: {
      currentVersionId: current.versionId,
      currentCreatedAt: iso(current.createTime),
      ageSeconds: Math.round(age),
      maxAgeSeconds: input.policy.genericMaxAgeSeconds,
    },
    runbook:
      'Generic secrets are rotated by their owner: change the credential at its source, then aliyun kms PutSecretValue --SecretName <name> --VersionId <new> --SecretData <value>.',
    remediable: false,
  });
}

function deletionScheduled(input: CheckInput): Finding | undefined {
  const d = input.observed.description;
  if (d.plannedDeleteTime === undefined) return undefined;
  return finding(input, 'deletion-scheduled', {
    summary: `${d.secretName} is scheduled for deletion; it becomes permanent at ${iso(d.plannedDeleteTime)}.`,
    evidence: {
      plannedDeleteTime: iso(d.plannedDeleteTime),
      permanentInSeconds: Math.round((d.plannedDeleteTime - input.now) / 1000),
    },
    runbook: `If this is a mistake, restore it before ${iso(d.plannedDeleteTime)}: aliyun kms RestoreSecret --SecretName ${d.secretName}`,
    remediable: false,
  });
}

/**
 * The deletion-scheduled finding of a RAM secret, told what the deletion leaves behind: deleting a
 * dynamic RAM secret does not delete its user's AccessKeys (KMS "Manage dynamic RAM secrets": confirm
 * no application still uses them), so the alert names them and when each was last used. The keys go
 * under identifier-named evidence (`...Name`, `...Keys`) so redaction keeps the ids readable; a
 * secret could not get here: only ids and dates are read.
 */
export function withLeftoverKeys(finding: Finding, left: LeftoverKeys): Finding {
  if (finding.checkId !== 'deletion-scheduled') return finding;
  const keys = left.notChecked
    ? `not checked (${left.notChecked})`
    : left.keys.map((k) => `${k.accessKeyId} last used ${k.lastUsed}`).join('; ') || 'none';
  const active = left.notChecked
    ? `its AccessKeys could not be listed (${left.notChecked})`
    : left.keys.length === 0
      ? 'it has no AccessKey left'
      : `AccessKey ${left.keys.map((k) => k.accessKeyId).join(', ')} stay${left.keys.length === 1 ? 's' : ''} active`;
  return {
    ...finding,
    summary: `${finding.summary} RAM user ${left.userName}: ${active}.`,
    evidence: { ...finding.evidence, ramUserName: left.userName, leftoverAccessKeys: keys },
    runbook: `${finding.runbook}. Deleting this RAM secret does not delete the AccessKeys of RAM user ${left.userName}: once no application uses them (check their last use), disable then delete them in RAM (UpdateAccessKey Status=Inactive, then DeleteAccessKey).`,
  };
}

function verificationFailed(input: CheckInput): Finding | undefined {
  const v = input.observed.verification;
  const d = input.observed.description;
  if (!v || v.ok) return undefined;
  return finding(input, 'verification-failed', {
    summary: `The current credential of ${d.secretName} does not work.`,
    evidence: { reason: v.reason ?? 'probe failed', probedAt: iso(v.at) },
    runbook: isManaged(d.secretType)
      ? 'The orchestrator rotates the secret to get a working credential; meanwhile check the target (account locked, password changed outside KMS).'
      : 'Put a working value: aliyun kms PutSecretValue --SecretName <name> ...; check who changed the credential at its source.',
    cause: { target: target(input) },
    remediable: isManaged(d.secretType),
  });
}

const ROTATION_CHECKS = [
  rotationFailed,
  rotationOverdue,
  stuckInProgress,
  rotationDisabled,
  intervalOutOfPolicy,
  singleUserRds,
  genericStale,
];

/** Every finding for this secret now. A secret scheduled for deletion is going away: only that is reported, plus a failing probe. */
export function evaluate(observed: ObservedSecret, policy: IntervalPolicy, config: Config, now: number): Finding[] {
  const input: CheckInput = { observed, policy, config, now };
  const deleting = deletionScheduled(input);
  const checks = deleting ? [] : ROTATION_CHECKS;
  return [...checks.map((check) => check(input)), deleting, verificationFailed(input)].filter(
    (f): f is Finding => f !== undefined,
  );
}

/** Whether evaluate() needs the version list for this secret (only Generic secrets: generic-stale). */
export function needsVersions(secretType: string): boolean {
  return secretType.toLowerCase() === 'generic';
}
