import { describe, expect, it } from 'vitest';
import {
  buildAuditReportData,
  buildReportData,
  entryFromEvent,
  entryFromNotification,
  findingRows,
  groupByProblem,
  mergeEpisodes,
  renderReportHtml,
  summarize,
  type ReportFinding,
  type RunRecords,
} from '../../shared/report';
import { readAlertLog } from '../../shared/report/alert-history';
import { encodeState } from '../../shared/domain/episode-tag';
import { CloudError } from '../../shared/errors';
import { CHECK_IDS } from '../../shared/domain/types';

const DAY = 86_400_000;
const start = Date.parse('2026-01-01T00:00:00Z');

/** A small run: one secret that failed twice, was retried and recovered; one that escalated; one healthy. */
function aRun(tweak: (r: RunRecords) => void = () => undefined): RunRecords {
  const r: RunRecords = {
    secrets: [
      { secretName: 'prod/orders-db', secretType: 'Rds', subType: 'DoubleUsers', env: 'prod' },
      { secretName: 'prod/billing-db', secretType: 'Rds', subType: 'SingleUser', env: 'prod' },
      { secretName: 'dev/cache', secretType: 'Redis', subType: 'DoubleUsers', env: 'dev' },
    ],
    rotations: [
      { secretName: 'prod/orders-db', at: start + 7 * DAY, outcome: 'failure', errorCode: 'InternalFailure' },
      { secretName: 'prod/orders-db', at: start + 7 * DAY + 600_000, outcome: 'failure', errorCode: 'InternalFailure' },
      { secretName: 'prod/orders-db', at: start + 7 * DAY + 1_200_000, outcome: 'success' },
      { secretName: 'dev/cache', at: start + 3 * DAY, outcome: 'success' },
      {
        secretName: 'prod/billing-db',
        at: start + 5 * DAY,
        outcome: 'failure',
        errorCode: 'InvalidDBInstance.NotFound',
      },
    ],
    retries: [
      { secretName: 'prod/orders-db', at: start + 7 * DAY + 600_000 },
      { secretName: 'prod/orders-db', at: start + 7 * DAY + 1_200_000 },
    ],
    alerts: [
      {
        name: 'KmsRotationFailed',
        at: start + 7 * DAY + 1000,
        content: JSON.stringify({ secretName: 'prod/orders-db', checkId: 'rotation-failed', episodeId: 'e1' }),
      },
      {
        name: 'KmsRotationRecovered',
        at: start + 7 * DAY + 1_300_000,
        content: JSON.stringify({ secretName: 'prod/orders-db', checkId: 'rotation-failed', episodeId: 'e1' }),
      },
      {
        name: 'KmsRotationEscalated',
        at: start + 5 * DAY + 1000,
        content: JSON.stringify({
          secret: { name: 'prod/billing-db' },
          finding: { checkId: 'rotation-failed' },
          episode: { id: 'e2' },
        }),
      },
      {
        name: 'KmsRotationPolicyViolation',
        at: start + 1000,
        content: JSON.stringify({ secretName: 'prod/billing-db', checkId: 'single-user-rds' }),
      },
    ],
    findings: [
      {
        checkId: 'rotation-failed',
        severity: 'critical',
        secretName: 'prod/billing-db',
        summary: 'The RDS instance is gone.',
      },
      {
        checkId: 'single-user-rds',
        severity: 'warning',
        secretName: 'prod/billing-db',
        summary: 'SingleUser in production.',
      },
    ],
  };
  tweak(r);
  return r;
}

const meta = {
  title: 'KRO demo',
  source: 'local emulator',
  generatedAt: start + 60 * DAY,
  period: { start, end: start + 60 * DAY },
};

