/**
 * The sweep: the level-triggered source of truth. Lists every secret (with tags) and describes, with
 * a steady bounded concurrency across pages (describe-pipeline.ts), those its state tag cannot vouch
 * for (the incremental sweep, domain/sweep-schedule.ts: due, changed, open, on their turn, or without
 * a schedule yet); evaluates and reconciles them, then commits
 * (tags, alerts, remediation) once, so storm grouping sees the whole pass. Mode "flush" (asked by
 * on-event and remediate, one per storm window) lists tags only and sends what is pending.
 * It stops SWEEP_SAFETY_MARGIN_MS (functions/sweep) before the function's timeout, and a throttled list
 * or describe makes the sweep incomplete (a cursor for later), never a finding.
 */
import { isThrottling, CloudError } from '../errors';
import { HELD_ALERTS_GROUP_THRESHOLD } from '../domain/alerts';
import { dueRemediations } from '../domain/reconcile';
import { toBase36Seconds } from '../domain/ids';
import { describeReason, isProbeTurn, policyPrints, type DescribeReason } from '../domain/sweep-schedule';
import type { EnvironmentName } from '../domain/config-types';
import { mapLimit } from '../concurrency';
import type { SecretState } from '../domain/episode-tag';
import { isOpen, type Episode } from '../domain/episode';
import { needsVersions } from '../domain/checks';
import { RAM_EXPECTED_COMPLETION_HOURS } from '../domain/secret-kinds';
import { metric } from '../domain/metrics';
import type { SecretObservation } from '../domain/secret-decision';
import { LIST_SECRETS_PAGE_SIZE, type ListSecretsPage, type SecretSummary } from '../ports/kms';
import type { ObservedSecret } from '../domain/types';
import { DESCRIBE_CONCURRENCY } from '../concurrency';
import { describeAcrossPages, type Settled } from './describe-pipeline';
import { newCounters, type Counters, type CoreDeps } from './deps';
import { EpisodeStore, type SecretRead } from './episode-store';
import { publishMetrics } from './metrics-publish';
import { commitPass, type PassEntry } from './pass';
import { sendDueReminders } from './reminders';
import { decide, passEntry } from './reconcile-secret';
import { lookupRotationStarts } from './rotation-starts';
import { continueSweep, type SweepPayload } from './scheduling';
import { startSweepReadiness, type SweepReadiness, type SweepReadinessSummary } from './sweep-readiness';
import { degradationOpen, reportDegraded, resolveDegraded } from './degraded';
import type { UnassessedSecret } from '../domain/degraded';

export interface SweepSummary {
  mode: 'full' | 'flush';
  complete: boolean;
  pages: number;
  secrets: number;
  /** Secrets described (the others' tags vouched for them: sweep-schedule.ts), and why. */
  described: number;
  describedFor: Partial<Record<DescribeReason, number>>;
  skipped: number;
  /** Secrets that could not be read or assessed (an error, not a throttle): each raises KmsOrchestratorDegraded. */
  unassessed: number;
  throttled: number;
  states: { healthy: number; warning: number; critical: number };
  episodesOpen: number;
  alertsSent: number;
  remediationsScheduled: number;
  tagWrites: number;
  deferredRemediations: number;
  /** Reminders that went out in this sweep's digest (domain/reminders.ts). */
  remindersSent: number;
  cursor?: { page: number };
  durationMs: number;
  /** The readiness forecast of this sweep (full sweeps with target reads wired). */
  readiness?: SweepReadinessSummary;
}

const THROTTLE_RETRY_DELAY_MS = 30_000;
/**
 * Tag writes per sweep whose only news is a schedule (a secret adopted, a rotation moved its date):
 * at the sweep's share of the list quota (a few per second) this is a minute or two of writing.
 * A fleet of 10,000 untagged secrets is adopted over about 20 sweeps, each describing the rest.
 */
export const SCHEDULE_WRITES_PER_SWEEP = 500;
const MAX_CURSOR_RETRIES = 5;

const settle = <T>(p: Promise<T>): Promise<Settled<T>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

