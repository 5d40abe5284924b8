/**
 * on-event: the events of an invocation become the same reconcile step as the sweep's, one per
 * secret, at once: a secret named by several events of a batch is read once, with all of their
 * observations (issue 15). Events are accelerators: any may be lost, duplicated or reordered (the
 * sweep repairs), so each step re-reads the secret and is idempotent. A redelivered event this
 * instance already finished with is skipped (recent-events.ts). Invocations of one instance run in
 * parallel (instanceConcurrency in s.yaml): an event whose secret is being reconciled joins the one
 * follow-up reconcile that reads it again afterwards (secret-reconciles.ts), and the metrics are
 * counted per instance and sent about once a minute and at PreStop (instance-metrics.ts). A Generic
 * secret's new version
 * is taken from its PutSecretValue event instead of a listing (domain/event-version.ts). The first
 * alert of a storm window is sent from here at once (leading-edge.ts: the invocation whose flush
 * request FC accepts leads); the others stay queued on their tags and the window's flush (the sweep
 * in mode "flush", task id `flush-<window start>`) sends them grouped, so 500 failures on one RDS
 * instance page twice at most. EventBridge's Default source delivers one event per invocation
 * (s.yaml); arrays come from event-streaming deliveries and direct invocations.
 */
import type { ApiCallEvent, ParseResult, RotationResultEvent } from '../domain/event-types';
import { currentVersionFromCalls } from '../domain/event-version';
import { dueRemediations } from '../domain/reconcile';
import { targetFromArn } from '../domain/secret-kinds';
import type { SecretObservation } from '../domain/secret-decision';
import { newCounters, type Counters, type CoreDeps } from './deps';
import { publishMetrics } from './metrics-publish';
import { reconcileSecret, type ReconcileOptions } from './reconcile-secret';
import { hasPendingAlert, LeadingEdge } from './leading-edge';
import { InstanceMemory } from '../instance-memory';
import { instanceMetricsOf } from './instance-metrics';
import { recentEventsOf } from './recent-events';
import { SecretReconciles } from './secret-reconciles';

