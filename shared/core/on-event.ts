/**
 * on-event: each parsed event becomes the same reconcile step as the sweep's, for one secret, at
 * once. Events are accelerators: any may be lost, duplicated or reordered (the sweep repairs), so
 * each step re-reads the secret and is idempotent. The first alert of a storm window is sent from
 * here at once (leading-edge.ts: the invocation whose flush request FC accepts leads); the others
 * stay queued on their tags and the window's flush (the sweep in mode "flush", task id
 * `flush-<window start>`) sends them grouped, so 500 failures on one RDS instance page twice at most.
 */
import type { ApiCallEvent, OrchestratorEvent, ParseResult, RotationResultEvent } from '../domain/event-types';
import { metric } from '../domain/metrics';
import { dueRemediations } from '../domain/reconcile';
import { targetFromArn } from '../domain/secret-kinds';
import type { SecretObservation } from '../domain/secret-decision';
import { newCounters, type Counters, type CoreDeps } from './deps';
import { publishMetrics } from './metrics-publish';
import { reconcileSecret } from './reconcile-secret';
import { hasPendingAlert, LeadingEdge } from './leading-edge';

export interface OnEventSummary {
  received: number;
  processed: number;
  duplicates: number;
  rejected: number;
  ignored: number;
  failed: number;
  flushRequested: boolean;
  alertsSent: number;
}

/** Every event of a batch failed: the invocation fails, so FC retries it and then calls the destination. */
export class EventsNotProcessedError extends Error {
  override readonly name = 'EventsNotProcessedError';
}

/** Whether the secret has something for the flush: an alert not delivered or a remediation due. */
async function reassess(
  deps: CoreDeps,
  counters: Counters,
  edge: LeadingEdge,
  secretName: string,
  observations: SecretObservation[],
): Promise<boolean> {
  const reconciled = await reconcileSecret(deps, secretName, observations, counters, edge);
  if (!reconciled) return false;
  const { episodes } = reconciled.read.state;
  return hasPendingAlert(episodes) || dueRemediations(secretName, episodes, deps.clock.now()).length > 0;
}

/** What an event observed about its secret; undefined when it observed nothing (a refused call). */
function observationsOf(event: RotationResultEvent | ApiCallEvent): SecretObservation[] | undefined {
  if (event.kind === 'rotation-result') {
    if (event.outcome === 'success') return [];
    const target = targetFromArn(event.target);
    return [
      {
        kind: 'rotation-failure',
        errorCode: event.errorCode ?? 'RotationFailed',
        errorMessage: event.errorMessage,
        at: event.at,
      },
      ...(target ? [{ kind: 'rotation-target' as const, target }] : []),
    ];
  }
  if (event.failed) return undefined; // a refused call changed nothing
  if (event.eventName === 'RestoreSecret') return [{ kind: 'restore' }];
  return event.eventName === 'RotateSecret' ? [{ kind: 'rotation-start', at: event.at }] : [];
}

async function handleOne(
  deps: CoreDeps,
  counters: Counters,
  edge: LeadingEdge,
  event: OrchestratorEvent,
): Promise<'processed' | 'ignored' | 'flush'> {
  if (event.kind === 'timer') return 'ignored';
  const log = deps.logger.child({ secretName: event.secretName, eventId: event.id });
  const observations = observationsOf(event);
  if (!observations) {
    log.debug('failed API call ignored', {
      eventName: event.kind === 'api-call' ? event.eventName : undefined,
      errorCode: event.errorCode,
    });
    return 'ignored';
  }
  if (event.kind === 'rotation-result') {
    if (event.outcome === 'failure') counters.rotationFailed += 1;
    else counters.rotationSucceeded += 1;
  }
  log.info('event', {
    kind: event.kind,
    outcome: event.kind === 'rotation-result' ? event.outcome : event.eventName,
    errorCode: event.errorCode,
  });
  return (await reassess(deps, counters, edge, event.secretName, observations)) ? 'flush' : 'processed';
}

export async function handleEvents(deps: CoreDeps, results: ParseResult[]): Promise<OnEventSummary> {
  const counters = newCounters();
  const summary: OnEventSummary = {
    received: results.length,
    processed: 0,
    duplicates: 0,
    rejected: 0,
    ignored: 0,
    failed: 0,
    flushRequested: false,
    alertsSent: 0,
  };
  const edge = new LeadingEdge(deps);
  const seen = new Set<string>();
  let flush = false;
  for (const result of results) {
    if (!result.ok) {
      summary.rejected += 1;
      const level = result.reason === 'irrelevant' ? 'debug' : 'warn';
      deps.logger[level](
        result.reason === 'foreign-account' ? 'event from another account refused' : `event skipped: ${result.reason}`,
        { reason: result.reason, detail: result.detail },
      );
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
      const outcome = await handleOne(deps, counters, edge, event);
      if (outcome === 'ignored') summary.ignored += 1;
      else summary.processed += 1;
      flush ||= outcome === 'flush';
    } catch (error) {
      // One bad event never blocks the next; the sweep repairs whatever this one missed.
      summary.failed += 1;
      deps.logger.error('event not processed', { kind: event.kind, error });
    }
  }
  // Whatever is still pending (held alerts, due remediations) goes with the window's flush.
  if (flush) await edge.requestFlush();
  summary.flushRequested = !deps.config.dryRun && (await edge.flushScheduled());
  summary.alertsSent = counters.alertsSent;
  const now = deps.clock.now();
  const fn = { function: deps.functionName };
  await publishMetrics(deps, [
    ...(counters.rotationFailed ? [metric('kro_rotation_failed', counters.rotationFailed, now, fn)] : []),
    ...(counters.stateUnwritable ? [metric('kro_state_unwritable', counters.stateUnwritable, now, fn)] : []),
    ...(counters.rotationSucceeded ? [metric('kro_rotation_succeeded', counters.rotationSucceeded, now, fn)] : []),
    ...(counters.escalations ? [metric('kro_escalations', counters.escalations, now, fn)] : []),
    ...(deps.clients.stats().throttled ? [metric('kro_throttled_calls', deps.clients.stats().throttled, now, fn)] : []),
  ]);
  // A batch whose every event failed did nothing: FC must retry it (and then call the destination).
  if (summary.failed > 0 && summary.processed === 0 && summary.ignored === 0)
    throw new EventsNotProcessedError(
      `all ${summary.failed} events of the batch failed; the sweep repairs what FC's retries do not`,
    );
  return summary;
}
