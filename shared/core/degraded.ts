/**
 * Opens and resolves KmsOrchestratorDegraded (domain/degraded.ts) through CloudMonitor: one read of
 * the alert history (DescribeCustomEventAttribute, the keyword every content of both alerts holds),
 * then at most one PutCustomEvent. One alert per degradation, not one per sweep: a sweep that finds
 * it already open sends nothing. Two invocations deciding at the same moment may both send (the
 * read and the write are not atomic): a rare duplicate page, never a missed one.
 * When the history cannot be read the alert is sent anyway (fail open: a duplicate beats silence);
 * a resolution is not (a missing recovery is repaired by the next clean sweep).
 */
import { composeAlertContent } from '../domain/alert-text';
import {
  DEGRADED_ALERT,
  DEGRADED_KEYWORD,
  DEGRADED_LOOKBACK_MS,
  RECOVERED_ALERT,
  degradedContent,
  historyFrom,
  isDegradationOpen,
  recoveredContent,
  shouldResolve,
  type DegradedCause,
  type DegradedHistory,
} from '../domain/degraded';
import type { CoreDeps } from './deps';

/** CloudMonitor may take a moment to index an event (UNCONFIRMED): read a little past now. */
const HISTORY_READ_AHEAD_MS = 60_000;

async function readHistory(deps: CoreDeps): Promise<DegradedHistory> {
  const now = deps.clock.now();
  const events = await deps.clients.monitor.findCustomEvents({
    keyword: DEGRADED_KEYWORD,
    startTime: now - DEGRADED_LOOKBACK_MS,
    endTime: now + HISTORY_READ_AHEAD_MS,
  });
  return historyFrom(events);
}

export type DegradedOpening = 'opened' | 'already-open' | 'history-unreadable';
export type DegradedResolution = 'resolved' | 'not-open' | 'history-unreadable';

/**
 * Whether a degradation is open now: a sweep that starts blind-flagged describes every secret, so
 * the first one that can see again says so at once. undefined when the history cannot be read.
 */
export async function degradationOpen(deps: CoreDeps): Promise<boolean | undefined> {
  try {
    return isDegradationOpen(await readHistory(deps));
  } catch (error) {
    deps.logger.warn('degraded-alert history unreadable', { error });
    return undefined;
  }
}

/** Raises the degraded alert unless one is open. Throws when CloudMonitor refuses the alert itself. */
export async function reportDegraded(deps: CoreDeps, cause: DegradedCause): Promise<DegradedOpening> {
  let history: DegradedHistory | undefined;
  try {
    history = await readHistory(deps);
  } catch (error) {
    deps.logger.warn('degraded-alert history unreadable: sending the alert anyway', { error });
  }
  if (history && isDegradationOpen(history)) {
    deps.logger.warn('orchestrator still degraded (alert already open)', {
      since: new Date(history.lastOpened!.at).toISOString(),
      cause: cause.kind,
    });
    return 'already-open';
  }
  const now = deps.clock.now();
  const content = degradedContent(cause, { regionId: deps.config.regionId, now });
  if (deps.config.dryRun) {
    deps.logger.warn('dry run: degraded alert not sent', { summary: content.summary });
    return 'opened';
  }
  await send(deps, DEGRADED_ALERT, content, now);
  deps.logger.error('orchestrator degraded: alert sent', { alertId: content.alertId, cause: cause.kind });
  return history ? 'opened' : 'history-unreadable';
}

/** After a full sweep that assessed every secret: resolves an open degradation opened before it started. */
export async function resolveDegraded(
  deps: CoreDeps,
  sweep: { startedAt: number; assessed: number },
): Promise<DegradedResolution> {
  let history: DegradedHistory;
  try {
    history = await readHistory(deps);
  } catch (error) {
    deps.logger.warn('degraded-alert history unreadable: resolution left to the next sweep', { error });
    return 'history-unreadable';
  }
  if (!shouldResolve(history, sweep.startedAt)) return 'not-open';
  const now = deps.clock.now();
  const content = recoveredContent(history, { regionId: deps.config.regionId, now, assessed: sweep.assessed });
  if (deps.config.dryRun) {
    deps.logger.info('dry run: recovery alert not sent', { summary: content.summary });
    return 'resolved';
  }
  await send(deps, RECOVERED_ALERT, content, now);
  deps.logger.info('orchestrator recovered: alert sent', { alertId: content.alertId });
  return 'resolved';
}

/** Both alerts open with their summary as the readable sentence, then the fields. */
async function send(deps: CoreDeps, eventName: string, content: Record<string, unknown>, now: number): Promise<void> {
  await deps.clients.monitor.putCustomEvents([
    {
      eventName,
      content: composeAlertContent(String(content.summary), content),
      groupId: deps.config.alerts.groupId,
      time: now,
    },
  ]);
}
