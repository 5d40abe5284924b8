/**
 * The readiness forecast (issue 16, DESIGN §4 rotation-at-risk): from what read-only calls saw of a
 * managed secret's rotation target, which precondition of its next rotation fails, and what to do.
 * Pure: the reader (shared/readiness/) does the calls and hands in observations; `now` is passed in.
 * Preconditions and sources: alibaba-cloud-apis.md §11.
 */
import type { Finding } from './types';
import { isTurn, spreadOf } from './turns';

export const READINESS_CAUSES = [
  'instance-missing',
  'instance-not-running',
  'account-missing',
  'ram-user-missing',
  'access-key-limit',
  'cloud-assistant-offline',
  'service-role-missing',
  'kms-instance-expiring',
] as const;
export type ReadinessCause = (typeof READINESS_CAUSES)[number];

export type ResourceKind =
  'rds-instance' | 'redis-instance' | 'polardb-cluster' | 'ecs-instance' | 'ram-user' | 'kms-instance' | 'service-role';

export interface ResourceRef {
  kind: ResourceKind;
  id: string;
}

/** One precondition of one secret's next rotation as read: holds, fails, or could not be read. */
export interface PreconditionResult {
  cause: ReadinessCause;
  resource: ResourceRef;
  state: 'holds' | 'fails' | 'not-checked';
  /** What was seen (a status, an account name, an end date) or why it was not checked (an error code). */
  detail?: string;
}

/** What a describe answered: a value, "no such resource", or a failure that leaves it unknown. */
export type Observation<T> = { kind: 'found'; value: T } | { kind: 'not-found' } | { kind: 'unreadable'; code: string };

const DAY_MS = 86_400_000;
/** Inside this, a rotation-at-risk finding is critical (issue 16). */
export const CRITICAL_WITHIN_MS = DAY_MS;
/** An expired KMS instance is released 15 days after its end date (secrets FAQ): warn this early. */
export const KMS_INSTANCE_WARNING_MS = 15 * DAY_MS;
/** RAM allows 2 AccessKeys per user; a rotation creates one more before it deletes the old one. */
export const MAX_ACCESS_KEYS = 2;

/** Healthy status per product (SDK models: DBInstanceStatus, InstanceStatus, DBClusterStatus, Status). */
export const HEALTHY: Readonly<Record<'rds-instance' | 'redis-instance' | 'polardb-cluster' | 'ecs-instance', string>> =
  {
    'rds-instance': 'Running',
    'redis-instance': 'Normal',
    'polardb-cluster': 'Running',
    'ecs-instance': 'Running',
  };

function notChecked(cause: ReadinessCause, resource: ResourceRef, code: string): PreconditionResult {
  return { cause, resource, state: 'not-checked', detail: code };
}

/** RDS / Redis / PolarDB: the instance exists and is healthy; every account the rotation writes exists. */
export function databasePreconditions(
  resource: ResourceRef & { kind: 'rds-instance' | 'redis-instance' | 'polardb-cluster' },
  instance: Observation<{ status: string }>,
  accounts: Observation<string[]> | undefined,
  needed: string[],
): PreconditionResult[] {
  if (instance.kind === 'unreadable')
    return [
      notChecked('instance-missing', resource, instance.code),
      notChecked('instance-not-running', resource, instance.code),
    ];
  if (instance.kind === 'not-found') return [{ cause: 'instance-missing', resource, state: 'fails' }];
  const out: PreconditionResult[] = [
    { cause: 'instance-missing', resource, state: 'holds' },
    {
      cause: 'instance-not-running',
      resource,
      state: instance.value.status === HEALTHY[resource.kind] ? 'holds' : 'fails',
      detail: instance.value.status,
    },
  ];
  if (needed.length === 0) out.push(notChecked('account-missing', resource, 'AccountNameUnknown'));
  else if (!accounts || accounts.kind === 'unreadable')
    out.push(notChecked('account-missing', resource, accounts?.kind === 'unreadable' ? accounts.code : 'NotRead'));
  else {
    const present = new Set(accounts.kind === 'found' ? accounts.value : []);
    const missing = needed.filter((a) => !present.has(a));
    out.push({
      cause: 'account-missing',
      resource,
      state: missing.length > 0 ? 'fails' : 'holds',
      detail: (missing.length > 0 ? missing : needed).join(','),
    });
  }
  return out;
}

