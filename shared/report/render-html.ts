/**
 * ReportData -> one self-contained HTML file: inline CSS and inline SVG, no script, no external
 * asset, every piece of text escaped. The data model holds no secret value, and this renderer
 * adds none.
 */
import type { CheckId } from '../domain/types';
import { findingsBars, healthDonut } from './charts';
import { escapeHtml, num } from './escape';
import { SEVERITY_COLOUR } from './palette';
import { timelineChart, timelineLegend } from './timeline-chart';
import type { FleetSummary, ReportData, ReportFinding } from './types';

/** The checks' default severities (DESIGN §4), used to colour the bars. */
export const DEFAULT_CHECK_SEVERITY: Record<CheckId, 'critical' | 'warning'> = {
  'rotation-failed': 'critical',
  'rotation-overdue': 'critical',
  'rotation-disabled': 'warning',
  'interval-out-of-policy': 'warning',
  'single-user-rds': 'warning',
  'generic-stale': 'warning',
  'deletion-scheduled': 'warning',
  'verification-failed': 'critical',
  'stuck-in-progress': 'critical',
};

const severityOf = (id: string): 'critical' | 'warning' => DEFAULT_CHECK_SEVERITY[id as CheckId] ?? 'warning';

const CSS = `
body{font:14px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d232b;margin:0;background:#f5f6f8}
header{background:#1d2b3a;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#c6d0db}
main{padding:18px 28px;max-width:1100px}
section{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:14px 18px;margin:0 0 18px}
h2{font-size:16px;margin:0 0 10px}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{flex:1 1 110px;border:1px solid #e1e4e8;border-radius:6px;padding:8px 10px}
.card b{display:block;font-size:22px}.card span{color:#5b6573;font-size:12px}
.row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
.chart text.lbl,.legend text.lbl{font-size:12px;fill:#1d232b}.chart text.big{font-size:28px;font-weight:600;fill:#1d232b}
.timeline .tick{font-size:10px;fill:#5b6573}.timeline .grid{stroke:#eceef1}.timeline .track{stroke:#d5d9de}
.timeline .lane-lbl{font-size:11px;fill:#1d232b;font-family:ui-monospace,Menlo,Consolas,monospace}
.timeline .even{fill:#fff}.timeline .odd{fill:#fafbfc}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eceef1;vertical-align:top}
th{background:#f0f2f5}td.sev{font-weight:600}.muted{color:#5b6573;font-size:12px}
ul.notes{margin:6px 0 0;padding-left:18px}
`;

const SUMMARY_LABELS: Array<[keyof Omit<FleetSummary, 'findingsByCheck' | 'alertsByTransition'>, string]> = [
  ['secrets', 'secrets'],
  ['rotations', 'rotations'],
  ['failuresDetected', 'failures detected'],
  ['retries', 'retries'],
  ['recovered', 'recovered'],
  ['escalated', 'escalated'],
  ['alerts', 'alerts'],
];

function summaryCards(summary: FleetSummary): string {
  return `<div class="cards">${SUMMARY_LABELS.map(
    ([key, label]) => `<div class="card"><b>${num(summary[key])}</b><span>${escapeHtml(label)}</span></div>`,
  ).join('')}</div>`;
}

function findingsTable(findings: ReportFinding[]): string {
  if (findings.length === 0) return '<p class="muted">No open findings.</p>';
  const order = (f: ReportFinding) => (f.severity === 'critical' ? 0 : 1);
  const rows = [...findings]
    .sort((a, b) => order(a) - order(b) || String(a.checkId).localeCompare(String(b.checkId)) || a.secretName.localeCompare(b.secretName))
    .map(
      (f) =>
        `<tr><td class="sev" style="color:${SEVERITY_COLOUR[f.severity]}">${escapeHtml(f.severity)}</td>` +
        `<td>${escapeHtml(f.checkId)}</td><td>${escapeHtml(f.secretName)}</td><td>${escapeHtml(f.summary)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>severity</th><th>check</th><th>secret</th><th>summary</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderReportHtml(data: ReportData): string {
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const notes = data.notes?.length ? `<ul class="notes">${data.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(data.title)}</title><style>${CSS}</style></head>
<body><header><h1>${escapeHtml(data.title)}</h1>
<p>${escapeHtml(data.source)} · ${escapeHtml(iso(data.period.start))} to ${escapeHtml(iso(data.period.end))} · generated ${escapeHtml(iso(data.generatedAt))}</p></header>
<main>
<section><h2>Summary</h2>${summaryCards(data.summary)}${notes}</section>
<section class="row"><div><h2>Fleet health</h2>${healthDonut(data.health)}</div>
<div><h2>Findings by check</h2>${findingsBars(data.summary.findingsByCheck, severityOf)}</div></section>
<section><h2>Per-secret timeline</h2>${timelineLegend()}<div class="scroll">${timelineChart(data.secrets, data.period)}</div></section>
<section><h2>Findings</h2>${findingsTable(data.findings)}</section>
</main></body></html>
`;
}
