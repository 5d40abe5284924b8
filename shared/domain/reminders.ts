/**
 * Reminders without state (issue 14). A reminder is a pure function of when its episode opened:
 * 1, 2, 4 and 8 reminder periods later (days, by default), then weekly. Each is moved to the next
 * digest slot, so every reminder due in one slot goes out as one digest: daily at 00:00 UTC (08:00
 * in China Standard Time, the start of the working day for most Alibaba Cloud teams), and on Mondays
 * in the weekly phase. The slot is part of the reminder's alert id, so CloudMonitor itself records
 * which reminders went out: sending one costs no state tag write (the tag quota is shared with the
 * customer's own tagging) and a repeated pass finds it instead of sending it twice.
 */
import type { Config } from './config-types';
import type { Episode } from './episode';
import { problemOf, ROTATION_PROBLEM } from './check-catalog';
import type { Finding } from './types';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** 1970-01-05, the first Monday of the epoch: weekly slots are this plus whole weeks. */
const FIRST_MONDAY = 4 * DAY;
/** The backoff, in reminder periods after the episode opened; weekly after the last. */
const BACKOFF_PERIODS = [1, 2, 4, 8] as const;
/** The weekly phase begins at least this long after the last backoff reminder. */
const WEEKLY_AFTER_MS = 3 * DAY;

const roundUp = (t: number, grain: number) => Math.ceil(t / grain) * grain;

/** The digest slots are whole multiples of this from 00:00 UTC: a day, or the period when shorter. */
function grainOf(periodMs: number): number {
  return Math.min(periodMs, DAY);
}

/** Every reminder slot of an episode opened at `openedAt`, up to `until` (inclusive), in order. */
export function reminderSlots(openedAt: number, until: number, periodMs: number): number[] {
  if (periodMs <= 0) return [];
  const period = Math.min(periodMs, WEEK);
  const grain = grainOf(period);
  const slots: number[] = [];
  for (const k of BACKOFF_PERIODS) {
    const slot = roundUp(openedAt + k * period, grain);
    if (slot > until) return slots;
    slots.push(slot);
  }
  const from = slots[slots.length - 1]! + WEEKLY_AFTER_MS;
  for (let monday = FIRST_MONDAY + Math.ceil((from - FIRST_MONDAY) / WEEK) * WEEK; monday <= until; monday += WEEK)
    slots.push(monday);
  return slots;
}

/**
 * The reminder an episode is due now, as its slot (epoch ms): the latest slot not after `now`, while
 * it is still the newest (until the next possible slot), and at least half a slot after the
 * episode's last alert (an escalation just sent is the news). undefined when none is due.
 */
export function dueReminderSlot(
  episode: Pick<Episode, 'openedAt' | 'alert'>,
  now: number,
  periodMs: number,
): number | undefined {
  if (periodMs <= 0) return undefined;
  const slots = reminderSlots(episode.openedAt, now, periodMs);
  const latest = slots[slots.length - 1];
  if (latest === undefined) return undefined;
  const grain = grainOf(Math.min(periodMs, WEEK));
  if (now - latest >= grain) return undefined;
  // A reminder so soon after the last page (an escalation late in the evening) says nothing new.
  if (episode.alert && latest - episode.alert.at < grain / 2) return undefined;
  return latest;
}

/**
 * Whether an open episode is one to remind of: a critical problem with nothing else to say (its last
 * alert delivered, no retry running). A warning is stated once and stays in `kro audit` and the
 * report; a rotation at risk turns critical within a day of the rotation and reminds from then.
 * A forecast that came true is told by the rotation episode, which reminds for the secret.
 */
export function remindable(episode: Episode, finding: Finding | undefined, findings: Finding[]): boolean {
  if (!finding || finding.severity !== 'critical') return false;
  if (episode.status === 'resolved') return false;
  if (episode.status !== 'escalated' && episode.nextActionAt !== undefined) return false;
  if (episode.alert && episode.alert.delivery !== 'delivered') return false;
  if (finding.checkId === 'rotation-at-risk' && findings.some((f) => problemOf(f.checkId) === ROTATION_PROBLEM))
    return false;
  return true;
}

/** The reminder period from the configuration, in ms (0: reminders off). */
export function reminderPeriodMs(config: Config): number {
  return Math.max(0, config.alerts.reminderHours) * 3_600_000;
}
