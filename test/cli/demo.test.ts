import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_START, detectRealServers, runDemo, simulateDemo } from '../../cli/commands/demo';
import { ALERTS, type AlertName } from '../../shared/domain/alert-catalog';
import { alertSentence } from '../../shared/domain/alert-text';
import { parseAlertContent } from '../../shared/report/alert-content';
import type { CliIo } from '../../cli/types';
import { demoFleet, secretValuesOf } from '../../cli/commands/demo-fleet';
import { CHECK_IDS } from '../../shared/domain/types';

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), isTTY: false, env: {} };
}

describe('kro demo --json', () => {
  it(
    'runs 60 simulated days: retries, recoveries, escalations and every check firing',
    { timeout: 180_000 },
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'kro-demo-'));
      const report = path.join(dir, 'report.html');
      const io = captureIo();

      const status = await runDemo(['--json', '--report', report], io);

      expect(status).toBe(0);
      expect(io.out).toHaveLength(1);
      const summary = JSON.parse(io.out[0]!);
      for (const key of [
        'secrets',
        'rotations',
        'failuresDetected',
        'retries',
        'recovered',
        'escalated',
        'alerts',
        'findingsByCheck',
      ]) {
        expect(summary).toHaveProperty(key);
      }
      expect(summary.secrets).toBeGreaterThanOrEqual(30);
      expect(summary.rotations).toBeGreaterThan(0);
      expect(summary.failuresDetected).toBeGreaterThan(0);
      expect(summary.retries).toBeGreaterThan(0);
      expect(summary.recovered).toBeGreaterThan(0);
      expect(summary.escalated).toBeGreaterThan(0);
      expect(summary.alerts).toBeGreaterThan(0);
      const quiet = CHECK_IDS.filter((id) => !(summary.findingsByCheck[id] > 0));
      // verification-failed needs a probe target: a real server (or the RAM key probe) must be there.
      expect(quiet).toEqual([]);

      // No secret value of the seeded fleet in the report or on the terminal.
      const servers = await detectRealServers();
      const html = readFileSync(report, 'utf8');
      const printed = io.out.join('') + io.err.join('');
      for (const value of secretValuesOf(demoFleet({ now: DEMO_START, realServers: servers }))) {
        expect(html.includes(value), 'a seeded secret value appears in the report').toBe(false);
        expect(printed.includes(value), 'a seeded secret value was printed').toBe(false);
      }
      expect(html).toContain('aria-label="Per-secret timeline"');
    },
  );
});

/** The episode an alert announces, from its episode id or (in a group) from the alert id that holds it. */
const episodeOf = (key: string | undefined) => key?.replace(/^kro-(.+)-[oemr][0-9a-z]+$/, '$1');

describe('the demo as an ops team receives it', () => {
  it(
    'pages each secret for at most one open critical episode at a time, every alert opens with a sentence, reminders are at most a quarter',
    { timeout: 600_000 },
    async () => {
      let events: Array<{ name: string; time: number; content: string }> = [];
      await simulateDemo({
        days: 60,
        sweepMinutes: 360,
        servers: await detectRealServers(),
        onDay: (day, emulator) => {
          if (day === 60) events = emulator.cms.customEvents();
        },
      });
      expect(events.length).toBeGreaterThan(0);
      const open = new Map<string, Set<string>>();
      const overlaps: string[] = [];
      for (const e of [...events].sort((a, b) => a.time - b.time)) {
        expect(alertSentence(e.content), `${e.name} without a sentence`).toBeTruthy();
        const critical = ALERTS[e.name as AlertName]?.level === 'CRITICAL';
        for (const subject of parseAlertContent(e.content).subjects) {
          const episode = episodeOf(subject.episodeKey);
          if (!episode) continue;
          const episodes = open.get(subject.secretName) ?? new Set<string>();
          if (e.name === 'KmsRotationRecovered') episodes.delete(episode);
          else if (critical) episodes.add(episode);
          if (episodes.size > 1) overlaps.push(`${subject.secretName}: ${[...episodes].join(', ')}`);
          open.set(subject.secretName, episodes);
        }
      }
      expect(overlaps).toEqual([]);
      // The problem left open reminds, backing off to weekly; reminders stay a quarter of all alerts at most.
      const reminders = events.filter((e) => e.name === 'KmsAlertReminder');
      expect(reminders.length).toBeGreaterThanOrEqual(4);
      expect(reminders.length / events.length).toBeLessThanOrEqual(0.25);
    },
  );
});
