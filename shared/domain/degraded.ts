/**
 * The orchestrator's own health: KmsOrchestratorDegraded opens when a full sweep could not assess
 * some secrets, or when Function Compute's on-failure destination reports that one of our
 * functions gave up; KmsOrchestratorRecovered closes it when a later full sweep assesses every
 * secret. There is no secret of our own to keep a state tag on, so the state is the alert history
 * itself: CloudMonitor's custom events (DescribeCustomEventAttribute), read back before each send.
 * A degradation is open when its latest Degraded event is newer than the latest Recovered one.
 * Pure: building the content and deciding from the history; core/degraded.ts does the I/O.
 */
import { redactMessage, safeErrorCode } from './redact';
import { toBase36Seconds } from './ids';

export const DEGRADED_ALERT = 'KmsOrchestratorDegraded';
export const RECOVERED_ALERT = 'KmsOrchestratorRecovered';
/** In every content of both alerts (their alertId prefix): the search keyword that finds them. */
export const DEGRADED_KEYWORD = 'kro-degraded';
/**
 * How far back the history is read. A degradation still open after this long pages again, so an
 * unresolved one is re-announced once a week instead of never.
 */
export const DEGRADED_LOOKBACK_MS = 7 * 86_400_000;
/** Secrets named in one alert; the count says how many there were in all. */
export const DEGRADED_NAMED_SECRETS = 20;

export interface UnassessedSecret {
  secretName: string;
  code: string;
}

export type DegradedCause =
  | { kind: 'sweep'; unassessed: UnassessedSecret[]; listed: number }
  | { kind: 'failed-invocation'; functionName: string; condition: string; errorMessage?: string };

export interface DegradedHistory {
  /** The latest Degraded event in the lookback, if any. */
  lastOpened?: { at: number; alertId?: string };
  lastRecovered?: { at: number };
}

export interface HistoryEvent {
  name: string;
  time?: number;
  content: string;
}

export function historyFrom(events: readonly HistoryEvent[]): DegradedHistory {
  const history: DegradedHistory = {};
  for (const e of events) {
    if (e.time === undefined) continue;
    if (e.name === DEGRADED_ALERT && e.time > (history.lastOpened?.at ?? -Infinity))
      history.lastOpened = { at: e.time, alertId: /"alertId":"([^"]+)"/.exec(e.content)?.[1] };
    if (e.name === RECOVERED_ALERT && e.time > (history.lastRecovered?.at ?? -Infinity))
      history.lastRecovered = { at: e.time };
  }
  return history;
}

export function isDegradationOpen(history: DegradedHistory): boolean {
  return history.lastOpened !== undefined && history.lastOpened.at >= (history.lastRecovered?.at ?? -Infinity);
}

/**
 * A clean sweep resolves only a degradation opened before it started: one opened meanwhile (a
 * destination report about another invocation) is not disproved by this sweep.
 */
export function shouldResolve(history: DegradedHistory, sweepStartedAt: number): boolean {
  return isDegradationOpen(history) && history.lastOpened!.at < sweepStartedAt;
}

/** Error codes by how many secrets each stopped, most frequent first. */
export function codeCounts(unassessed: readonly UnassessedSecret[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const u of unassessed) {
    const code = safeErrorCode(u.code) ?? 'Unknown';
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

const PERMISSION_CODE = /^Forbidden|NoPermission|AccessDenied|NotAuthorized/i;

/** The role s.yaml names: the functions cannot read their own role's name, so the runbook says where it is set. */
const ROLE = 'the function role (s.yaml vars.role, kro-orchestrator by default)';

export function degradedRunbook(cause: DegradedCause): string {
  if (cause.kind === 'failed-invocation')
    return (
      `Function Compute gave up on ${cause.functionName} after its async retries. Read that function's logs ` +
      `in SLS (s.yaml logConfig) for the error; a missing permission is the usual cause: compare the role ` +
      `${ROLE} with deploy/ram-policy.json and re-run kro setup. The next timer sweep repeats a failed ` +
      `sweep's work; this alert resolves when a sweep assesses every secret.`
    );
  const codes = Object.keys(codeCounts(cause.unassessed));
  if (codes.some((c) => PERMISSION_CODE.test(c)))
    return (
      `${capitalize(ROLE)} is not allowed to read these secrets (usually kms:DescribeSecret, or ` +
      `kms:ListSecretVersionIds, or a resource policy or a Deny on them). Grant what deploy/ram-policy.json ` +
      `lists (kro setup does) and check explicit Deny statements. Their rotations are not watched until then.`
    );
  return (
    `These secrets could not be read this sweep (${codes.join(', ')}). If it persists, read kro-sweep's logs ` +
    `in SLS and check KMS's status. Their rotations are not watched until then.`
  );
}

export interface DegradedContext {
  regionId: string;
  now: number;
}

export function degradedContent(cause: DegradedCause, ctx: DegradedContext): Record<string, unknown> {
  const alertId = `${DEGRADED_KEYWORD}-o${toBase36Seconds(ctx.now)}`;
  const at = new Date(ctx.now).toISOString();
  const runbook = degradedRunbook(cause);
  if (cause.kind === 'sweep') {
    const codes = codeCounts(cause.unassessed);
    const n = cause.unassessed.length;
    return {
      summary:
        `The orchestrator could not assess ${n} of ${cause.listed} secrets in region ${ctx.regionId} ` +
        `(${Object.keys(codes).join(', ')}) since ${at}: their rotations are not being watched.`,
      alertId,
      status: 'open',
      cause: 'secrets-not-assessed',
      region: ctx.regionId,
      unassessed: n,
      listed: cause.listed,
      errorCodes: codes,
      unassessedSecrets: cause.unassessed.slice(0, DEGRADED_NAMED_SECRETS).map((u) => u.secretName),
      openedAt: at,
      runbook,
    };
  }
  const error = redactMessage(cause.errorMessage);
  return {
    summary:
      `${cause.functionName} failed every attempt Function Compute made (${cause.condition}) in region ` +
      `${ctx.regionId} at ${at}: the orchestrator is not doing that work.`,
    alertId,
    status: 'open',
    cause: 'invocation-failed',
    region: ctx.regionId,
    failedFunction: cause.functionName,
    condition: cause.condition,
    ...(error ? { error } : {}),
    openedAt: at,
    runbook,
  };
}

export function recoveredContent(
  history: DegradedHistory,
  ctx: DegradedContext & { assessed: number },
): Record<string, unknown> {
  const openedAt = history.lastOpened?.at ?? ctx.now;
  const minutes = Math.round((ctx.now - openedAt) / 60_000);
  return {
    summary:
      `The orchestrator assessed all ${ctx.assessed} secrets in region ${ctx.regionId} again at ` +
      `${new Date(ctx.now).toISOString()}; it had been degraded for ${minutes} min.`,
    alertId: `${DEGRADED_KEYWORD}-r${toBase36Seconds(ctx.now)}`,
    resolves: history.lastOpened?.alertId,
    status: 'resolved',
    region: ctx.regionId,
    assessed: ctx.assessed,
    openedAt: new Date(openedAt).toISOString(),
    openMinutes: minutes,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
