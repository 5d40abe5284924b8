/**
 * Sends the reminders due in this sweep (domain/reminders.ts) as one digest per slot. CloudMonitor
 * is the record: the pass first looks up the slot's digest id and sends only the reminders it does
 * not hold yet, so a second sweep in the same slot sends nothing again, and no state tag is written.
 * A reminder that cannot be looked up or sent waits for the next sweep in its slot: it is a
 * reminder, the problem already paged.
 */
import { reminderMessages, type AlertItem } from '../domain/alerts';
import { alertIdFor, alertIdsIn } from '../domain/episode';
import { toBase36Seconds } from '../domain/ids';
import { findingFor } from '../domain/reconcile';
import { dueReminderSlot, reminderPeriodMs, remindable } from '../domain/reminders';
import type { Counters, CoreDeps } from './deps';
import { putMessages, withMessage, type PassEntry } from './pass';

/** The token every reminder of one slot carries (same shape as an alert id, so CloudMonitor's search finds it). */
export function digestIdFor(slot: number): string {
  return `kro-reminders-${toBase36Seconds(slot)}`;
}

/** How far before its slot a reminder event may be stamped (clock skew between functions). */
const LOOKUP_SLACK_MS = 300_000;

export async function sendDueReminders(deps: CoreDeps, counters: Counters, entries: PassEntry[]): Promise<number> {
  const period = reminderPeriodMs(deps.config);
  if (period <= 0) return 0;
  const now = deps.clock.now();
  const bySlot = new Map<number, AlertItem[]>();
  for (const entry of entries) {
    for (const episode of entry.state.episodes) {
      const finding = findingFor(episode, entry.findings);
      if (!remindable(episode, finding, entry.findings)) continue;
      const slot = dueReminderSlot(episode, now, period);
      if (slot === undefined) continue;
      const reminder = { ...episode, alert: { stage: 'remind' as const, delivery: 'sending' as const, at: slot } };
      const items = bySlot.get(slot) ?? [];
      items.push({ episode: withMessage(reminder, entry.state.errorMessage), secret: entry.secret, finding });
      bySlot.set(slot, items);
    }
  }
  let sent = 0;
  for (const [slot, due] of bySlot) {
    const digestId = digestIdFor(slot);
    if (deps.config.dryRun) {
      deps.logger.info('dry run: reminders not sent', { digestId, count: due.length });
      continue;
    }
    try {
      const found = await deps.clients.monitor.findCustomEvents({
        name: 'KmsAlertReminder',
        keyword: digestId,
        startTime: slot - LOOKUP_SLACK_MS,
        endTime: now + 60_000,
      });
      const already = new Set(found.flatMap((e) => alertIdsIn(e.content)));
      const items = due.filter((i) => !already.has(alertIdFor(i.episode, i.episode.alert!)));
      if (items.length === 0) continue;
      const put = await putMessages(deps, counters, reminderMessages(items, deps.config, digestId));
      sent += put.delivered.size;
      if (put.error !== undefined) throw put.error;
    } catch (error) {
      deps.logger.warn('reminders not sent: the next sweep in this slot tries again', { digestId, error });
    }
  }
  return sent;
}
