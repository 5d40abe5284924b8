import { describe, expect, it } from 'vitest';
import { newCounters } from '../../shared/core/deps';
import type { PassEntry } from '../../shared/core/pass';
import { sendDueReminders } from '../../shared/core/reminders';
import { escalate, markAlert, openEpisode } from '../../shared/domain/episode';
import { alertFields } from '../../shared/domain/alert-text';
import type { Finding } from '../../shared/domain/types';
import { testConfig } from '../helpers/config';
import { fakeDeps, TestClock } from '../helpers/fakes';

const OPENED = Date.parse('2026-11-03T10:00:00Z');
/** The first digest slot of an episode opened then: 00:00 UTC two days later. */
const SLOT = Date.parse('2026-11-05T00:00:00Z');

function escalatedEntry(secretName: string): PassEntry {
  const opened = openEpisode({ secretName, checkId: 'rotation-failed', now: OPENED, remediable: true });
  const episode = markAlert(escalate(markAlert(opened, 'delivered')!, OPENED + 3_600_000), 'delivered')!;
  const finding: Finding = {
    checkId: 'rotation-failed',
    severity: 'critical',
    secretName,
    summary: 's',
    evidence: {},
    runbook: 'r',
    remediable: false,
  };
  return {
    secretName,
    stored: {},
    state: { episodes: [episode] },
    secret: { secretName },
    findings: [finding],
    remediations: [],
  };
}

describe('the reminder digest of a large fleet', () => {
  it('goes out in calls CloudMonitor takes (50 events, 400 KB), names every secret once, and once per slot', async () => {
    const deps = fakeDeps(testConfig(), { clock: new TestClock(SLOT + 10 * 60_000) });
    const calls: number[] = [];
    const put = deps.cloud.monitor.putCustomEvents.bind(deps.cloud.monitor);
    deps.cloud.monitor.putCustomEvents = async (events) => {
      calls.push(events.reduce((n, e) => n + Buffer.byteLength(e.content), 0));
      expect(events.length).toBeLessThanOrEqual(50);
      return put(events);
    };
    const names = Array.from({ length: 3000 }, (_, i) => `prod/${'team-'.repeat(20)}db-${String(i).padStart(5, '0')}`);
    const entries = names.map(escalatedEntry);

    expect(await sendDueReminders(deps, newCounters(), entries)).toBe(names.length);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const bytes of calls) expect(bytes).toBeLessThanOrEqual(400_000);
    const named = deps.cloud.monitor
      .named('KmsAlertReminder')
      .flatMap((e) => (alertFields(e.content) as { affected: Array<{ secretName: string }> }).affected)
      .map((a) => a.secretName);
    expect(named.sort()).toEqual([...names].sort());

    // The next sweep in the slot finds them in CloudMonitor and sends nothing again.
    deps.clock.advance(10 * 60_000);
    const before = calls.length;
    expect(await sendDueReminders(deps, newCounters(), entries)).toBe(0);
    expect(calls.length).toBe(before);
  });
});