describe('summarize', () => {
  it('counts rotations, retries, recoveries, escalations and alerts from what the run recorded', () => {
    const s = summarize(aRun());
    expect(s).toMatchObject({
      secrets: 3,
      rotations: 2,
      retries: 2,
      recovered: 1,
      escalated: 1,
      alerts: 4,
      failuresDetected: 1,
    });
  });

  it('counts each secret once per check however many alerts named it, and lists every check', () => {
    const s = summarize(aRun());
    expect(s.findingsByCheck['rotation-failed']).toBe(2);
    expect(s.findingsByCheck['single-user-rds']).toBe(1);
    expect(Object.keys(s.findingsByCheck).sort()).toEqual([...CHECK_IDS].sort());
  });

  it('counts every secret named by a grouped alert', () => {
    const s = summarize(
      aRun((r) => {
        r.alerts.push({
          name: 'KmsRotationFailureGroup',
          at: start,
          content: JSON.stringify({ checkId: 'rotation-failed', secrets: [{ secretName: 'a' }, 'b', 'c'] }),
        });
      }),
    );
    expect(s.failuresDetected).toBe(4);
  });

  it('reads a grouped alert as the orchestrator writes it: every affected secret with its check', () => {
    const content = JSON.stringify({
      cause: 'rm-1',
      affectedTotal: 2,
      affected: [
        { secretName: 'x/1', checkId: 'rotation-failed', alertId: 'a1' },
        { secretName: 'x/2', checkId: 'rotation-overdue', alertId: 'a2' },
      ],
    });
    const s = summarize(aRun((r) => r.alerts.push({ name: 'KmsRotationFailureGroup', at: start, content })));
    expect(s.failuresDetected).toBe(3);
    expect(s.findingsByCheck['rotation-overdue']).toBe(1);
  });

  it('ignores an alert whose content is not JSON instead of failing', () => {
    const s = summarize(aRun((r) => r.alerts.push({ name: 'KmsAlertReminder', at: start, content: 'not json{' })));
    expect(s.alerts).toBe(5);
  });
});

