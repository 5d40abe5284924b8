/**
 * The incremental sweep (issue 15): a healthy fleet needs almost no DescribeSecret calls between
 * rotations, and every describe takes read quota the customer's applications need. The state tag
 * keeps what the next decision needs (the schedule below); each sweep lists every page with tags
 * and describes only the secrets for which `describeReason` names a reason. Everything here is
 * pure: the sweep (core/sweep.ts) supplies the listing, the decoded tags and the time.
 *
 * What moves a secret's verdict, and how the listing learns of it without a describe:
 * - its own changes (policy, value, deletion, rotation): the ActionTrail event reaches on-event,
 *   which describes it at once; a dropped event still moves the listed UpdateTime, or PlannedDeleteTime;
 * - time: NextRotationDate (a rotation due, overdue or inside the readiness horizon), a Generic
 *   value growing stale, a rotation running past its expected completion;
 * - a rotation started by a call whose event was dropped: the sweep's ActionTrail lookup;
 * - an open problem (critical, at risk, retrying, an alert not yet delivered): described every sweep;
 * - the operator's policy or the secret's environment tag: a two-digit print of the policy applied;
 * - the probe schedule and the readiness forecast's turns (domain/turns.ts);
 * - anything else (an UNCONFIRMED field that moves without UpdateTime): the rolling refresh, which
 *   describes every secret once per KRO_SWEEP_REFRESH_HOURS on its turn.
 */
import type { Config, EnvironmentName } from './config-types';
import type { Episode } from './episode';
import { severityOfCheck } from './check-catalog';
import { shortHash } from './ids';
import { envTagToEnvironment, policyFor, type PolicyChoice } from './policy';
import { readinessPeriodMs } from './readiness';
import type { SecretDescription, SecretSummary, SecretVersion } from './secret';
import { expectedCompletionMs, isManaged, isRam, PROBE_TAG_KEY, rotationTargetOf } from './secret-kinds';
import { needsVersions } from './checks';
import { isTurn, spreadOf } from './turns';

export interface Schedule {
  /** NextRotationDate as last described (ms); absent when automatic rotation is not on. */
  nextRotation?: number;
  /** When a check's verdict next moves with time alone, besides the rotation (a Generic value turning stale). */
  due?: number;
  /** spreadOf(rotation target, else name): the secret's turn in the rolling refresh and the readiness forecast. */
  spread: number;
  /** Two base36 digits of the policy the secret was judged by (policyPrint). */
  policy: string;
}

/**
 * How far back a listed UpdateTime counts as news: one sweep interval plus this, for a timer that
 * fired a little late and clocks a little apart. A change inside a sweep that never ran (FC failed
 * it) is left to its event and the rolling refresh. Whether TagResource moves UpdateTime is
 * UNCONFIRMED: if it does, a secret whose tag the last sweep wrote is described once more.
 */
export const CHANGE_SLACK_MS = 2 * 60_000;
/** How far back a RotateSecret found by the ActionTrail lookup counts as new (ActionTrail delivers within minutes). */
export const START_SLACK_MS = 30 * 60_000;

/** The policy a secret is judged by, as two base36 digits: an operator's change, or the secret's env tag, describes it again. */
export function policyPrint(tags: Record<string, string>, config: Config): string {
  return printOf(policyFor({ tags }, config));
}

function printOf({ environment, policy }: PolicyChoice): string {
  const n = parseInt(shortHash(`${environment}|${JSON.stringify(policy)}`, 8), 16) % 36 ** 2;
  return n.toString(36).padStart(2, '0');
}

/** Every environment's print, computed once per sweep rather than hashed for each listed secret. */
export function policyPrints(config: Config): Record<EnvironmentName, string> {
  const prints = {} as Record<EnvironmentName, string>;
  for (const environment of Object.keys(config.policies) as EnvironmentName[])
    prints[environment] = printOf({ environment, policy: config.policies[environment] });
  return prints;
}

/** What the state tag keeps about a secret just described. */
export function scheduleOf(
  reading: { description: SecretDescription; versions?: SecretVersion[] },
  config: Config,
  now: number,
): Schedule {
  const d = reading.description;
  const schedule: Schedule = {
    spread: spreadOf(rotationTargetOf(d) ?? d.secretName),
    policy: policyPrint(d.tags, config),
  };
  if (d.automaticRotation === 'Enabled' && d.nextRotationDate !== undefined) schedule.nextRotation = d.nextRotationDate;
  // Only a Generic secret's value ages by the policy (checks.ts genericStale); others rotate.
  const current = needsVersions(d.secretType)
    ? reading.versions?.find((v) => v.versionStages.includes('ACSCurrent'))
    : undefined;
  if (current?.createTime !== undefined) {
    const stale = current.createTime + policyFor(d, config).policy.genericMaxAgeSeconds * 1000;
    if (stale > now) schedule.due = stale;
  }
  return schedule;
}

