/**
 * Which rotation errors retrying can fix, and how long to wait. Known codes come from KMS, RDS,
 * RAM and the account layer (alibaba-cloud-apis.md §1.5, §3); an unknown code is retried a little
 * and then escalated, because a guess that retries forever pages nobody.
 */
import { fullJitterDelay } from './backoff';
import { isThrottling } from './throttling';

/**
 * The backoff of a failed rotation, in seconds: 120 s, then doubling, capped at an hour (full
 * jitter below). Within KRO_RETRY_MAX_ATTEMPTS and KRO_RETRY_MAX_HOURS, which decide when a
 * human is paged, the schedule itself is no operator's decision.
 */
export const EPISODE_BACKOFF: EpisodeBackoff = { baseDelaySeconds: 120, maxDelaySeconds: 3600 };

export interface EpisodeBackoff {
  baseDelaySeconds: number;
  maxDelaySeconds: number;
}

export type ErrorKind = 'retryable' | 'needs-human';

export interface ErrorClass {
  kind: ErrorKind;
  /** A rotation already running: wait and try later, it is not a failed attempt. */
  wait: boolean;
  known: boolean;
  /** Attempts allowed for this cause; undefined = the configured maximum. */
  attemptLimit?: number;
  runbook: string;
}

interface KnownCode {
  code: string;
  kind: ErrorKind;
  wait?: boolean;
  runbook: string;
}

const THROTTLED =
  'The cloud API throttled the call. The orchestrator retries with backoff; if it persists, look for another client exhausting the KMS quota (ActionTrail, by access key).';
const TRANSIENT =
  'A transient service error. The orchestrator retries with backoff; nothing to do unless retries are exhausted, then check the Alibaba Cloud status page.';
const BUSY =
  'The database instance is busy (maintenance, restart, resizing). The orchestrator retries; if it persists, check the instance status in the RDS console.';

/** Order matters only for the short codes of the state tag (episode-tag.ts): append, never reorder. */
export const KNOWN_ERROR_CODES: readonly KnownCode[] = [
  { code: 'Rejected.Throttling', kind: 'retryable', wait: true, runbook: THROTTLED },
  { code: 'Throttling', kind: 'retryable', wait: true, runbook: THROTTLED },
  { code: 'InternalFailure', kind: 'retryable', runbook: TRANSIENT },
  { code: 'InternalError', kind: 'retryable', runbook: TRANSIENT },
  { code: 'ServiceUnavailableTemporary', kind: 'retryable', runbook: TRANSIENT },
  { code: 'ServiceUnavailable', kind: 'retryable', runbook: TRANSIENT },
  {
    code: 'Rejected.RotationInProgress',
    kind: 'retryable',
    wait: true,
    runbook:
      'A rotation is already running. The orchestrator waits for it and checks the result; this is not a failure.',
  },
  { code: 'OperationDenied.DBInstanceStatus', kind: 'retryable', runbook: BUSY },
  { code: 'IncorrectDBInstanceState', kind: 'retryable', runbook: BUSY },
  {
    code: 'InvalidDBInstanceId.NotFound',
    kind: 'needs-human',
    runbook:
      'The RDS instance behind this secret no longer exists. Point the secret at the new instance (UpdateSecret ExtendedConfig) or delete the secret: aliyun kms DeleteSecret --SecretName <name>.',
  },
  {
    code: 'InvalidAccountName.NotFound',
    kind: 'needs-human',
    runbook:
      'The database account this secret rotates was deleted. Recreate the account in RDS or re-create the secret for an existing account.',
  },
  {
    code: 'EntityNotExist.User',
    kind: 'needs-human',
    runbook: 'The RAM user of this secret no longer exists. Recreate the user or delete the secret.',
  },
  {
    code: 'InvalidInstanceId.NotFound',
    kind: 'needs-human',
    runbook: 'The ECS instance behind this secret no longer exists. Delete the secret or point it at a live instance.',
  },
  {
    code: 'Forbidden.NoPermission',
    kind: 'needs-human',
    runbook:
      "KMS is not allowed to rotate: grant the KMS service-linked role (AliyunServiceRoleForKMSSecretsManagerFor*) and the orchestrator role's kms:RotateSecret permission.",
  },
  {
    code: 'Forbidden.InDebt',
    kind: 'needs-human',
    runbook:
      'The account is in debt and the service refuses changes. Settle the balance, then the orchestrator retries on the next sweep.',
  },
  {
    code: 'Forbidden.InDebtOverdue',
    kind: 'needs-human',
    runbook:
      'The account is overdue and the service refuses changes. Settle the balance, then the orchestrator retries on the next sweep.',
  },
  {
    code: 'InvalidParameter',
    kind: 'needs-human',
    runbook:
      "The rotation's configuration is invalid (ExtendedConfig, interval, sub-type). Fix the secret's settings with UpdateSecret / UpdateSecretRotationPolicy.",
  },
  {
    code: 'Rejected.Unavailable',
    kind: 'needs-human',
    runbook: 'The KMS instance holding this secret has expired. Renew the KMS instance.',
  },
  {
    code: 'Forbidden.ResourceNotFound',
    kind: 'needs-human',
    runbook: 'The secret no longer exists (deleted). Nothing to rotate; remove references to it.',
  },
  {
    code: 'RotationTimeout',
    kind: 'retryable',
    runbook:
      'The rotation did not complete within the expected time for its type. The orchestrator retries; if it persists, check the target (instance status, account) and the KMS console.',
  },
  {
    code: 'VerificationFailed',
    kind: 'retryable',
    runbook:
      'The new credential did not work when probed. The orchestrator rotates again; if it persists, check the target and the application using the secret.',
  },
  {
    code: 'RemediationFailed',
    kind: 'needs-human',
    runbook:
      "The orchestrator's remediate function (KRO_REMEDIATE_FUNCTION, default kro-remediate) failed on every Function Compute retry, so it stopped: read that function's logs for the error, fix it, then rotate the secret by hand.",
  },
  // PolarDB's codes (UNCONFIRMED, emulator/services/polardb): a missing cluster, like a missing RDS
  // instance, needs a human; a busy one is retried.
  {
    code: 'InvalidDBClusterId.NotFound',
    kind: 'needs-human',
    runbook:
      'The PolarDB cluster behind this secret no longer exists. Point the secret at the new cluster (UpdateSecret ExtendedConfig) or delete the secret: aliyun kms DeleteSecret --SecretName <name>.',
  },
  { code: 'OperationDenied.DBClusterStatus', kind: 'retryable', runbook: BUSY },
];