interface PassState {
  store: EpisodeStore;
  entries: PassEntry[];
  episodesSeen: Episode[];
  counters: Counters;
  summary: SweepSummary;
  oldestOverdueSeconds: number;
  /** Assessments waiting for the ActionTrail lookup (never rejected: failures are counted). */
  deferred: Array<Promise<Outcome>>;
  readiness?: SweepReadiness;
  /** Secrets that failed to be read or assessed (not throttled, not deleted meanwhile): the orchestrator is blind to them. */
  unassessed: UnassessedSecret[];
  /** The sweep's start, which decides every turn (a continuation keeps its sweep's turns). */
  turnAt: number;
  /** Each environment's policy print (sweep-schedule.ts), once per sweep. */
  prints: Record<EnvironmentName, string>;
  /** Whether a degradation was open when the sweep started: undefined while the lookup runs or when it failed. */
  degraded?: boolean;
  degradedLookup: Promise<boolean | undefined>;
  degradedKnown: boolean;
  /** Listed secrets not described while the ActionTrail lookup was still running: looked at again once it answers. */
  held: Array<{ summary: SecretSummary; state: SecretState }>;
}

function shouldProbe(deps: CoreDeps, name: string, episodes: Episode[], turnAt: number): boolean {
  if (!deps.verify || !deps.config.verification.enabled) return false;
  if (episodes.some((e) => e.checkId === 'verification-failed' && isOpen(e))) return true;
  // Spread probes over the schedule without storing when each secret was last probed; the
  // incremental sweep describes the secret on the same turn.
  return isProbeTurn(name, turnAt, deps.config);
}

async function probe(
  deps: CoreDeps,
  description: Parameters<NonNullable<CoreDeps['verify']>>[0],
  now: number,
): Promise<ObservedSecret['verification']> {
  try {
    const result = await deps.verify!(description);
    if (result.status === 'ok') return { ok: true, at: now };
    if (result.status === 'failed') return { ok: false, reason: result.reason, at: now };
  } catch (error) {
    deps.logger.warn('probe could not run', { secretName: description.secretName, error });
  }
  return undefined;
}

/** The ActionTrail lookup, and its result once known (describes need not wait for it). */
interface RotationStarts {
  promise: Promise<Map<string, number>>;
  value?: Map<string, number>;
}

type Outcome = 'ok' | 'throttled' | 'skipped';

async function sweepSecret(
  deps: CoreDeps,
  pass: PassState,
  summary: SecretSummary,
  starts: RotationStarts,
): Promise<Outcome> {
  const now = deps.clock.now();
  let read: SecretRead | undefined;
  try {
    read = await pass.store.load(summary.secretName, { versions: needsVersions(summary.secretType) });
  } catch (error) {
    if (error instanceof CloudError && isThrottling(error.code)) return 'throttled';
    return assessFailed(deps, pass, summary, error);
  }
  if (!read) return 'skipped'; // deleted between the list and the describe
  if (starts.value) return assessSecret(deps, pass, summary, read, starts.value, now);
  // The describe slot is free for the next secret; the assessment waits for the lookup.
  pass.deferred.push(starts.promise.then((value) => assessSecret(deps, pass, summary, read, value, now)));
  return 'ok';
}

async function assessSecret(
  deps: CoreDeps,
  pass: PassState,
  summary: SecretSummary,
  read: SecretRead,
  starts: Map<string, number>,
  now: number,
): Promise<Outcome> {
  try {
    const verification = shouldProbe(deps, summary.secretName, read.state.episodes, pass.turnAt)
      ? await probe(deps, read.description, now)
      : undefined;
    const start = starts.get(summary.secretName);
    const observations: SecretObservation[] = [
      ...(start !== undefined ? [{ kind: 'rotation-start' as const, at: start }] : []),
      ...(verification ? [{ kind: 'verification' as const, result: verification }] : []),
      ...((await pass.readiness?.observe(read, now)) ?? []),
    ];
    const decision = await decide(deps, read, observations, now);
    const { findings, state } = decision;
    const severity = findings.some((f) => f.severity === 'critical')
      ? 'critical'
      : findings.length > 0
        ? 'warning'
        : 'healthy';
    pass.summary.states[severity] += 1;
    for (const f of findings)
      if (f.checkId === 'rotation-overdue')
        pass.oldestOverdueSeconds = Math.max(pass.oldestOverdueSeconds, Number(f.evidence.overdueSeconds) || 0);
    pass.counters.escalations += decision.escalations;
    pass.episodesSeen.push(...state.episodes);
    if (findings.length > 0)
      deps.logger.info('findings', { secretName: summary.secretName, checks: findings.map((f) => f.checkId) });
    pass.entries.push(passEntry(deps, read, state, decision));
    return 'ok';
  } catch (error) {
    return assessFailed(deps, pass, summary, error);
  }
}

