/**
 * Committing what one pass decided, in the order that loses nothing:
 *  1. alerts left "sending" by an earlier pass are looked up in CloudMonitor first (exactly once);
 *  2. every alert about to go out is marked "sending" on its secret's tag (write-ahead), with all
 *     other state changes, in one tag write per secret;
 *  3. the events are sent (PutCustomEvent, at most 50 per call), then marked delivered;
 *  4. remediations are scheduled (after the tags that they will read).
 * If CloudMonitor fails, the tags keep "sending" and the invocation throws, so FC's async retry
 * and on-failure destination take over and the next pass re-sends only what was never received.
 */
import {
  alertNameFor,
  buildAlertMessages,
  type AlertItem,
  type AlertMessage,
  type AlertSecret,
} from '../domain/alerts';
import { alertIdFor, alertIdsIn, type Episode } from '../domain/episode';
import { decodeState } from '../domain/episode-tag';
import { findingFor, type RemediationIntent } from '../domain/reconcile';
import { withinRotateBudget } from '../domain/rotate-budget';
import type { Finding } from '../domain/types';
import { STATELESS_LOOKBACK_MS, statelessEpisode } from '../domain/stateless-episode';
import { withNoRoomRunbook } from '../domain/state-room';
import type { Counters, CoreDeps } from './deps';
import { EpisodeStore, type StateRecord } from './episode-store';
import { scheduleRemediation } from './scheduling';

/** One secret in a pass: its state record (the tags as read, updated as the pass writes) and what was decided. */
export interface PassEntry extends StateRecord {
  secret: AlertSecret;
  findings: Finding[];
  remediations: RemediationIntent[];
}

export class AlertDeliveryError extends Error {
  override readonly name = 'AlertDeliveryError';
}

const EVENTS_PER_CALL = 50;
/** PutCustomEvent takes at most 500 KB per report; grouped events are up to ~30 KB each. */
const BYTES_PER_CALL = 400_000;

function batches<T extends { content: string }>(messages: T[]): T[][] {
  const out: T[][] = [];
  let size = Infinity;
  for (const m of messages) {
    const last = out[out.length - 1];
    if (!last || last.length >= EVENTS_PER_CALL || size + m.content.length > BYTES_PER_CALL) {
      out.push([m]);
      size = m.content.length;
    } else {
      last.push(m);
      size += m.content.length;
    }
  }
  return out;
}

/**
 * Sends alert events in the calls PutCustomEvent takes (at most 50 events and 400 KB each), in
 * order, and stops at the first refusal. Returns the alert ids CloudMonitor accepted.
 */
export async function putMessages(
  deps: CoreDeps,
  counters: Counters,
  messages: AlertMessage[],
): Promise<{ delivered: Set<string>; error?: unknown; failedBatch?: number }> {
  const delivered = new Set<string>();
  for (const [i, batch] of batches(messages).entries()) {
    try {
      await deps.clients.monitor.putCustomEvents(
        batch.map((m) => ({
          eventName: m.eventName,
          content: m.content,
          groupId: deps.config.alerts.groupId,
          time: deps.clock.now(),
        })),
      );
    } catch (error) {
      return { delivered, error, failedBatch: i + 1 };
    }
    for (const m of batch) for (const id of m.alertIds) delivered.add(id);
    counters.alertsSent += batch.length;
    for (const m of batch)
      deps.logger.info('alert sent', {
        eventName: m.eventName,
        alertIds: m.alertIds.length <= 5 ? m.alertIds : `${m.alertIds.length} alerts`,
      });
  }
  return { delivered };
}

/** The message is kept beside the state (episode-tag.ts): put it back for the alert. */
export function withMessage(episode: Episode, message: string | undefined): Episode {
  return episode.lastError && !episode.lastError.message && message
    ? { ...episode, lastError: { ...episode.lastError, message } }
    : episode;
}

function pending(entry: PassEntry): Episode[] {
  return entry.state.episodes.filter((e) => e.alert && e.alert.delivery !== 'delivered' && alertNameFor(e));
}

/** Alerts a previous pass marked "sending": CloudMonitor may have them already. */
async function lookUpSending(deps: CoreDeps, store: EpisodeStore, entries: PassEntry[]): Promise<void> {
  const found = new Set<string>();
  for (const entry of entries) {
    const before = new Set(
      decodeState(entry.stored.state, entry.secretName)
        .state.episodes.filter((e) => e.alert?.delivery === 'sending')
        .map((e) => alertIdFor(e, e.alert!)),
    );
    for (const episode of pending(entry)) {
      const alertId = alertIdFor(episode, episode.alert!);
      if (!before.has(alertId) || found.has(alertId)) continue;
      const now = deps.clock.now();
      const events = await deps.clients.monitor.findCustomEvents({
        keyword: alertId,
        startTime: episode.alert!.at - 300_000,
        endTime: now + 60_000,
      });
      // A grouped event names many alert ids: one lookup settles all of them.
      for (const event of events) for (const id of alertIdsIn(event.content)) found.add(id);
    }
  }
  if (found.size === 0) return;
  await store.markDelivered(entries, found, { save: false });
  deps.logger.info('alerts already delivered by an earlier attempt', { count: found.size });
}

/**
 * Alerts of secrets whose state could not be written: only those whose episode is named by the
 * observation itself (stateless-episode.ts), each sent only if CloudMonitor does not have it yet.
 */