export type DescribeReason =
  /** The orchestrator is degraded (it could not see): every secret is described until it can. */
  | 'recheck'
  | 'unscheduled'
  | 'policy'
  | 'attention'
  | 'deletion'
  | 'changed'
  | 'due'
  | 'running'
  | 'started'
  | 'probe'
  | 'readiness'
  | 'refresh';

export interface SelectionInput {
  listed: SecretSummary;
  /** The state the listed tags hold (the schedule absent when there is none, or it is not ours). */
  state: { schedule?: Schedule; episodes: Episode[]; rotationStartedAt?: number };
  /** The sweep's start: a continuation keeps its sweep's turns. */
  now: number;
  /** A RotateSecret the ActionTrail lookup found for this secret, when the lookup has answered. */
  lookedUpStart?: number;
  config: Config;
  /** policyPrints(config), once per sweep; computed here when absent. */
  prints?: Record<EnvironmentName, string>;
}

/** Whether the sweep starting at `now` probes this secret (spread over KRO_VERIFY_SCHEDULE_HOURS by its name). */
export function isProbeTurn(secretName: string, now: number, config: Config): boolean {
  const { sweep, verification } = config;
  return isTurn(spreadOf(secretName), now, verification.scheduleHours * 3_600_000, sweep.intervalSeconds * 1000);
}

/** An episode the sweep must look at every time: it may page, retry, escalate or remind. */
export function needsAttention(e: Episode): boolean {
  if (e.alert && e.alert.delivery !== 'delivered') return true;
  if (e.status === 'resolved') return false;
  return severityOfCheck(e.checkId) === 'critical' || e.checkId === 'rotation-at-risk' || e.nextActionAt !== undefined;
}

function hasProbeTarget(listed: SecretSummary, config: Config): boolean {
  if (!config.verification.enabled) return false;
  return (
    isRam(listed.secretType) ||
    listed.tags[PROBE_TAG_KEY] !== undefined ||
    !!config.verification.targets?.[listed.secretName]
  );
}

/** Why the sweep must describe this listed secret now; undefined when its tag says nothing can have moved. */
export function describeReason(input: SelectionInput): DescribeReason | undefined {
  const { listed, state, now, config } = input;
  const schedule = state.schedule;
  if (!schedule) return 'unscheduled';
  const prints = input.prints ?? policyPrints(config);
  if (schedule.policy !== prints[envTagToEnvironment(listed.tags[config.envTagKey])]) return 'policy';
  if (state.episodes.some(needsAttention)) return 'attention';
  const deletionOpen = state.episodes.some((e) => e.checkId === 'deletion-scheduled' && e.status !== 'resolved');
  if ((listed.plannedDeleteTime !== undefined) !== deletionOpen) return 'deletion';
  const intervalMs = config.sweep.intervalSeconds * 1000;
  if (listed.updateTime !== undefined && listed.updateTime >= now - intervalMs - CHANGE_SLACK_MS) return 'changed';
  if (schedule.nextRotation !== undefined && now >= schedule.nextRotation) return 'due';
  if (schedule.due !== undefined && now >= schedule.due) return 'due';
  if (state.rotationStartedAt !== undefined && now >= state.rotationStartedAt + expectedCompletionMs(listed.secretType))
    return 'running';
  if (
    input.lookedUpStart !== undefined &&
    input.lookedUpStart !== state.rotationStartedAt &&
    input.lookedUpStart >= now - intervalMs - START_SLACK_MS
  )
    return 'started';
  if (hasProbeTarget(listed, config) && isProbeTurn(listed.secretName, now, config)) return 'probe';
  if (isManaged(listed.secretType) && schedule.nextRotation !== undefined) {
    const horizonMs = config.readiness.horizonHours * 3_600_000;
    const periodMs = readinessPeriodMs({ nextRotationDate: schedule.nextRotation, now, horizonMs });
    if (isTurn(schedule.spread, now, periodMs, intervalMs)) return 'readiness';
  }
  if (isTurn(schedule.spread, now, config.sweep.refreshHours * 3_600_000, intervalMs)) return 'refresh';
  return undefined;
}