/**
 * The incremental sweep's choice for one listed secret: describe it (sweepSecret) when its tag
 * cannot vouch for it, else count it by what its tag holds. While the ActionTrail lookup runs, a
 * secret it might name is held and looked at again afterwards.
 */
function selectSecret(
  deps: CoreDeps,
  pass: PassState,
  summary: SecretSummary,
  starts: RotationStarts,
): Promise<Outcome> {
  const { state } = pass.store.fromTags(summary.secretName, summary.tags);
  if (pass.degraded) return describeFor(deps, pass, summary, starts, 'recheck');
  const reason = describeReason({
    listed: summary,
    state,
    now: pass.turnAt,
    lookedUpStart: starts.value?.get(summary.secretName),
    config: deps.config,
    prints: pass.prints,
  });
  if (reason) return describeFor(deps, pass, summary, starts, reason);
  if (starts.value && pass.degradedKnown) countUndescribed(pass, state);
  else pass.held.push({ summary, state });
  return Promise.resolve('ok');
}

function describeFor(
  deps: CoreDeps,
  pass: PassState,
  summary: SecretSummary,
  starts: RotationStarts,
  reason: DescribeReason,
): Promise<Outcome> {
  pass.summary.described += 1;
  pass.summary.describedFor[reason] = (pass.summary.describedFor[reason] ?? 0) + 1;
  return sweepSecret(deps, pass, summary, starts);
}

/** A secret the sweep did not describe has no problem needing attention (needsAttention): at most an open warning. */
function countUndescribed(pass: PassState, state: SecretState): void {
  pass.summary.states[state.episodes.some(isOpen) ? 'warning' : 'healthy'] += 1;
}

/**
 * The held secrets, once both lookups answered: all of them when the orchestrator is degraded, else
 * those with a rotation start the ActionTrail lookup found; the rest are counted.
 */
async function settleHeld(deps: CoreDeps, pass: PassState, starts: Map<string, number>): Promise<Outcome[]> {
  await pass.degradedLookup;
  const held = pass.held.splice(0);
  const resolved: RotationStarts = { promise: Promise.resolve(starts), value: starts };
  if (pass.degraded)
    return mapLimit(held, DESCRIBE_CONCURRENCY, ({ summary }) => describeFor(deps, pass, summary, resolved, 'recheck'));
  const chosen = held.filter(({ summary, state }) => {
    const reason = describeReason({
      listed: summary,
      state,
      now: pass.turnAt,
      lookedUpStart: starts.get(summary.secretName),
      config: deps.config,
      prints: pass.prints,
    });
    if (!reason) countUndescribed(pass, state);
    return reason !== undefined;
  });
  return mapLimit(chosen, DESCRIBE_CONCURRENCY, ({ summary }) => describeFor(deps, pass, summary, resolved, 'started'));
}

function assessFailed(deps: CoreDeps, pass: PassState, summary: SecretSummary, error: unknown): Outcome {
  pass.counters.errors += 1;
  pass.unassessed.push({
    secretName: summary.secretName,
    code: error instanceof CloudError ? error.code : error instanceof Error ? error.name : 'UnknownError',
  });
  deps.logger.error('secret not assessed this sweep', { secretName: summary.secretName, error });
  return 'skipped';
}

/**
 * The flush re-decides nothing (on-event and remediate did): it commits the secrets whose listed
 * tags hold a pending alert or a due remediation. It describes nothing (one ListSecrets page per 50
 * secrets is its whole read cost), so its alerts say what the listing knows: no sub-type.
 */
function flushSecret(deps: CoreDeps, pass: PassState, summary: SecretSummary): void {
  const { stored, state } = pass.store.fromTags(summary.secretName, summary.tags);
  if (stored.state === undefined) return;
  pass.episodesSeen.push(...state.episodes);
  const remediations = dueRemediations(summary.secretName, state.episodes, deps.clock.now());
  if (remediations.length === 0 && !state.episodes.some((e) => e.alert && e.alert.delivery !== 'delivered')) return;
  pass.entries.push(
    passEntry(deps, { secretName: summary.secretName, stored, state, listed: summary }, state, { remediations }),
  );
}

