import { describe, expect, it } from 'vitest';
import { escalate, markAlert, openEpisode, type Episode } from '../../shared/domain/episode';
import { dueReminderSlot, remindable, reminderSlots } from '../../shared/domain/reminders';
import type { Finding } from '../../shared/domain/types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 13);
const NAME = 'rds/orders';
const finding = (checkId: Finding['checkId'], severity: Finding['severity']): Finding => ({
  checkId,
  severity,
  secretName: NAME,
  summary: 's',
  evidence: {},
  runbook: 'r',
  remediable: false,
});
const opened = (checkId: Finding['checkId'], now: number): Episode =>
  markAlert(openEpisode({ secretName: NAME, checkId, now, remediable: false }), 'delivered')!;

describe('reminder slots', () => {
  it('backs off 1, 2, 4, 8 days after the episode opened, each at the next 00:00 UTC, then on Mondays', () => {
    // Tuesday 10:00 UTC.
    const slots = reminderSlots(at('2026-11-03T10:00:00Z'), at('2026-12-08T00:00:00Z'), DAY);
    expect(slots.map(iso)).toEqual([
      '2026-11-05T00',
      '2026-11-06T00',
      '2026-11-08T00',
      '2026-11-12T00',
      '2026-11-16T00',
      '2026-11-23T00',
      '2026-11-30T00',
      '2026-12-07T00',
    ]);
    for (const s of slots.slice(4)) expect(new Date(s).getUTCDay()).toBe(1);
  });

  it('puts the reminders of episodes opened on one day in the same slots', () => {
    const a = reminderSlots(at('2026-11-03T01:00:00Z'), at('2026-12-01T00:00:00Z'), DAY);
    const b = reminderSlots(at('2026-11-03T23:00:00Z'), at('2026-12-01T00:00:00Z'), DAY);
    expect(a).toEqual(b);
  });

  it('follows a reminder period shorter than a day on its own grid, and none when reminders are off', () => {
    const slots = reminderSlots(at('2026-11-03T10:30:00Z'), at('2026-11-05T00:00:00Z'), 6 * HOUR);
    expect(slots.map(iso)).toEqual(['2026-11-03T18', '2026-11-04T00', '2026-11-04T12']);
    expect(reminderSlots(at('2026-11-03T10:30:00Z'), at('2027-01-01T00:00:00Z'), 0)).toEqual([]);
  });

  it('is due from its slot until the next possible slot, and not for a slot the last alert already covered', () => {
    const episode = opened('rotation-failed', at('2026-11-03T10:00:00Z'));
    expect(dueReminderSlot(episode, at('2026-11-04T23:59:00Z'), DAY)).toBeUndefined();
    expect(iso(dueReminderSlot(episode, at('2026-11-05T00:10:00Z'), DAY)!)).toBe('2026-11-05T00');
    expect(iso(dueReminderSlot(episode, at('2026-11-05T23:50:00Z'), DAY)!)).toBe('2026-11-05T00');
    expect(dueReminderSlot(episode, at('2026-11-07T00:10:00Z'), DAY)).toBeUndefined();
    // Escalated after the first slot: the escalation was the news, the next slot reminds.
    const escalated = markAlert(escalate(episode, at('2026-11-05T03:00:00Z')), 'delivered')!;
    expect(dueReminderSlot(escalated, at('2026-11-05T03:10:00Z'), DAY)).toBeUndefined();
    expect(iso(dueReminderSlot(escalated, at('2026-11-06T00:10:00Z'), DAY)!)).toBe('2026-11-06T00');
    // Escalated late in the evening: the slot an hour later would say nothing new.
    const late = markAlert(escalate(episode, at('2026-11-05T23:00:00Z')), 'delivered')!;
    expect(dueReminderSlot(late, at('2026-11-06T00:10:00Z'), DAY)).toBeUndefined();
    expect(iso(dueReminderSlot(late, at('2026-11-08T00:10:00Z'), DAY)!)).toBe('2026-11-08T00');
  });
});

describe('what reminds', () => {
  const now = at('2026-11-03T10:00:00Z');

  it('reminds of a critical problem left to a human, not of a warning', () => {
    const failed = escalate(opened('rotation-failed', now), now + HOUR);
    expect(remindable(markAlert(failed, 'delivered')!, finding('rotation-failed', 'critical'), [])).toBe(true);
    const disabled = opened('rotation-disabled', now);
    expect(remindable(disabled, finding('rotation-disabled', 'warning'), [])).toBe(false);
  });

  it('stays quiet while a retry runs or an alert is still on its way', () => {
    const retrying = { ...opened('rotation-failed', now), nextActionAt: now + HOUR };
    expect(remindable(retrying, finding('rotation-failed', 'critical'), [])).toBe(false);
    const pending = escalate(opened('rotation-failed', now), now + HOUR);
    expect(remindable(pending, finding('rotation-failed', 'critical'), [])).toBe(false);
  });

  it('lets the rotation episode remind for a forecast that came true', () => {
    const atRisk = opened('rotation-at-risk', now);
    const critical = finding('rotation-at-risk', 'critical');
    expect(remindable(atRisk, critical, [critical])).toBe(true);
    expect(remindable(atRisk, critical, [critical, finding('rotation-failed', 'critical')])).toBe(false);
  });
});
