import { describe, expect, it } from 'vitest';
import { buildReportData, renderReportHtml, summarize, type RunRecords } from '../../shared/report';
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
      { secretName: 'prod/billing-db', at: start + 5 * DAY, outcome: 'failure', errorCode: 'InvalidDBInstance.NotFound' },
    ],
    retries: [
      { secretName: 'prod/orders-db', at: start + 7 * DAY + 600_000 },
      { secretName: 'prod/orders-db', at: start + 7 * DAY + 1_200_000 },
    ],
    alerts: [
      { name: 'KmsRotationFailed', at: start + 7 * DAY + 1000, content: JSON.stringify({ secretName: 'prod/orders-db', checkId: 'rotation-failed', episodeId: 'e1' }) },
      { name: 'KmsRotationRecovered', at: start + 7 * DAY + 1_300_000, content: JSON.stringify({ secretName: 'prod/orders-db', checkId: 'rotation-failed', episodeId: 'e1' }) },
      { name: 'KmsRotationEscalated', at: start + 5 * DAY + 1000, content: JSON.stringify({ secret: { name: 'prod/billing-db' }, finding: { checkId: 'rotation-failed' }, episode: { id: 'e2' } }) },
      { name: 'KmsRotationPolicyViolation', at: start + 1000, content: JSON.stringify({ secretName: 'prod/billing-db', checkId: 'single-user-rds' }) },
    ],
    findings: [
      { checkId: 'rotation-failed', severity: 'critical', secretName: 'prod/billing-db', summary: 'The RDS instance is gone.' },
      { checkId: 'single-user-rds', severity: 'warning', secretName: 'prod/billing-db', summary: 'SingleUser in production.' },
    ],

  };
  tweak(r);
  return r;
}

const meta = { title: 'KRO demo', source: 'local emulator', generatedAt: start + 60 * DAY, period: { start, end: start + 60 * DAY } };

describe('summarize', () => {
  it('counts rotations, retries, recoveries, escalations and alerts from what the run recorded', () => {
    const s = summarize(aRun());
    expect(s).toMatchObject({ secrets: 3, rotations: 2, retries: 2, recovered: 1, escalated: 1, alerts: 4, failuresDetected: 1 });
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
        r.alerts.push({ name: 'KmsRotationFailureGroup', at: start, content: JSON.stringify({ checkId: 'rotation-failed', secrets: [{ secretName: 'a' }, 'b', 'c'] }) });
      }),
    );
    expect(s.failuresDetected).toBe(4);
  });

  it('reads a grouped alert as the orchestrator writes it: every affected secret with its check', () => {
    const content = JSON.stringify({ cause: 'rm-1', affectedTotal: 2, affected: [{ secretName: 'x/1', checkId: 'rotation-failed', alertId: 'a1' }, { secretName: 'x/2', checkId: 'rotation-overdue', alertId: 'a2' }] });
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
    expect(html).toContain('aria-label="Findings by check"');
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
            content: JSON.stringify({ secretName: 'dev/cache', checkId: 'rotation-failed', SecretData: password, AccountPassword: password }),
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