export async function runSweep(deps: CoreDeps, payload: SweepPayload, deadline: number): Promise<SweepSummary> {
  const { clock } = deps;
  const startedAt = clock.now();
  const mode = payload.mode;
  const sweepId = payload.cursor?.sweepId ?? toBase36Seconds(startedAt);
  const counters = newCounters();
  const summary: SweepSummary = {
    mode,
    complete: false,
    pages: 0,
    secrets: 0,
    described: 0,
    describedFor: {},
    skipped: 0,
    unassessed: 0,
    throttled: 0,
    states: { healthy: 0, warning: 0, critical: 0 },
    episodesOpen: 0,
    alertsSent: 0,
    remediationsScheduled: 0,
    tagWrites: 0,
    deferredRemediations: 0,
    remindersSent: 0,
    durationMs: 0,
  };
  const pass: PassState = {
    store: new EpisodeStore(deps, counters),
    entries: [],
    episodesSeen: [],
    counters,
    summary,
    oldestOverdueSeconds: 0,
    deferred: [],
    readiness: mode === 'full' ? startSweepReadiness(deps, startedAt) : undefined,
    unassessed: [],
    turnAt: parseInt(sweepId, 36) * 1000,
    prints: policyPrints(deps.config),
    held: [],
    degradedLookup: Promise.resolve(false),
    degradedKnown: mode !== 'full',
  };
  // The ActionTrail lookup (paged, never throws) runs alongside the first describes: only assess needs it.
  const starts: RotationStarts = {
    promise:
      mode === 'full'
        ? lookupRotationStarts(deps, (RAM_EXPECTED_COMPLETION_HOURS * 2 + 24) * 3_600_000)
        : Promise.resolve(new Map()),
  };
  void starts.promise.then((value) => (starts.value = value));
  const listPage = (page: number) =>
    settle<ListSecretsPage>(
      deps.clients.kms.listSecretsPage(page, { fetchTags: true, pageSize: LIST_SECRETS_PAGE_SIZE }),
    );

  let stop: { page: number; delayMs: number; retries: number; reason: string } | undefined;
  const stopAt = (page: number, reason: string) => {
    stop =
      reason === 'throttled'
        ? { page, delayMs: THROTTLE_RETRY_DELAY_MS, retries: (payload.cursor?.retries ?? 0) + 1, reason }
        : { page, delayMs: 0, retries: 0, reason };
  };
  if (mode === 'flush') {
    let page = payload.cursor?.page ?? 1;
    let next = listPage(page);
    for (;;) {
      const listed = await next;
      if (!listed.ok) {
        const throttled = listed.error instanceof CloudError && isThrottling(listed.error.code);
        if (!throttled) throw listed.error;
        summary.throttled += 1;
        stopAt(page, 'throttled');
        break;
      }
      summary.pages += 1;
      const more = listed.value.secrets.length > 0 && page * listed.value.pageSize < listed.value.totalCount;
      if (more) next = listPage(page + 1);
      summary.secrets += listed.value.secrets.length;
      for (const s of listed.value.secrets) flushSecret(deps, pass, s);
      if (!more) break;
      page += 1;
      if (clock.now() >= deadline) {
        stopAt(page, 'time-budget');
        break;
      }
    }
  } else {
    // CloudMonitor's SDK takes about a second to load on a cold instance: load it while describing.
    deps.clients.monitor.preload?.();
    // Not awaited: the first describes need neither this nor the ActionTrail lookup (what waits is held).
    pass.degradedLookup = degradationOpen(deps).then((open) => {
      pass.degraded = open;
      pass.degradedKnown = true;
      return open;
    });
    const described = await describeAcrossPages({
      firstPage: payload.cursor?.page ?? 1,
      listPage,
      describe: (s) => selectSecret(deps, pass, s, starts),
      concurrency: DESCRIBE_CONCURRENCY,
      pastDeadline: () => clock.now() >= deadline,
    });
    summary.pages += described.pages;
    summary.secrets += described.secrets;
    summary.throttled += described.throttled;
    summary.skipped += described.skipped;
    const late = [...(await settleHeld(deps, pass, await starts.promise)), ...(await Promise.all(pass.deferred))];
    summary.skipped += late.filter((o) => o !== 'ok').length;
    if (described.stop) stopAt(described.stop.page, described.stop.reason);
  }

  summary.complete = stop === undefined;
  summary.unassessed = pass.unassessed.length;
  try {
    const committed = await commitPass(deps, counters, pass.entries, {
      sendAlerts: true,
      episodesSeen: pass.episodesSeen,
      // A flush sends what a leading edge held back: the storm already paged once.
      groupFrom: mode === 'flush' ? HELD_ALERTS_GROUP_THRESHOLD : undefined,
      scheduleWrites: mode === 'full' ? SCHEDULE_WRITES_PER_SWEEP : 0,
    });
    summary.deferredRemediations = committed.deferred;
    // Reminders come from the full sweep alone, which sees every open episode once per interval.
    if (mode === 'full') summary.remindersSent = await sendDueReminders(deps, counters, pass.entries);
  } finally {
    await finish(deps, pass, stop, sweepId, startedAt, payload.cursor !== undefined);
  }
  // Only a sweep that started degraded (or could not tell) has a degradation of its own to resolve.
  const wholeListing = stop === undefined && payload.cursor === undefined && pass.degraded !== false;
  if (mode === 'full') await watchSelf(deps, pass, wholeListing, startedAt);
  return summary;
}

