/**
 * on-event: each parsed event becomes the same reconcile step as the sweep's, for one secret, at
 * once. Events are accelerators: any may be lost, duplicated or reordered (the sweep repairs), so
 * each step re-reads the secret and is idempotent. Alerts are not sent from here: the episode is
 * recorded with its alert queued and a flush (the sweep in mode "flush", one per storm window,
 * task id `flush-<window start>`) sends them grouped, so 500 failures on one RDS instance page once.
 */
import type { ApiCallEvent, OrchestratorEvent, ParseResult, RotationResultEvent } from '../domain/event-types';
import { attemptFailed } from '../domain/episode';
import { metric } from '../domain/metrics';
import { dueRemediations } from '../domain/reconcile';
import { targetFromArn } from '../domain/secret-kinds';
import { scrubMessage } from '../domain/alerts';
import { alertSecretOf, assess } from './assess';
import { newCounters, type Counters, type CoreDeps } from './deps';
import { publishMetrics } from './metrics-publish';
import { commitPass } from './pass';
import { requestFlush } from './scheduling';
import { isNotFound, readSecret } from './secret-state';
import { restoredDeletion } from './restored-deletion';

export interface OnEventSummary {
  received: number;
  processed: number;
  duplicates: number;
  rejected: number;
  ignored: number;
  failed: number;
  flushRequested: boolean;
}

interface Trigger {
  lastFailure?: { errorCode: string; errorMessage?: string; at: number };
  rotationStartedAt?: number;
  target?: string;
  /** RestoreSecret: a deletion announced while the secret could not be tagged is resolved now. */
  restored?: boolean;
}

async function reassess(deps: CoreDeps, counters: Counters, secretName: string, trigger: Trigger): Promise<boolean> {
  const now = deps.clock.now();
  let read;
  try {
    read = await readSecret(deps, secretName);
  } catch (error) {
    if (isNotFound(error)) {
      deps.logger.info('secret no longer exists: nothing to do', { secretName });
      return false;
    }
    throw error;
  }
  const assessment = assess({ ...read, now, lastFailure: trigger.lastFailure, rotationStartedAt: trigger.rotationStartedAt }, deps.config);
  let episodes = assessment.state.episodes;
  const failure = trigger.lastFailure;
  if (failure) {
    // A failure reported while our attempt ran is that attempt's outcome.
    episodes = episodes.map((e) =>
      e.checkId === 'rotation-failed' && e.attemptStarted && e.lastAttemptAt !== undefined && failure.at >= e.lastAttemptAt
        ? attemptFailed(e, { code: failure.errorCode, message: failure.errorMessage }, now, deps.config, deps.random)
        : e,
    );
  }
  if (trigger.target) episodes = episodes.map((e) => (e.cause || e.checkId !== 'rotation-failed' ? e : { ...e, cause: `t:${trigger.target}` }));
  if (trigger.restored && read.description.plannedDeleteTime === undefined && !episodes.some((e) => e.checkId === 'deletion-scheduled')) {
    const resolved = await restoredDeletion(deps, secretName).catch((error: unknown) => {
      deps.logger.warn('announced deletion not looked up after RestoreSecret', { secretName, error });
      return undefined;
    });
    if (resolved) episodes = [...episodes, resolved];
  }
  for (const e of episodes) if (e.status === 'escalated' && !read.state.episodes.some((b) => b.id === e.id && b.status === 'escalated')) counters.escalations += 1;
  const state = { ...assessment.state, episodes };
  if (failure?.errorMessage) state.errorMessage = scrubMessage(failure.errorMessage);
  if (assessment.findings.length > 0) deps.logger.info('findings', { secretName, checks: assessment.findings.map((f) => f.checkId) });
  await commitPass(deps, counters, [{ secretName, stored: read.stored, state, secret: alertSecretOf(read.description, deps.config), findings: assessment.findings, remediations: [] }], { sendAlerts: false });
  // The flush sends queued alerts and schedules what is due.
  return episodes.some((e) => e.alert && e.alert.delivery !== 'delivered') || dueRemediations(secretName, episodes, now).length > 0;
}