/** ECS: the instance exists and runs; Cloud Assistant reports a heartbeat (KMS rotates through it). */
export function ecsPreconditions(
  resource: ResourceRef,
  instance: Observation<{ status: string }>,
  cloudAssistant: Observation<boolean> | undefined,
): PreconditionResult[] {
  if (instance.kind === 'unreadable')
    return [
      notChecked('instance-missing', resource, instance.code),
      notChecked('instance-not-running', resource, instance.code),
    ];
  if (instance.kind === 'not-found') return [{ cause: 'instance-missing', resource, state: 'fails' }];
  const running = instance.value.status === HEALTHY['ecs-instance'];
  const out: PreconditionResult[] = [
    { cause: 'instance-missing', resource, state: 'holds' },
    { cause: 'instance-not-running', resource, state: running ? 'holds' : 'fails', detail: instance.value.status },
  ];
  // A stopped instance has no agent heartbeat: that is the stop, not a second cause.
  if (!running) return out;
  if (!cloudAssistant || cloudAssistant.kind === 'unreadable')
    out.push(
      notChecked(
        'cloud-assistant-offline',
        resource,
        cloudAssistant?.kind === 'unreadable' ? cloudAssistant.code : 'NotRead',
      ),
    );
  else
    out.push({
      cause: 'cloud-assistant-offline',
      resource,
      state: cloudAssistant.kind === 'found' && cloudAssistant.value ? 'holds' : 'fails',
    });
  return out;
}

/** RAM: the user exists and has fewer than 2 AccessKeys. */
export function ramPreconditions(
  resource: ResourceRef,
  user: Observation<true>,
  keys: Observation<number> | undefined,
): PreconditionResult[] {
  if (user.kind === 'unreadable')
    return [notChecked('ram-user-missing', resource, user.code), notChecked('access-key-limit', resource, user.code)];
  if (user.kind === 'not-found') return [{ cause: 'ram-user-missing', resource, state: 'fails' }];
  const out: PreconditionResult[] = [{ cause: 'ram-user-missing', resource, state: 'holds' }];
  if (!keys || keys.kind !== 'found')
    out.push(notChecked('access-key-limit', resource, keys?.kind === 'unreadable' ? keys.code : 'NotRead'));
  else
    out.push({
      cause: 'access-key-limit',
      resource,
      state: keys.value >= MAX_ACCESS_KEYS ? 'fails' : 'holds',
      detail: String(keys.value),
    });
  return out;
}

/** The KMS instance holding the secret: fails when it ends before the rotation or within 15 days. */
export function kmsInstancePrecondition(
  resource: ResourceRef,
  instance: Observation<{ endDate?: number }>,
  now: number,
  nextRotation: number | undefined,
): PreconditionResult {
  if (instance.kind === 'unreadable') return notChecked('kms-instance-expiring', resource, instance.code);
  if (instance.kind === 'not-found')
    return { cause: 'kms-instance-expiring', resource, state: 'fails', detail: 'released' };
  const end = instance.value.endDate;
  if (end === undefined) return { cause: 'kms-instance-expiring', resource, state: 'holds', detail: 'no end date' };
  const fails = end - now <= KMS_INSTANCE_WARNING_MS || (nextRotation !== undefined && end <= nextRotation);
  return {
    cause: 'kms-instance-expiring',
    resource,
    state: fails ? 'fails' : 'holds',
    detail: new Date(end).toISOString(),
  };
}

export function rolePrecondition(resource: ResourceRef, role: Observation<true>): PreconditionResult {
  if (role.kind === 'unreadable') return notChecked('service-role-missing', resource, role.code);
  return { cause: 'service-role-missing', resource, state: role.kind === 'found' ? 'holds' : 'fails' };
}

export interface ReadinessFinding {
  checkId: 'rotation-at-risk';
  severity: 'critical' | 'warning';
  secretName: string;
  cause: ReadinessCause;
  resource: ResourceRef;
  /** One sentence for a human, no secret value. */
  summary: string;
  evidence: Record<string, string | number>;
  runbook: string;
}