describe('renderReportHtml', () => {
  it('draws the fleet health donut, the findings bars and a swimlane per secret as inline SVG', () => {
    const html = renderReportHtml(buildReportData(aRun(), meta));
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(4);
    expect(html).toContain('aria-label="Fleet health"');
    expect(html).toContain('aria-label="Open findings by check"');
    expect(html).toContain('aria-label="Problems by check during the period"');
    expect(html).toContain('aria-label="Per-secret timeline"');
    expect(html.match(/<g class="lane">/g)?.length).toBe(3);
    for (const id of CHECK_IDS) expect(html).toContain(`>${id}</text>`);
  });

  it('marks the secret with a critical finding red and puts it first', () => {
    const data = buildReportData(aRun(), meta);
    expect(data.current.health).toEqual({ healthy: 2, warning: 0, critical: 1, deleted: 0 });
    const html = renderReportHtml(data);
    const lanes = html.split('<g class="lane">').slice(1);
    expect(lanes[0]).toContain('prod/billing-db');
    expect(lanes[0]).toContain('#d23c3c');
  });

  it('is self-contained: no script, no external stylesheet, image or link', () => {
    const html = renderReportHtml(buildReportData(aRun(), meta));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link|<img|@import|url\(/i);
    const urls = html.match(/https?:\/\/[^"' <]+/g) ?? [];
    expect(urls.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
  });

  it('escapes every name, code and summary it shows', () => {
    const evil = '<script>alert("x")</script>&';
    const html = renderReportHtml(
      buildReportData(
        aRun((r) => {
          r.secrets.push({ secretName: evil, secretType: 'Generic', env: '"><img src=x>' });
          r.findings.push({ checkId: 'generic-stale', severity: 'warning', secretName: evil, summary: `old ${evil}` });
          r.rotations.push({ secretName: evil, at: start, outcome: 'failure', errorCode: '<b>code</b>' });
        }),
        { ...meta, title: evil, notes: [evil] },
      ),
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>code</b>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
  });

  it('shows no secret value even when an alert carries one by mistake', () => {
    const password = 'Pa55-known-value-9f3c1e';
    const html = renderReportHtml(
      buildReportData(
        aRun((r) => {
          r.alerts.push({
            name: 'KmsRotationFailed',
            at: start + DAY,
            content: JSON.stringify({
              secretName: 'dev/cache',
              checkId: 'rotation-failed',
              SecretData: password,
              AccountPassword: password,
            }),
          });
        }),
        meta,
      ),
    );
    expect(html).not.toContain(password);
    expect(html).toContain('dev/cache');
  });

  it('counts, rather than draws, the lanes past the limit', () => {
    const many = aRun((r) => {
      for (let i = 0; i < 400; i++) r.secrets.push({ secretName: `bulk/${i}`, secretType: 'Generic' });
    });
    const html = renderReportHtml(buildReportData(many, meta));
    expect(html.match(/<g class="lane">/g)?.length).toBe(150);
    expect(html).toContain('253 more secrets');
  });
});

/** The HTML between a section's heading and the next section. */
function section(html: string, heading: string): string {
  const at = html.indexOf(`<h2>${heading}`);
  expect(at, `section "${heading}"`).toBeGreaterThan(-1);
  const end = html.indexOf('</section>', at);
  return html.slice(at, end);
}

const lanesOf = (html: string) =>
  html
    .split(/<g class="lane[^"]*">/)
    .slice(1)
    .map((l) => l.slice(0, l.indexOf('</g><g class="lane') >= 0 ? l.indexOf('</g><g class="lane') : undefined));
const laneOf = (html: string, name: string) => lanesOf(html).find((l) => l.includes(`>${name}<title>`))!;

/** x of every marker of one kind in a lane, read from the tooltip each marker carries. */
function markerXs(lane: string, title: string): number[] {
  const xs: number[] = [];
  const re = /<(circle|path|rect|line)\b([^>]*)><title>([^<]*)<\/title>/g;
  for (const m of lane.matchAll(re)) {
    if (!m[3]!.includes(title)) continue;
    const attrs = m[2]!;
    const cx =
      /\bcx="([\d.]+)"/.exec(attrs) ??
      /\bx1="([\d.]+)"/.exec(attrs) ??
      /\bM([\d.]+)/.exec(attrs) ??
      /\bx="([\d.]+)"/.exec(attrs);
    if (cx) xs.push(Number(cx[1]));
  }
  return xs;
}

describe('the demo layout', () => {
  it('puts the current state first and the history after it, each labelled', () => {
    const html = renderReportHtml(buildReportData(aRun(), meta));
    const now = html.indexOf('<h2>Now: the fleet at the end of the period');
    const open = html.indexOf('<h2>Open findings (2)');
    const history = html.indexOf('<h2>History: 60 days');
    const alerts = html.indexOf('<h2>Alert log: what people received');
    expect(now).toBeGreaterThan(-1);
    expect(open).toBeGreaterThan(now);
    expect(history).toBeGreaterThan(open);
    expect(alerts).toBeGreaterThan(history);
    // The current-state bars count only what is open now; the period's bars count recovered problems too.
    const current = section(html, 'Now:');
    expect(current).toMatch(/aria-label="Open findings by check"[\s\S]*?rotation-failed: 1</);
    expect(section(html, 'History:')).toMatch(
      /aria-label="Problems by check during the period"[\s\S]*?rotation-failed: 2</,
    );
    expect(section(html, 'History:')).toContain('failures detected');
    expect(current).not.toContain('failures detected');
  });

  it('draws failure and retry markers where escalations and recoveries cannot hide them, and advertises only what it draws', () => {
    const html = renderReportHtml(buildReportData(aRun(), meta));
    const lane = laneOf(html, 'prod/orders-db');
    // Two failures ten minutes apart: one cross with a count, the success 20 minutes later beside it.
    const failures = markerXs(lane, 'rotation failed');
    const successes = markerXs(lane, 'rotation succeeded');
    expect(failures).toHaveLength(1);
    expect(lane).toMatch(/2 × rotation failed/);
    expect(successes).toHaveLength(1);
    expect(Math.abs(successes[0]! - failures[0]!)).toBeGreaterThanOrEqual(8);
    expect(markerXs(lane, 'retry (RotateSecret')).toHaveLength(1);
    expect(lane).toMatch(/2 × retry/);
    // The alert and its recovery 22 minutes later: both drawn, apart.
    const opened = markerXs(lane, 'alert: problem opened');
    const recovered = markerXs(lane, 'recovered');
    expect(opened).toHaveLength(1);
    expect(recovered).toHaveLength(1);
    expect(Math.abs(opened[0]! - recovered[0]!)).toBeGreaterThanOrEqual(8);

    const legend = html.slice(
      html.indexOf('aria-label="Timeline legend"'),
      html.indexOf('aria-label="Per-secret timeline"'),
    );
    expect(legend).toContain('rotation failed (3)');
    expect(legend).toContain('retry (RotateSecret by the orchestrator) (2)');
    expect(legend).not.toContain('secret deleted');
    expect(legend).not.toContain('next rotation due');
  });

  it('draws and counts a deleted secret as deleted, never as healthy', () => {
    const data = buildReportData(
      aRun((r) => {
        r.secrets.push({ secretName: 'dev/old-flags', secretType: 'Generic', env: 'dev', deletedAt: start + 9 * DAY });
        r.alerts.push({
          name: 'KmsSecretDeletionScheduled',
          at: start + DAY,
          content: JSON.stringify({ secretName: 'dev/old-flags', checkId: 'deletion-scheduled' }),
        });
      }),
      {
        ...meta,
        alertLog: {
          source: 'test',
          available: true,
          entries: [
            entryFromNotification({
              at: start + DAY,
              eventName: 'KmsSecretDeletionScheduled',
              level: 'WARN',
              contactGroup: 'ops',
              channels: [],
              contents: [JSON.stringify({ secretName: 'dev/old-flags', checkId: 'deletion-scheduled' })],
            }),
          ],
        },
      },
    );
    expect(data.current.health).toEqual({ healthy: 2, warning: 0, critical: 1, deleted: 1 });
    const html = renderReportHtml(data);
    const lane = lanesOf(html).find((l) => l.includes('dev/old-flags'))!;
    expect(html).toMatch(/<g class="lane gone">[^]*?dev\/old-flags/);
    expect(lane).toContain('class="lane-lbl deleted"');
    expect(markerXs(lane, 'secret deleted')).toHaveLength(1);
    expect(lane).toContain('class="track-gone"');
    expect(section(html, 'Now:')).toContain('<title>deleted: 1</title>');
    expect(section(html, 'Now:')).toMatch(/<b>1<\/b><span>deleted during the period<\/span>/);
    // Its open problem closed with it: the alert log says so rather than "open".
    expect(section(html, 'Alert log')).toMatch(
      /dev\/old-flags<\/td><td class="nowrap">deletion-scheduled[^]*?secret deleted<\/span>/,
    );
  });

  it('writes a finding from its evidence at render time: when it started and how long ago, not a stale duration', () => {
    const html = renderReportHtml(
      buildReportData(
        aRun((r) => {
          r.findings.push({
            checkId: 'stuck-in-progress',
            severity: 'critical',
            secretName: 'dev/cache',
            summary: 'A rotation of dev/cache started 2026-01-02T00:00:00.000Z and has not completed in 0.5 h.',
            evidence: {
              rotationStartedAt: new Date(start + DAY).toISOString(),
              runningSeconds: 59 * 86_400,
              expectedSeconds: 1800,
            },
            status: 'retrying',
            attempts: 3,
            since: start + DAY,
            env: 'dev',
            runbook: 'Check the rotation target.',
          });
        }),
        meta,
      ),
    );
    const table = section(html, 'Open findings');
    expect(table).not.toContain('has not completed in 0.5 h');
    expect(table).toContain(
      'Rotation started 2026-01-02 00:00 UTC (59 d ago) and has not finished; expected within 30 min.',
    );
    const row = table.slice(table.lastIndexOf('<tr>', table.indexOf('stuck-in-progress')));
    expect(row).toMatch(/retrying/);
    expect(row).toMatch(/<b>Runbook:<\/b> Check the rotation target\./);
    expect(row).toMatch(/<td class="num">3<\/td>/);
    expect(row).toContain('59 d ago');
    for (const th of ['severity, status', 'check', 'secret', 'env', 'since', 'attempts'])
      expect(table).toContain(`<th>${th}</th>`);
  });
});

describe('the alert log', () => {
  const n = (at: number, eventName: string, level: string, content: object, channels = ['mail:secops@example.com']) =>
    entryFromNotification({
      at,
      eventName,
      level,
      contactGroup: 'kro-secops',
      channels,
      contents: [JSON.stringify(content)],
    });

  it('groups what people received by problem: opened, reminders, escalated, resolved, and a reopening as a new row', () => {
    const subject = { secretName: 'prod/db', checkId: 'rotation-failed' };
    const entries = [
      n(start, 'KmsRotationFailed', 'CRITICAL', subject),
      n(start + DAY, 'KmsAlertReminder', 'WARN', subject),
      n(start + 2 * DAY, 'KmsAlertReminder', 'WARN', subject),
      n(start + 3 * DAY, 'KmsRotationEscalated', 'CRITICAL', subject),
      n(start + 4 * DAY, 'KmsRotationRecovered', 'INFO', subject),
      n(start + 10 * DAY, 'KmsRotationFailed', 'CRITICAL', subject),
    ];
    const problems = groupByProblem(entries, [
      { checkId: 'rotation-failed', severity: 'critical', secretName: 'prod/db', summary: '', status: 'retrying' },
    ]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({
      openedAt: start,
      reminders: 2,
      escalatedAt: start + 3 * DAY,
      resolvedAt: start + 4 * DAY,
      status: 'resolved',
      messages: 5,
      level: 'CRITICAL',
    });
    expect(problems[1]).toMatchObject({ openedAt: start + 10 * DAY, reminders: 0, status: 'retrying', messages: 1 });
    // The log shows them as one row: a flapping check is one line with its episode count.
    expect(mergeEpisodes(problems)).toEqual([
      expect.objectContaining({
        episodes: 2,
        openedAt: start,
        reminders: 2,
        resolvedAt: undefined,
        status: 'retrying',
        messages: 6,
      }),
    ]);
  });

  it('shows who received the messages without a webhook token, and every message in order', () => {
    const token = 'access_token=9f8e7d6c5b4a';
    const html = renderReportHtml(
      buildReportData(aRun(), {
        ...meta,
        alertLog: {
          source: 'test notifications',
          available: true,
          entries: [
            n(start, 'KmsRotationFailed', 'CRITICAL', { secretName: 'prod/orders-db', checkId: 'rotation-failed' }, [
              'mail:secops@example.com',
              `dingtalk:https://oapi.dingtalk.com/robot/send?${token}`,
            ]),
            n(start + DAY, 'KmsRotationRecovered', 'INFO', {
              secretName: 'prod/orders-db',
              checkId: 'rotation-failed',
            }),
          ],
        },
      }),
    );
    const log = section(html, 'Alert log');
    expect(log).toContain('<b>2</b> notifications received (1 CRITICAL, 1 INFO)');
    expect(log).toContain('<code>mail:secops@example.com</code>');
    expect(log).toContain('<code>dingtalk (oapi.dingtalk.com)</code>');
    expect(html).not.toContain('9f8e7d6c5b4a');
    expect(log).toMatch(/<details><summary>All 2 notifications in order<\/summary>/);
    expect(log).toMatch(/prod\/orders-db<\/td><td class="nowrap">rotation-failed[^]*resolved/);
  });

  it('says so when the log is not available, instead of showing none', () => {
    const html = renderReportHtml(buildReportData(aRun(), meta));
    expect(section(html, 'Alert log')).toContain('Alert log not available (no alert log was recorded)');
  });

  it("reads the audit's log back from CloudMonitor, and reports a denied read by its code only", async () => {
    const now = start + 40 * DAY;
    const found = {
      name: 'KmsRotationFailed',
      content: JSON.stringify({ secretName: 'prod/db', checkId: 'rotation-failed' }),
      time: now - DAY,
    };
    const queries: Array<{ name?: string; startTime: number; endTime: number }> = [];
    const log = await readAlertLog(
      { findCustomEvents: async (q) => (queries.push(q), q.name === 'KmsRotationFailed' ? [found] : []) },
      now,
    );
    expect(log.available).toBe(true);
    expect(log.entries).toEqual([
      {
        at: now - DAY,
        eventName: 'KmsRotationFailed',
        level: 'CRITICAL',
        recipients: [],
        subjects: [{ secretName: 'prod/db', checkId: 'rotation-failed' }],
      },
    ]);
    expect(queries.every((q) => q.startTime === now - 30 * DAY && q.endTime === now)).toBe(true);

    const denied = new CloudError({
      code: 'Forbidden.NoPermission',
      message: 'not allowed for <b>x</b>',
      product: 'cms',
      action: 'DescribeCustomEventAttribute',
      retryable: false,
    });
    const none = await readAlertLog({ findCustomEvents: async () => Promise.reject(denied) }, now);
    expect(none).toMatchObject({
      available: false,
      unavailableReason: 'DescribeCustomEventAttribute failed: Forbidden.NoPermission',
      entries: [],
    });
  });
});

describe('the audit layout', () => {
  const observedAt = start + 60 * DAY;
  const auditData = (tweak: (f: ReportFinding[]) => void = () => undefined) => {
    const findings: ReportFinding[] = [
      {
        checkId: 'rotation-failed',
        severity: 'critical',
        secretName: 'prod/a',
        summary: 'failed',
        evidence: { errorCode: 'InternalFailure', failedAt: new Date(observedAt - 5 * DAY).toISOString() },
        status: 'escalated',
        attempts: 4,
      },
      { checkId: 'rotation-failed', severity: 'critical', secretName: 'prod/b', summary: 'failed' },
      { checkId: 'single-user-rds', severity: 'warning', secretName: 'prod/c', summary: 'single' },
    ];
    tweak(findings);
    return buildAuditReportData(
      {
        observedAt,
        secrets: [
          {
            secretName: 'prod/a',
            secretType: 'Rds',
            lastRotationDate: observedAt - 40 * DAY,
            nextRotationDate: observedAt - 10 * DAY,
          },
          {
            secretName: 'prod/b',
            secretType: 'Rds',
            lastRotationDate: observedAt - 3 * DAY,
            nextRotationDate: observedAt + 11 * DAY,
          },
          { secretName: 'prod/c', secretType: 'Rds', plannedDeleteTime: observedAt + 5 * DAY },
          { secretName: 'prod/d', secretType: 'Generic' },
        ],
        findings,
        unreadable: [{ secretName: 'prod/<hidden>', code: 'Forbidden.NoPermission' }],
      },
      {
        title: 'KMS secret rotation audit',
        source: 'read-only audit',
        generatedAt: observedAt,
        period: { start: observedAt - 60 * DAY, end: observedAt + 31 * DAY },
      },
    );
  };

  it('shows a moment: state, findings, schedule and alerts, and no period counters beside the findings', () => {
    const html = renderReportHtml(auditData());
    const order = [
      'State of the account',
      'Open findings (3)',
      'Rotation schedule',
      'Alerts the orchestrator sent',
    ].map((h) => html.indexOf(`<h2>${h}`));
    expect(order.every((i) => i > -1)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const history of [
      'failures detected',
      'retries by the orchestrator',
      'alert events sent',
      'rotations succeeded',
      'History:',
      'recovered</span>',
    ]) {
      expect(html).not.toContain(history);
    }
    const state = section(html, 'State of the account');
    expect(state).toMatch(/<b style="color:#d23c3c">2<\/b><span>critical findings<\/span>/);
    expect(state).toMatch(
      /<b>1<\/b><span>escalated to a human<\/span>|<b style="color:#d23c3c">1<\/b><span>escalated to a human<\/span>/,
    );
    expect(state).toContain('<code>prod/&lt;hidden&gt;</code>: Forbidden.NoPermission');
  });

  it('draws the last rotation, the next due date (red once passed) and a planned deletion around a now line', () => {
    const html = renderReportHtml(auditData());
    expect(markerXs(laneOf(html, 'prod/a'), 'rotation was due')).toHaveLength(1);
    expect(markerXs(laneOf(html, 'prod/b'), 'next rotation due')).toHaveLength(1);
    expect(markerXs(laneOf(html, 'prod/c'), 'secret deleted')).toHaveLength(1);
    expect(html).toContain('class="now"');
    expect(html).not.toContain('<g class="lane gone">');
  });

  it('reads episodes from the state tag: status, attempts, age and environment of each finding', () => {
    const openedAt = observedAt - 6 * DAY;
    const tag = encodeState(
      {
        episodes: [
          {
            id: 'x',
            secretName: 'prod/a',
            checkId: 'rotation-failed',
            status: 'retrying',
            openedAt,
            attempts: 2,
            attemptStarted: false,
            lastError: { code: 'Rejected.Throttling' },
          },
        ],
      },
      'prod/a',
    ).value!;
    const rows = findingRows(
      {
        secrets: [
          { secretName: 'prod/a', secretType: 'Rds', extendedConfig: {}, tags: { 'kro-state': tag, env: 'prod' } },
          { secretName: 'prod/b', secretType: 'Rds', extendedConfig: {}, tags: {} },
        ],
        findings: [
          {
            checkId: 'rotation-failed',
            severity: 'critical',
            secretName: 'prod/a',
            summary: 's',
            evidence: {},
            runbook: 'r',
            remediable: true,
          },
          {
            checkId: 'rotation-overdue',
            severity: 'critical',
            secretName: 'prod/b',
            summary: 's',
            evidence: { nextRotationDate: new Date(observedAt - DAY).toISOString() },
            runbook: 'r',
            remediable: true,
          },
        ],
      },
      { stateTagKey: 'kro-state', envOf: (d) => (d.tags.env ? 'production' : undefined) },
    );
    expect(rows[0]).toMatchObject({
      status: 'retrying',
      attempts: 2,
      since: openedAt,
      env: 'production',
      lastErrorCode: 'Rejected.Throttling',
      runbook: 'r',
    });
    expect(rows[1]).toMatchObject({ status: 'open', attempts: 0, since: observedAt - DAY });
    expect(rows[1]!.env).toBeUndefined();
  });

  it('escapes hostile names, codes, messages and runbooks in every section', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const data = auditData((f) =>
      f.push({
        checkId: 'rotation-failed',
        severity: 'critical',
        secretName: evil,
        summary: evil,
        runbook: `run ${evil}`,
        lastErrorCode: evil,
        env: evil,
        evidence: { errorCode: evil, reason: evil },
      }),
    );
    data.secrets.push({
      secretName: evil,
      secretType: evil,
      env: evil,
      health: 'critical',
      markers: [{ at: observedAt, kind: 'failure', label: evil }],
    });
    data.alertLog = {
      source: evil,
      available: true,
      entries: [
        entryFromEvent(
          { name: evil, content: JSON.stringify({ secretName: evil, checkId: evil }), time: observedAt },
          observedAt,
        ),
      ],
    };
    data.notes = [evil];
    const html = renderReportHtml(data);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(
      renderReportHtml({ ...data, alertLog: { source: evil, available: false, unavailableReason: evil, entries: [] } }),
    ).not.toContain('<img');
  });
});