const BY_CODE = new Map(KNOWN_ERROR_CODES.map((k) => [k.code, k]));

/** Unknown causes: retried this many times before a human is asked. */
export const UNKNOWN_CODE_ATTEMPTS = 2;

/**
 * Rotation events carry failureInfo.errorCode bare or as `Kms:<Code>` (KMS monitoring pages, ECS
 * and RDS samples; reference §10): the table keys on the code after the prefix.
 */
export function bareErrorCode(errorCode: string): string {
  return errorCode.replace(/^kms:/i, '');
}

export function classify(rawCode: string | undefined, message = ''): ErrorClass {
  if (/being rotated/i.test(message))
    return { kind: 'retryable', wait: true, known: true, runbook: BY_CODE.get('Rejected.RotationInProgress')!.runbook };
  const errorCode = rawCode === undefined ? undefined : bareErrorCode(rawCode);
  const known = errorCode ? BY_CODE.get(errorCode) : undefined;
  if (known) return { kind: known.kind, wait: known.wait === true, known: true, runbook: known.runbook };
  if (errorCode && isThrottling(errorCode)) return { kind: 'retryable', wait: true, known: true, runbook: THROTTLED };
  return {
    kind: 'retryable',
    wait: false,
    known: false,
    attemptLimit: UNKNOWN_CODE_ATTEMPTS,
    runbook: `Unrecognised error${errorCode ? ` ${errorCode}` : ''}. The orchestrator retries it at most ${UNKNOWN_CODE_ATTEMPTS} times, then escalates: read the message and the KMS console for the cause.`,
  };
}

export function classifyKind(errorCode: string | undefined, message?: string): ErrorKind {
  return classify(errorCode, message).kind;
}

/** The episode's retry delay in whole seconds (at least 1): full jitter (backoff.ts); attempt starts at 1. */
export function nextDelay(attempt: number, retry: EpisodeBackoff, random: () => number): number {
  return Math.max(1, Math.round(fullJitterDelay(attempt, retry.baseDelaySeconds, retry.maxDelaySeconds, random)));
}
