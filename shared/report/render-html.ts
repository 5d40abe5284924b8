/**
 * ReportData -> one self-contained HTML file: inline CSS and inline SVG, no script, no external
 * asset, every piece of text escaped. The data model holds no secret value, and this renderer
 * adds none. Two layouts: the demo (a period: the state at its end, then its history) and the
 * audit (one moment: state, findings, the rotation schedule around it, the alerts sent).
 */
import { readinessSection } from './readiness-rows';
import { CHECK_IDS, CHECKS, severityOfCheck, type CheckId, type Severity } from '../domain/check-catalog';
import { findingsBars, healthDonut } from './charts';
import { escapeHtml } from './escape';
import { alertLogSection, cards, findingsTable, unreadableList } from './sections';
import { utc } from './time-text';
import { timelineChart, timelineLegend } from './timeline-chart';
import type { AuditReportData, DemoReportData, ReportData } from './types';

/** The checks' default severities (check-catalog.ts), used to colour the bars. */
export const DEFAULT_CHECK_SEVERITY = Object.fromEntries(CHECK_IDS.map((id) => [id, CHECKS[id].severity])) as Record<
  CheckId,
  Severity
>;

const severityOf = severityOfCheck;

const CSS = `
body{font:14px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d232b;margin:0;background:#f5f6f8}
header{background:#1d2b3a;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#c6d0db}
main{padding:18px 28px;max-width:1100px}
section{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:14px 18px;margin:0 0 18px}
section.now{border-top:4px solid #1d2b3a}section.history{border-top:4px solid #8a8f98}
h2{font-size:17px;margin:0 0 2px}h3{font-size:14px;margin:12px 0 6px}.sub{color:#5b6573;font-size:12px;margin:0 0 10px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 10px}.card{flex:1 1 110px;border:1px solid #e1e4e8;border-radius:6px;padding:8px 10px}
.card b{display:block;font-size:22px}.card span{color:#5b6573;font-size:12px}
.row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
.chart text.lbl,.legend text.lbl{font-size:12px;fill:#1d232b}.chart text.big{font-size:28px;font-weight:600;fill:#1d232b}
.timeline .tick{font-size:10px;fill:#5b6573}.timeline .grid{stroke:#eceef1}.timeline .track{stroke:#c9ced4}
.timeline .track-gone{stroke:#c9ced4;stroke-dasharray:2 4}.timeline .count{font-size:9px;font-weight:700;fill:#1d232b}
.timeline .lane-lbl{font-size:11px;fill:#1d232b;font-family:ui-monospace,Menlo,Consolas,monospace}
.timeline .lane-lbl.deleted{fill:#8a8f98;text-decoration:line-through}
.timeline .even{fill:#fff}.timeline .odd{fill:#fafbfc}.timeline .now{stroke:#1d2b3a;stroke-width:1.5;stroke-dasharray:4 3}
.timeline .now-lbl{font-size:10px;font-weight:600;fill:#1d2b3a}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:12.5px}th,td{text-align:left;padding:5px 7px;border-bottom:1px solid #eceef1;vertical-align:top}
th{background:#f0f2f5;white-space:nowrap}td.sev{font-weight:600}td.num{text-align:right}td.time{white-space:nowrap;font-size:12px}
td.secret{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;overflow-wrap:anywhere;min-width:150px;max-width:230px}.nowrap{white-space:nowrap}
td.what{min-width:260px}.runbook{color:#3d4752;font-size:11.5px;margin-top:3px}
.badge{display:inline-block;color:#fff;border-radius:10px;padding:0 8px;font-size:11.5px;font-weight:600;white-space:nowrap}
.muted{color:#5b6573;font-size:12px}code{font-size:12px;background:#f0f2f5;padding:0 3px;border-radius:3px}
table.alerts th{white-space:normal}details{margin-top:10px}summary{cursor:pointer;color:#2f6fd6}table.log{margin-top:6px}
ul.notes{margin:6px 0 0;padding-left:18px}
`;

function page(data: ReportData, subtitle: string, body: string): string {
  const notes = data.notes?.length
    ? `<section><h2>Notes</h2><ul class="notes">${data.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></section>`
    : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(data.title)}</title><style>${CSS}</style></head>
<body><header><h1>${escapeHtml(data.title)}</h1>
<p>${escapeHtml(data.source)} · ${escapeHtml(subtitle)} · generated ${escapeHtml(utc(data.generatedAt))}</p></header>
<main>
${body}
${notes}
</main></body></html>
`;
}

function stateSection(data: ReportData, heading: string, firstCards: Parameters<typeof cards>[0]): string {
  const c = data.current;
  const live = c.health.healthy + c.health.warning + c.health.critical;
  const statusCards = [
    { value: c.status.retrying, label: 'being retried', tone: 'warning' as const },
    { value: c.status.escalated, label: 'escalated to a human', tone: 'critical' as const },
  ];
  return (
    `<section class="now"><h2>${escapeHtml(heading)}</h2><p class="sub">State at ${escapeHtml(utc(c.at))}: what is wrong now, however it got there.</p>` +
    cards([
      ...firstCards,
      ...statusCards,
      ...(c.unreadable.length ? [{ value: c.unreadable.length, label: 'unreadable', tone: 'warning' as const }] : []),
    ]) +
    `<div class="row"><div><h3>Fleet health now</h3>${healthDonut(c.health, live === 1 ? 'secret' : 'secrets')}</div>` +
    `<div><h3>Open findings by check (now)</h3>${findingsBars(c.openByCheck, severityOf, 'Open findings by check')}</div></div>` +
    unreadableList(c.unreadable) +
    `</section>`
  );
}

function findingsSection(data: ReportData): string {
  return (
    `<section class="now"><h2>Open findings (${data.findings.length})</h2>` +
    `<p class="sub">Status is the orchestrator's episode (from its state tag): open, retrying, escalated. Times in UTC, ages relative to ${escapeHtml(utc(data.current.at))}.</p>` +
    `${findingsTable(data.findings, data.current.at)}</section>`
  );
}