/** What to do, per cause: the fix a human makes before the rotation runs. */
export const READINESS_RUNBOOKS: Readonly<Record<ReadinessCause, string>> = {
  'instance-missing':
    'The instance the secret rotates no longer exists: KMS cannot reset the password. If it was replaced, create the secret again for the new instance (or update the application to it) and delete this secret; if it was released by mistake, restore it from backup.',
  'instance-not-running':
    'The instance is not running (ResetAccountPassword needs Running / Normal): start it (console, StartDBInstance / StartInstance) before the rotation is due, or postpone the rotation with UpdateSecretRotationPolicy.',
  'account-missing':
    'An account the rotation writes to does not exist on the instance (for dual accounts both <account> and <account>_clone must): recreate it with the same name (CreateAccount), or recreate the secret for the accounts that exist.',
  'ram-user-missing':
    'The RAM user of the secret was deleted, so KMS cannot create its next AccessKey. If the user is retired, move its applications off the secret and delete it; otherwise recreate the user with the same name and one AccessKey, then recreate the RAM secret for it.',
  'access-key-limit':
    'The RAM user already has 2 AccessKeys; the rotation must create a new one first and fails with LimitExceeded.User.AccessKey. Check with GetAccessKeyLastUsed which extra key is unused and delete it (DeleteAccessKey) before the rotation is due.',
  'cloud-assistant-offline':
    'Cloud Assistant on the instance sends no heartbeat; KMS rotates ECS passwords and keys through a Cloud Assistant command. Start or reinstall the agent (InstallCloudAssistant, or restart the aliyun-service daemon) and confirm DescribeCloudAssistantStatus says true.',
  'service-role-missing':
    "KMS's service-linked role for this product is gone, so KMS cannot act on the target. Recreate it (RAM CreateServiceLinkedRole, or create one dynamic secret of that type in the KMS console, which recreates it).",
  'kms-instance-expiring':
    'The KMS instance holding the secret ends before the rotation or within 15 days; an expired instance answers Rejected.Unavailable and is released 15 days later with its secrets. Renew the instance now.',
};

const WHAT: Readonly<Record<ReadinessCause, string>> = {
  'instance-missing': 'does not exist',
  'instance-not-running': 'is not running',
  'account-missing': 'lacks an account the rotation writes to',
  'ram-user-missing': 'does not exist',
  'access-key-limit': 'already has 2 AccessKeys',
  'cloud-assistant-offline': 'has Cloud Assistant offline',
  'service-role-missing': 'does not exist',
  'kms-instance-expiring': 'ends before the rotation or within 15 days',
};

export interface ReadinessInput {
  secretName: string;
  nextRotationDate?: number;
  now: number;
  results: PreconditionResult[];
}

export interface ReadinessAssessment {
  findings: ReadinessFinding[];
  /** Preconditions that could not be read (denied, failing): "not checked" in the report, never an alarm. */
  notChecked: PreconditionResult[];
  /** Every failing cause, for holding a retry while it is still present. */
  blockingCauses: ReadinessCause[];
}

export function assessReadiness(input: ReadinessInput): ReadinessAssessment {
  const dueIn = input.nextRotationDate === undefined ? 0 : input.nextRotationDate - input.now;
  const severity = dueIn <= CRITICAL_WITHIN_MS ? 'critical' : 'warning';
  const failing = input.results.filter((r) => r.state === 'fails');
  const findings = failing.map((r): ReadinessFinding => ({
    checkId: 'rotation-at-risk',
    severity,
    secretName: input.secretName,
    cause: r.cause,
    resource: r.resource,
    summary: `The next rotation of ${input.secretName} will fail: ${r.resource.kind} ${r.resource.id} ${WHAT[r.cause]}.`,
    evidence: {
      cause: r.cause,
      resource: `${r.resource.kind}/${r.resource.id}`,
      ...(r.detail ? { observed: r.detail } : {}),
      ...(input.nextRotationDate !== undefined
        ? {
            nextRotationDate: new Date(input.nextRotationDate).toISOString(),
            hoursUntilDue: Math.round(dueIn / 3_600_000),
          }
        : {}),
    },
    runbook: READINESS_RUNBOOKS[r.cause],
  }));
  return {
    findings,
    notChecked: input.results.filter((r) => r.state === 'not-checked'),
    blockingCauses: [...new Set(failing.map((r) => r.cause))],
  };
}

/**
 * Whether a retry of a failed rotation should wait: a known cause is still present, so the retry
 * would fail the same way and spend the budget (issue 16). Unknown (not-checked) does not hold.
 */
export function holdsRetry(assessment: Pick<ReadinessAssessment, 'blockingCauses'>): boolean {
  return assessment.blockingCauses.length > 0;
}

/** Inside the horizon a secret is checked this often (each check costs ~2 reads per instance). */
export const NEAR_CHECK_INTERVAL_MS = 6 * 3_600_000;

/**
 * Which secrets to check this sweep: a failed rotation waiting for a retry every sweep; a secret
 * due within the horizon every 6 h; every other managed secret once a day. The slot is chosen by
 * `spreadKey`, the target resource, so the secrets sharing an instance are checked in the same
 * sweep and share its reads (the budget: <= 4 reads per secret per day on average).
 */