function triggerOf(event: RotationResultEvent | ApiCallEvent): Trigger | undefined {
  if (event.kind === 'rotation-result') {
    if (event.outcome === 'success') return {};
    return { lastFailure: { errorCode: event.errorCode ?? 'RotationFailed', errorMessage: event.errorMessage, at: event.at }, target: targetFromArn(event.target) };
  }
  if (event.failed) return undefined; // a refused call changed nothing
  if (event.eventName === 'RestoreSecret') return { restored: true };
  return event.eventName === 'RotateSecret' ? { rotationStartedAt: event.at } : {};
}

async function handleOne(deps: CoreDeps, counters: Counters, event: OrchestratorEvent): Promise<'processed' | 'ignored' | 'flush'> {
  if (event.kind === 'timer') return 'ignored';
  const log = deps.logger.child({ secretName: event.secretName, eventId: event.id });
  const trigger = triggerOf(event);
  if (!trigger) {
    log.debug('failed API call ignored', { eventName: event.kind === 'api-call' ? event.eventName : undefined, errorCode: event.errorCode });
    return 'ignored';
  }
  if (event.kind === 'rotation-result') {
    if (event.outcome === 'failure') counters.rotationFailed += 1;
    else counters.rotationSucceeded += 1;
  }
  log.info('event', { kind: event.kind, outcome: event.kind === 'rotation-result' ? event.outcome : event.eventName, errorCode: event.errorCode });
  return (await reassess(deps, counters, event.secretName, trigger)) ? 'flush' : 'processed';
}

export async function handleEvents(deps: CoreDeps, results: ParseResult[]): Promise<OnEventSummary> {
  const counters = newCounters();
  const summary: OnEventSummary = { received: results.length, processed: 0, duplicates: 0, rejected: 0, ignored: 0, failed: 0, flushRequested: false };
  const seen = new Set<string>();
  let flush = false;
  for (const result of results) {
    if (!result.ok) {
      summary.rejected += 1;
      const level = result.reason === 'malformed' || result.reason === 'foreign-account' ? 'warn' : 'debug';
      deps.logger[level](result.reason === 'foreign-account' ? 'event from another account refused' : `event skipped: ${result.reason}`, { reason: result.reason, detail: result.detail });
      continue;
    }
    const event = result.event;
    if (event.kind !== 'timer') {
      if (seen.has(event.dedupeKey)) {
        summary.duplicates += 1;
        continue;
      }
      seen.add(event.dedupeKey);
    }
    try {
      const outcome = await handleOne(deps, counters, event);
      if (outcome === 'ignored') summary.ignored += 1;
      else summary.processed += 1;
      flush ||= outcome === 'flush';
    } catch (error) {
      // One bad event never blocks the next; the sweep repairs whatever this one missed.
      summary.failed += 1;
      deps.logger.error('event not processed', { kind: event.kind, error });
    }
  }
  if (flush) {
    try {
      await requestFlush(deps);
      summary.flushRequested = !deps.config.dryRun;
    } catch (error) {
      deps.logger.error('flush not requested: the next sweep sends the queued alerts', { error });
    }
  }
  const now = deps.clock.now();
  const fn = { function: deps.functionName };
  await publishMetrics(deps, [
    ...(counters.rotationFailed ? [metric('kro_rotation_failed', counters.rotationFailed, now, fn)] : []),
    ...(counters.rotationSucceeded ? [metric('kro_rotation_succeeded', counters.rotationSucceeded, now, fn)] : []),
    ...(counters.escalations ? [metric('kro_escalations', counters.escalations, now, fn)] : []),
    ...(deps.clients.stats().throttled ? [metric('kro_throttled_calls', deps.clients.stats().throttled, now, fn)] : []),
  ]);
  return summary;
}