export interface OnEventSummary {
  received: number;
  processed: number;
  duplicates: number;
  rejected: number;
  ignored: number;
  failed: number;
  /** Events not started before the time budget ran out: left to the sweep (never remembered as done). */
  deferred: number;
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
  options: ReconcileOptions,
): Promise<boolean> {
  const reconciled = await reconcileSecret(deps, secretName, observations, counters, edge, options);
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

type SecretEvent = RotationResultEvent | ApiCallEvent;

/** What one secret's events of the invocation observed, in arrival order. */
interface SecretWork {
  secretName: string;
  events: SecretEvent[];
  observations: SecretObservation[];
}

/** Counts and logs an event; undefined when it observed nothing (a refused API call). */
function accept(deps: CoreDeps, counters: Counters, event: SecretEvent): SecretObservation[] | undefined {
  const log = deps.logger.child({ secretName: event.secretName, eventId: event.id });
  const observations = observationsOf(event);
  if (!observations) {
    log.debug('failed API call ignored', {
      eventName: event.kind === 'api-call' ? event.eventName : undefined,
      errorCode: event.errorCode,
    });
    return undefined;
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
  return observations;
}

export interface HandleEventsOptions {
  /**
   * Start no secret's reconcile after this (epoch ms, deps.clock): an oversized batch then ends in
   * time and succeeds with what it did, instead of timing out on every one of FC's retries.
   */
  deadline?: number;
}

export async function handleEvents(
  deps: CoreDeps,
  results: ParseResult[],
  options: HandleEventsOptions = {},
): Promise<OnEventSummary> {
  const counters = newCounters();
  const summary: OnEventSummary = {
    received: results.length,
    processed: 0,
    duplicates: 0,
    rejected: 0,
    ignored: 0,
    failed: 0,
    deferred: 0,
    flushRequested: false,
    alertsSent: 0,
  };
  const edge = new LeadingEdge(deps);
  const recent = recentEventsOf(deps.config);
  const reconciles = reconcilesOf(deps.config);
  const seen = new Set<string>();
  /** Redeliveries of events a reconcile of this instance is carrying: they share its outcome. */
  const carried: Array<{ key: string; outcome: Promise<boolean> }> = [];
  const finished: string[] = [];
  const work = new Map<string, SecretWork>();
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
    if (event.kind === 'timer') {
      summary.ignored += 1;
      continue;
    }
    if (seen.has(event.dedupeKey) || recent.has(event.dedupeKey)) {
      summary.duplicates += 1;
      continue;
    }
    seen.add(event.dedupeKey);
    const inFlight = reconciles.inFlight(event.dedupeKey);
    if (inFlight) {
      carried.push({ key: event.dedupeKey, outcome: inFlight });
      continue;
    }
    const observations = accept(deps, counters, event);
    if (!observations) {
      summary.ignored += 1;
      finished.push(event.dedupeKey);
      continue;
    }
    const entry = work.get(event.secretName) ?? { secretName: event.secretName, events: [], observations: [] };
    entry.events.push(event);
    entry.observations.push(...observations);
    work.set(event.secretName, entry);
  }

  let flush = false;
  for (const entry of work.values()) {
    const { secretName, events } = entry;
    if (options.deadline !== undefined && deps.clock.now() >= options.deadline) {
      summary.deferred += events.length;
      continue;
    }
    if (reconciles.isRunning(secretName))
      deps.logger.debug('secret being reconciled: events join the follow-up read', {
        secretName,
        events: events.length,
      });
    try {
      const keys = events.map((e) => e.dedupeKey);
      flush =
        (await reconciles.submit(secretName, keys, entry, (joined) =>
          reassessJoined(deps, counters, edge, secretName, joined),
        )) || flush;
      summary.processed += events.length;
      finished.push(...keys);
    } catch (error) {
      // One secret never blocks the next; the sweep repairs whatever this one missed.
      summary.failed += events.length;
      deps.logger.error('events not processed', { secretName, events: events.length, error });
    }
  }
  for (const { key, outcome } of carried) {
    try {
      flush = (await outcome) || flush;
      summary.duplicates += 1;
      finished.push(key);
    } catch {
      // Logged by the invocation whose reconcile failed; this copy fails with it, so FC retries it too.
      summary.failed += 1;
    }
  }
  if (summary.deferred > 0)
    deps.logger.warn('time budget spent: events left to the sweep', { deferred: summary.deferred });
  // Whatever is still pending (held alerts, due remediations) goes with the window's flush.
  if (flush) await edge.requestFlush();
  summary.flushRequested = !deps.config.dryRun && (await edge.flushScheduled());
  summary.alertsSent = counters.alertsSent;
  await countMetrics(deps, counters);
  // A batch whose every event failed did nothing: FC must retry it (and then call the destination).
  if (summary.failed > 0 && summary.processed === 0 && summary.ignored === 0)
    throw new EventsNotProcessedError(
      `all ${summary.failed} events of the batch failed; the sweep repairs what FC's retries do not`,
    );
  recent.remember(finished);
  return summary;
}

const reconcilesByInstance = new InstanceMemory(() => new SecretReconciles<SecretWork, boolean>());

function reconcilesOf(config: object): SecretReconciles<SecretWork, boolean> {
  return reconcilesByInstance.of(config);
}

/** One read of the secret for the events of every invocation that joined this reconcile. */
function reassessJoined(
  deps: CoreDeps,
  counters: Counters,
  edge: LeadingEdge,
  secretName: string,
  joined: SecretWork[],
): Promise<boolean> {
  const events = joined.flatMap((w) => w.events);
  const calls = events.filter((e): e is ApiCallEvent => e.kind === 'api-call');
  const currentVersion = currentVersionFromCalls(calls, deps.clock.now());
  if (joined.length > 1)
    deps.logger.debug('one read for several invocations', { secretName, invocations: joined.length });
  return reassess(
    deps,
    counters,
    edge,
    secretName,
    joined.flatMap((w) => w.observations),
    { currentVersion },
  );
}

/** Adds the invocation's counts to its instance's, and sends them when the instance's period is over. */
async function countMetrics(deps: CoreDeps, counters: Counters): Promise<void> {
  const metrics = instanceMetricsOf(deps.config);
  const now = deps.clock.now();
  metrics.add(
    {
      kro_rotation_failed: counters.rotationFailed,
      kro_state_unwritable: counters.stateUnwritable,
      kro_rotation_succeeded: counters.rotationSucceeded,
      kro_escalations: counters.escalations,
      kro_throttled_calls: deps.clients.stats().throttled,
    },
    { function: deps.functionName },
    now,
  );
  await publishMetrics(deps, metrics.takeDue(now));
}

/** on-event's PreStop: what the instance still holds goes out before FC destroys it. */
export async function publishInstanceMetrics(deps: CoreDeps): Promise<void> {
  await publishMetrics(deps, instanceMetricsOf(deps.config).takeAll(deps.clock.now()));
}
