/**
 * Every health check of DESIGN §4 in one place: its tag code, default severity, whether it is a
 * rotation failure, the alert that opens its episode, and the runbook used when no finding is at
 * hand (an alert sent by a later pass). checks.ts decides when a check fires; this says what it is.
 *
 * The tag code is how the state tag (episode-tag.ts) stores the check, so it is stored data: a code
 * is never reused or changed once released (a test pins them), and a new check takes a new letter.
 * The codes a-i are the positions the first release gave the checks, so its tags still decode.
 */
import type { AlertName } from './alert-catalog';

export type Severity = 'critical' | 'warning';

export interface CheckInfo {
  /** One lowercase letter, unique, stable forever: the check's name inside the state tag. */
  tagCode: string;
  /** The default severity of its findings (a check may raise it, as rotation-at-risk will inside 24 h). */
  severity: Severity;
  /** A rotation that failed or does not work: grouped by cause in a storm, and kept first when the tag is full. */
  failure: boolean;
  /** The custom event sent when its episode opens. */
  openAlert: AlertName;
  runbook: string;
  /**
   * Run by a pass only on its turn (the readiness forecast reads other products, paced and spread
   * over the day): an episode of it is kept as it is by a pass that did not run it, never resolved.
   */
  sampled?: true;
  /** Grouped by cause in a storm although not a failure: one stopped instance puts many secrets at risk. */
  groupByCause?: true;
}

export const CHECKS = {
  'rotation-failed': {
    tagCode: 'a',
    severity: 'critical',
    failure: true,
    openAlert: 'KmsRotationFailed',
    runbook: 'KMS does not retry a failed rotation; the orchestrator does, within its budget.',
  },
  'rotation-overdue': {
    tagCode: 'b',
    severity: 'critical',
    failure: true,
    openAlert: 'KmsRotationFailed',
    runbook: 'The scheduled rotation did not happen; the orchestrator triggers RotateSecret.',
  },
  'rotation-disabled': {
    tagCode: 'c',
    severity: 'warning',
    failure: false,
    openAlert: 'KmsRotationPolicyViolation',
    runbook: 'Enable automatic rotation with UpdateSecretRotationPolicy.',
  },
  'interval-out-of-policy': {
    tagCode: 'd',
    severity: 'warning',
    failure: false,
    openAlert: 'KmsRotationPolicyViolation',
    runbook: 'Set the rotation interval within policy with UpdateSecretRotationPolicy.',
  },
  'single-user-rds': {
    tagCode: 'e',
    severity: 'warning',
    failure: false,
    openAlert: 'KmsRotationPolicyViolation',
    runbook: 'Move to a dual-account (DoubleUsers) RDS secret.',
  },
  'generic-stale': {
    tagCode: 'f',
    severity: 'warning',
    failure: false,
    openAlert: 'KmsRotationPolicyViolation',
    runbook: "Rotate the value at its source and PutSecretValue; Generic secrets are their owner's job.",
  },
  'deletion-scheduled': {
    tagCode: 'g',
    severity: 'warning',
    failure: false,
    openAlert: 'KmsSecretDeletionScheduled',
    runbook:
      'Restore it within the recovery window if the deletion is a mistake: aliyun kms RestoreSecret --SecretName <name>.',
  },
  'verification-failed': {
    tagCode: 'h',
    severity: 'critical',
    failure: true,
    openAlert: 'KmsCredentialVerificationFailed',
    runbook: 'The current credential was refused by its target: check the account at the target.',
  },
  'stuck-in-progress': {
    tagCode: 'i',
    severity: 'critical',
    failure: true,
    openAlert: 'KmsRotationFailed',
    runbook: 'A rotation has run longer than its type allows: check the target and the KMS console.',
  },
  'rotation-at-risk': {
    tagCode: 'j',
    // Raised to critical by the finding when the rotation is due within 24 h (domain/readiness.ts).
    severity: 'warning',
    failure: false,
    openAlert: 'KmsRotationAtRisk',
    runbook:
      'A precondition of the next rotation fails (the alert names the cause, the resource and its fix): fix it before the rotation is due.',
    sampled: true,
    groupByCause: true,
  },
  'secret-policy-broad': {
    tagCode: 'k',
    severity: 'warning',
    failure: false,
    openAlert: 'KmsSecretPolicyBroad',
    runbook:
      "The secret policy lets `*` or another account call kms:GetSecretValue: narrow it to this account's RAM users and roles with SetSecretPolicy.",
    sampled: true,
  },
} as const satisfies Record<string, CheckInfo>;

export type CheckId = keyof typeof CHECKS;

/** Every check, in the order reports list them. Never use a position in this list as stored data. */
export const CHECK_IDS: readonly CheckId[] = Object.freeze(Object.keys(CHECKS) as CheckId[]);

export function checkInfo(checkId: CheckId): CheckInfo {
  return CHECKS[checkId];
}

const BY_TAG_CODE = new Map<string, CheckId>(CHECK_IDS.map((id) => [CHECKS[id].tagCode, id]));

/** The check a state tag names by its code; undefined for a code no release has used. */
export function checkOfTagCode(code: string): CheckId | undefined {
  return BY_TAG_CODE.get(code);
}

/**
 * Overdue, stuck and failed are stages of one problem, the rotation not happening (issue 14): a
 * secret has at most one open episode for it, which pages once and moves through the stages. In
 * stage order: a later stage says more about what went wrong than an earlier one.
 */
export const ROTATION_STAGES: readonly CheckId[] = Object.freeze([
  'rotation-overdue',
  'stuck-in-progress',
  'rotation-failed',
] as CheckId[]);

export const ROTATION_PROBLEM = 'rotation';

/** The problem a check's episode belongs to: the rotation stages share one, every other check is its own. */
export function problemOf(checkId: CheckId): string {
  return ROTATION_STAGES.includes(checkId) ? ROTATION_PROBLEM : checkId;
}

/** How far along its problem a check is (0 for a check that is its own problem). */
export function stageRank(checkId: CheckId): number {
  return ROTATION_STAGES.indexOf(checkId) + 1;
}

export function isFailureCheck(checkId: CheckId): boolean {
  return CHECKS[checkId].failure;
}

/** Whether a storm groups this check's alerts by their shared cause. */
export function groupsByCause(checkId: CheckId): boolean {
  const info: CheckInfo = CHECKS[checkId];
  return info.failure || info.groupByCause === true;
}

/** Checks a pass runs only on its turn: their episodes are left alone by the passes between. */
export const SAMPLED_CHECKS: readonly CheckId[] = Object.freeze(
  CHECK_IDS.filter((id) => (CHECKS[id] as CheckInfo).sampled === true),
);

/** A check's default severity; an id from outside the catalog (an old report) reads as a warning. */
export function severityOfCheck(checkId: string): Severity {
  return Object.hasOwn(CHECKS, checkId) ? CHECKS[checkId as CheckId].severity : 'warning';
}
