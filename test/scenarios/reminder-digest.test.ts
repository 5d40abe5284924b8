/**
 * Issue 14: reminders back off (1, 2, 4, 8 days, then weekly), go out as one digest per slot at
 * 00:00 UTC, exactly once however many sweeps run in the slot, and cost no state tag write.
 */
import { describe, expect, it } from 'vitest';
import { aSecret, DAY, HOUR, MINUTE, START_MS, startScenario } from '../helpers/scenario';
import { alertFields } from '../../shared/domain/alert-text';

const iso = (ms: number) => new Date(ms).toISOString();

/** A weekly RDS secret due `minutes` into the run whose instance is gone: its rotation fails for good. */
const goneTarget = (name: string, instance: string, minutes = 10) =>
  aSecret(name, 'rds', {
    LastRotationDate: iso(START_MS - 7 * DAY + minutes * MINUTE),
    ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: instance },
    DeletedTarget: true,
  });

describe('reminders of problems left open', () => {
  it('come as one digest per slot, at 00:00 UTC, once, without writing a tag', async () => {
    // Three rotations that fail for good (their instances are gone), due within the first hour.
    const names = ['prod/a', 'prod/b', 'prod/c'];
    const s = await startScenario({
      secrets: names.map((n, i) => goneTarget(n, `rm-${i}`, 10 + 10 * i)),
      // Hourly sweeps: 24 of them fall in every daily slot, and the digest must still go out once.
      env: { KRO_SWEEP_CRON: '0 0 * * * *' },
    });
    await s.advance(2 * DAY);
    const escalations = s.alerts().filter((a) => a.name === 'KmsRotationEscalated' || a.name === 'KmsRotationFailed');
    expect(new Set(escalations.flatMap((a) => a.secrets))).toEqual(new Set(names));
    const settled = s.emulator.clock.now();
    const tagWritesBefore = s.calls('TagResource').length;

    await s.advance(20 * DAY);
    const reminders = s.alerts().filter((a) => a.name === 'KmsAlertReminder');
    // Opened on day 0: day 1 (unless the escalation came after it), 2, 4, 8, then Mondays.
    expect(reminders.length).toBeGreaterThanOrEqual(4);
    expect(reminders.length).toBeLessThanOrEqual(7);
    for (const r of reminders) {
      expect(new Date(r.time).getUTCHours()).toBe(0);
      expect(new Set(r.secrets)).toEqual(new Set(names));
      const fields = alertFields(r.content) as { digestId?: string; affected?: unknown[] };
      expect(fields.digestId).toMatch(/^kro-reminders-[0-9a-z]+$/);
      expect(fields.affected).toHaveLength(3);
    }
    expect(new Set(reminders.map((r) => new Date(r.time).toISOString().slice(0, 10))).size).toBe(reminders.length);
    // The gaps grow, then stay weekly.
    const gaps = reminders.slice(1).map((r, i) => Math.round((r.time - reminders[i]!.time) / DAY));
    for (const [i, gap] of gaps.entries()) expect(gap).toBeGreaterThanOrEqual(i === 0 ? 1 : gaps[i - 1]! > 6 ? 4 : 1);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(10);
    // Reminders leave the state tags alone: the tag quota is the customer's too.
    const tagWrites = s.calls('TagResource').filter((c) => c.at > settled);
    expect(tagWrites).toEqual([]);
    expect(s.calls('TagResource').length).toBe(tagWritesBefore);
  }, 300_000);

  it('wait through a CloudMonitor outage at the slot and go out once when it ends, within the slot', async () => {
    const s = await startScenario({
      secrets: [goneTarget('prod/a', 'rm-a')],
      env: { KRO_SWEEP_CRON: '0 0 * * * *' },
    });
    // Opened on day 0 (00:10): the first reminder slot is 00:00 UTC on day 2.
    await s.advance(2 * DAY - 30 * MINUTE);
    expect(s.alerts().filter((a) => a.name === 'KmsAlertReminder')).toEqual([]);
    const outage = s.emulator.faults.add({
      Kind: 'ApiError',
      Product: 'cms',
      ErrorCode: 'InternalError',
      HttpStatus: 503,
    });
    await s.advance(4 * HOUR);
    expect(s.alerts().filter((a) => a.name === 'KmsAlertReminder')).toEqual([]);
    expect(s.calls('DescribeCustomEventAttribute').filter((c) => c.code === 'InternalError').length).toBeGreaterThan(0);
    s.emulator.faults.clear(outage);
    await s.advance(12 * HOUR);
    const reminders = s.alerts().filter((a) => a.name === 'KmsAlertReminder');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.secrets).toEqual(['prod/a']);
    expect(new Date(reminders[0]!.time).getUTCHours()).toBe(4);
  }, 300_000);

  it('stay off with KRO_ALERT_REMINDER_HOURS=0', async () => {
    const s = await startScenario({
      secrets: [goneTarget('prod/a', 'rm-a')],
      env: { KRO_SWEEP_CRON: '0 0 * * * *', KRO_ALERT_REMINDER_HOURS: '0' },
    });
    await s.advance(10 * DAY + HOUR);
    expect(s.alerts().filter((a) => a.name === 'KmsAlertReminder')).toEqual([]);
    expect(s.alerts().length).toBeGreaterThan(0);
  }, 300_000);
});