/**
 * The watcher watches itself (domain/degraded.ts): any secret this sweep could not assess opens the
 * degraded alert; a sweep that listed and assessed every secret in one invocation resolves it. A
 * continuation covers only part of the listing, so it resolves nothing.
 */
async function watchSelf(deps: CoreDeps, pass: PassState, wholeListing: boolean, startedAt: number): Promise<void> {
  if (pass.unassessed.length > 0) {
    await reportDegraded(deps, { kind: 'sweep', unassessed: pass.unassessed, listed: pass.summary.secrets });
    return;
  }
  if (wholeListing) await resolveDegraded(deps, { startedAt, assessed: pass.summary.secrets });
}

async function finish(
  deps: CoreDeps,
  pass: PassState,
  stop: { page: number; delayMs: number; retries: number; reason: string } | undefined,
  sweepId: string,
  startedAt: number,
  continuation: boolean,
): Promise<void> {
  const { summary, counters } = pass;
  const now = deps.clock.now();
  if (stop) {
    summary.cursor = { page: stop.page };
    if (stop.retries > MAX_CURSOR_RETRIES)
      deps.logger.error('sweep gave up on a page after repeated throttling; the next timer run starts again', {
        page: stop.page,
      });
    else {
      deps.logger.warn('sweep incomplete: continuing later', { reason: stop.reason, page: stop.page });
      await continueSweep(deps, summary.mode, { page: stop.page, sweepId, retries: stop.retries }, stop.delayMs);
    }
  }
  summary.episodesOpen = pass.entries.reduce((n, e) => n + e.state.episodes.filter(isOpen).length, 0);
  summary.alertsSent = counters.alertsSent;
  summary.remediationsScheduled = counters.remediationsScheduled;
  summary.tagWrites = counters.tagWrites;
  summary.durationMs = now - startedAt;
  if (pass.readiness) summary.readiness = pass.readiness.summary();
  const fn = { function: deps.functionName };
  const metrics = [
    metric('kro_sweep_duration_ms', summary.durationMs, now, { mode: summary.mode }),
    metric('kro_throttled_calls', deps.clients.stats().throttled, now, fn),
    metric('kro_alerts_sent', counters.alertsSent, now, fn),
    metric('kro_escalations', counters.escalations, now, fn),
  ];
  if (stop) metrics.push(metric('kro_sweep_incomplete', 1, now, { reason: stop.reason }));
  if (counters.stateWriteErrors > 0) metrics.push(metric('kro_state_write_errors', counters.stateWriteErrors, now, fn));
  if (counters.stateUnwritable > 0) metrics.push(metric('kro_state_unwritable', counters.stateUnwritable, now, fn));
  if (summary.mode === 'full' && !stop && !continuation) {
    for (const state of ['healthy', 'warning', 'critical'] as const)
      metrics.push(metric('kro_secrets', summary.states[state], now, { state }));
    metrics.push(metric('kro_oldest_overdue_seconds', pass.oldestOverdueSeconds, now));
    metrics.push(metric('kro_sweep_described', summary.described, now));
  }
  await publishMetrics(deps, metrics);
}