async function statelessItems(deps: CoreDeps, entries: PassEntry[]): Promise<AlertItem[]> {
  const items: AlertItem[] = [];
  for (const entry of entries) {
    const noRoom = entry.noRoom !== undefined;
    for (const episode of pending(entry)) {
      // Without any stored state a resolution can only be the recovery found in CloudMonitor
      // (restored-deletion.ts, noRoomRecovery), which checked that none was announced yet.
      if (noRoom && entry.stored.state === undefined && episode.alert?.stage === 'resolve') {
        items.push({ episode, secret: entry.secret });
        continue;
      }
      const finding = findingFor(episode, entry.findings);
      const keyed = statelessEpisode(episode, finding, noRoom);
      if (!keyed) continue;
      const now = deps.clock.now();
      const found = await deps.clients.monitor.findCustomEvents({
        keyword: keyed.id,
        startTime: now - STATELESS_LOOKBACK_MS,
        endTime: now + 60_000,
      });
      if (found.length === 0)
        items.push({ episode: keyed, secret: entry.secret, finding: noRoom ? withNoRoomRunbook(finding) : finding });
    }
  }
  return items;
}

export interface CommitOptions {
  /** Send alerts now (sweep, flush, a leading edge); otherwise they stay queued for the flush. */
  sendAlerts: boolean;
  /** Group alerts of one cause from this many (alerts.ts; a flush groups what a leading edge held). */
  groupFrom?: number;
  /** Every episode this pass saw, for the RotateSecret budget. */
  episodesSeen?: Episode[];
  /** Writes whose only news is a schedule this pass may make (episode-store.ts; the full sweep's). */
  scheduleWrites?: number;
}

export async function commitPass(
  deps: CoreDeps,
  counters: Counters,
  entries: PassEntry[],
  options: CommitOptions,
): Promise<{ deferred: number }> {
  const { config, logger } = deps;
  const store = new EpisodeStore(deps, counters, { scheduleWrites: options.scheduleWrites });
  if (options.sendAlerts && config.dryRun) {
    for (const entry of entries)
      for (const e of pending(entry))
        logger.info('dry run: alert not sent', {
          secretName: entry.secretName,
          eventName: alertNameFor(e),
          checkId: e.checkId,
          stage: e.alert?.stage,
        });
  }
  let sending = options.sendAlerts && !config.dryRun ? entries.filter((e) => pending(e).length > 0) : [];
  let deliveryError: unknown;
  try {
    if (sending.length > 0) await lookUpSending(deps, store, sending);
  } catch (error) {
    // Without the lookup a re-send could duplicate: send nothing now, keep everything pending.
    deliveryError = error;
    sending = [];
    logger.error('alert lookup failed: pending alerts kept for the next attempt', { error });
  }
  // The alert write-ahead and every other state change: one tag write per secret.
  const unwritten = await store.markSending(entries, new Set(sending));

  // Without its "sending" mark on the tag an alert could go out on every pass: hold it back.
  const unwrittenSending = sending.filter((e) => unwritten.has(e));
  sending = sending.filter((e) => !unwritten.has(e));
  let stateless: AlertItem[] = [];
  try {
    if (unwrittenSending.length > 0 && deliveryError === undefined)
      stateless = await statelessItems(deps, unwrittenSending);
  } catch (error) {
    deliveryError = error;
    logger.error('alert lookup failed: alerts of secrets without state kept for the next pass', { error });
  }

  if (sending.length > 0 || stateless.length > 0) {
    const items: AlertItem[] = [
      ...sending.flatMap((entry) =>
        pending(entry).map((episode) => ({
          episode: withMessage(episode, entry.state.errorMessage),
          secret: entry.secret,
          finding: findingFor(episode, entry.findings),
        })),
      ),
      ...stateless,
    ];
    const messages = buildAlertMessages(items, config, { groupFrom: options.groupFrom });
    let delivered = new Set<string>();
    if (deliveryError === undefined) {
      const put = await putMessages(deps, counters, messages);
      delivered = put.delivered;
      if (put.error !== undefined) {
        deliveryError = put.error;
        logger.error('alert delivery failed: kept pending on the state tags', {
          error: put.error,
          failedBatch: put.failedBatch,
        });
      }
    }
    await store.markDelivered(sending, delivered);
  }

  // A remediation reads the state tag: without it there is nothing to remediate yet.
  const intents = entries.filter((e) => !unwritten.has(e)).flatMap((e) => e.remediations);
  const seen = options.episodesSeen ?? entries.flatMap((e) => e.state.episodes);
  const { allowed, deferred } = withinRotateBudget(intents, seen, deps.clock.now(), config.retry.rotateBudgetPerHour);
  if (deferred.length > 0)
    logger.warn('RotateSecret budget reached: remediations deferred to a later pass', {
      deferred: deferred.length,
      budgetPerHour: config.retry.rotateBudgetPerHour,
    });
  for (const intent of allowed) await scheduleRemediation(deps, counters, intent);

  if (deliveryError !== undefined)
    throw new AlertDeliveryError(
      `CloudMonitor did not accept ${options.sendAlerts ? 'every' : 'an'} alert; they stay pending and are retried: ${(deliveryError as Error).message}`,
    );
  return { deferred: deferred.length };
}