const logContext = (data: ReportData) => ({
  findings: data.findings,
  deletedSecrets: new Set(data.secrets.filter((s) => s.health === 'deleted').map((s) => s.secretName)),
  now: data.current.at,
});

function renderDemo(data: DemoReportData): string {
  const c = data.current;
  const s = data.summary;
  const t = s.alertsByTransition;
  const days = Math.round((data.period.end - data.period.start) / 86_400_000);
  const body =
    stateSection(data, 'Now: the fleet at the end of the period', [
      { value: c.health.healthy + c.health.warning + c.health.critical, label: 'secrets' },
      { value: c.health.critical, label: 'critical', tone: 'critical' },
      { value: c.health.warning, label: 'warning', tone: 'warning' },
      { value: c.health.healthy, label: 'healthy', tone: 'ok' },
      { value: c.health.deleted, label: 'deleted during the period' },
    ]) +
    findingsSection(data) +
    readinessSection(data.readiness ?? []) +
    `<section class="history"><h2>History: ${days} days, ${escapeHtml(utc(data.period.start))} to ${escapeHtml(utc(data.period.end))}</h2>` +
    `<p class="sub">What happened during the period, including problems that have since recovered.</p>` +
    cards([
      { value: s.rotations, label: 'rotations succeeded', tone: 'ok' },
      { value: s.failuresDetected, label: 'failures detected', tone: 'critical' },
      { value: s.retries, label: 'retries by the orchestrator' },
      { value: s.recovered, label: 'recovered', tone: 'ok' },
      { value: s.escalated, label: 'escalated', tone: 'critical' },
      { value: s.alerts, label: 'alert events sent' },
      { value: data.alertLog.entries.length, label: 'messages people received' },
    ]) +
    (t
      ? `<p class="muted">Alert events announced ${t.opened} openings, ${t.escalated} escalations, ${t.reminders} reminders and ${t.resolved} recoveries (a grouped event counts each secret it names).</p>`
      : '') +
    `<h3>Secrets with a problem during the period, by check</h3>${findingsBars(s.findingsByCheck, severityOf, 'Problems by check during the period')}` +
    `<h3>Per-secret timeline</h3>${timelineLegend(data.secrets)}<div class="scroll">${timelineChart(data.secrets, data.period, { now: c.at })}</div></section>` +
    `<section class="history"><h2>Alert log: what people received</h2><p class="sub">Grouped by problem, from the alert that opened it to the one that resolved it.</p>` +
    `${alertLogSection(data.alertLog, logContext(data), { messages: 'notifications', verb: 'received' })}</section>`;
  return page(data, `${utc(data.period.start)} to ${utc(data.period.end)}`, body);
}

function renderAudit(data: AuditReportData): string {
  const c = data.current;
  const critical = data.findings.filter((f) => f.severity === 'critical').length;
  const body =
    stateSection(data, 'State of the account', [
      { value: c.health.healthy + c.health.warning + c.health.critical, label: 'secrets audited' },
      { value: critical, label: 'critical findings', tone: 'critical' },
      { value: data.findings.length - critical, label: 'warning findings', tone: 'warning' },
      { value: c.health.healthy, label: 'healthy secrets', tone: 'ok' },
    ]) +
    findingsSection(data) +
    readinessSection(data.readiness ?? []) +
    `<section><h2>Rotation schedule</h2><p class="sub">Each secret's last rotation and next due date around ${escapeHtml(utc(c.at))}; ` +
    `a point-in-time read, so no history of failures or retries (the orchestrator's alerts are below).</p>` +
    `${timelineLegend(data.secrets, { titles: { rotation: 'last rotation', deleted: 'deletion becomes permanent' } })}<div class="scroll">${timelineChart(data.secrets, data.period, { now: c.at })}</div></section>` +
    `<section><h2>Alerts the orchestrator sent</h2><p class="sub">CloudMonitor custom events read back; who received them depends on the account's alarm rules (kro bootstrap).</p>` +
    `${alertLogSection(data.alertLog, logContext(data), { messages: 'alert events', verb: 'sent' })}</section>`;
  return page(data, `observed ${utc(c.at)}`, body);
}

export function renderReportHtml(data: ReportData): string {
  return data.layout === 'audit' ? renderAudit(data) : renderDemo(data);
}