export function shouldCheckReadiness(input: {
  spreadKey: string;
  nextRotationDate?: number;
  now: number;
  horizonMs: number;
  sweepIntervalMs: number;
  failing: boolean;
}): boolean {
  if (input.failing) return true;
  return isTurn(spreadOf(input.spreadKey), input.now, readinessPeriodMs(input), input.sweepIntervalMs);
}

/** How often a secret's preconditions are read: every 6 h inside the horizon, else daily. */
export function readinessPeriodMs(input: { nextRotationDate?: number; now: number; horizonMs: number }): number {
  const near = input.nextRotationDate !== undefined && input.nextRotationDate - input.now <= input.horizonMs;
  return near ? NEAR_CHECK_INTERVAL_MS : DAY_MS;
}

/**
 * Whether a secret policy lets `*` or a principal outside the account call kms:GetSecretValue
 * (secret-policy-broad). Returns the admitted principals, and the broad ones.
 */
export function assessSecretPolicy(
  policyText: string,
  accountId: string,
): { principals: string[]; broad: string[]; unparsable: boolean } {
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(policyText) as { Statement?: unknown };
  } catch {
    return { principals: [], broad: [], unparsable: true };
  }
  const statements = Array.isArray(doc.Statement) ? (doc.Statement as Array<Record<string, unknown>>) : [];
  const principals = new Set<string>();
  const broad = new Set<string>();
  for (const st of statements) {
    if (st.Effect !== 'Allow') continue;
    const actions = toList(st.Action);
    if (!actions.some((a) => actionMatches(a, 'kms:GetSecretValue'))) continue;
    for (const p of principalsOf(st.Principal)) {
      principals.add(p);
      if (isOutside(p, accountId)) broad.add(p);
    }
  }
  return { principals: [...principals].sort(), broad: [...broad].sort(), unparsable: false };
}

function toList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(action);
}

function principalsOf(principal: unknown): string[] {
  if (principal === '*') return ['*'];
  if (!principal || typeof principal !== 'object') return [];
  return Object.values(principal as Record<string, unknown>).flatMap(toList);
}

/** `*`, `acs:ram::*:...`, or an ARN/account id of another account. */
function isOutside(principal: string, accountId: string): boolean {
  if (principal === '*') return true;
  const arn = /^acs:ram::([^:]*):/.exec(principal);
  if (arn) return arn[1] !== accountId;
  if (/^\d{16}$/.test(principal)) return principal !== accountId;
  return true;
}

/**
 * The rotation-at-risk finding of one secret: an episode is kept per check, so every failing cause
 * of the secret joins one finding. The first cause leads (its resource is the storm-grouping cause:
 * one stopped instance, one removed service role); the runbook names each cause's resource and fix.
 */
export function atRiskFinding(findings: readonly ReadinessFinding[]): Finding | undefined {
  const lead = findings[0];
  if (!lead) return undefined;
  const others = findings.slice(1);
  const runbook = findings.map((f) => `${f.cause} (${f.resource.kind} ${f.resource.id}): ${f.runbook}`).join(' ');
  return {
    checkId: 'rotation-at-risk',
    severity: findings.some((f) => f.severity === 'critical') ? 'critical' : 'warning',
    secretName: lead.secretName,
    summary: [lead.summary, ...others.map((f) => `Also: ${f.resource.kind} ${f.resource.id} ${WHAT[f.cause]}.`)].join(
      ' ',
    ),
    evidence: {
      ...lead.evidence,
      ...(others.length > 0
        ? { causes: findings.map((f) => `${f.cause}@${f.resource.kind}/${f.resource.id}`).join(',') }
        : {}),
    },
    runbook,
    cause: { target: lead.resource.id },
    remediable: false,
  };
}

/** secret-policy-broad: the secret policy admits `*` or principals of another account to GetSecretValue. */
export function broadPolicyFinding(secretName: string, broad: readonly string[]): Finding {
  return {
    checkId: 'secret-policy-broad',
    severity: 'warning',
    secretName,
    summary: `The secret policy of ${secretName} lets ${broad.join(', ')} call kms:GetSecretValue.`,
    evidence: { admits: broad.join(',') },
    runbook: `Narrow the secret policy to this account's RAM users and roles (aliyun kms SetSecretPolicy --SecretName ${secretName} --Policy <document>); remove ${broad.join(', ')} from the statements that allow kms:GetSecretValue.`,
    remediable: false,
  };
}
