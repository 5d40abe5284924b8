/** The terminal side of the report: summary lines, the ops team's timeline, the findings table, a progress bar. */
import type { FleetSummary, ReportFinding } from './types';

const iso = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/:\d\d\.\d{3}Z$/, 'Z')
    .replace('T', ' ');

/** What reached people (a CloudMonitor notification), reduced to one printable line. */
export interface TimelineEntry {
  at: number;
  level: string;
  eventName: string;
  /** Secrets named, check, short detail: already free of values. */
  detail: string;
  channel?: string;
}

export function formatTimeline(entries: TimelineEntry[], limit = 80): string[] {
  const sorted = [...entries].sort((a, b) => a.at - b.at);
  const shown = sorted.slice(0, limit);
  const lines = shown.map(
    (e) =>
      `  ${iso(e.at)}  ${e.level.padEnd(8)} ${e.eventName.padEnd(32)} ${e.detail}${e.channel ? `  -> ${e.channel}` : ''}`,
  );
  if (sorted.length > shown.length)
    lines.push(`  ... and ${sorted.length - shown.length} more (all in the HTML report)`);
  return lines;
}

export function formatSummary(summary: FleetSummary): string[] {
  const checks = Object.entries(summary.findingsByCheck)
    .map(([id, n]) => `    ${id.padEnd(24)} ${String(n).padStart(4)}`)
    .join('\n');
  return [
    `  secrets            ${summary.secrets}`,
    `  rotations          ${summary.rotations}`,
    `  failures detected  ${summary.failuresDetected}`,
    `  retries            ${summary.retries}`,
    `  recovered          ${summary.recovered}`,
    `  escalated          ${summary.escalated}`,
    `  alerts             ${summary.alerts}${summary.alertsByTransition ? ` (transitions: ${summary.alertsByTransition.opened} opened, ${summary.alertsByTransition.escalated} escalated, ${summary.alertsByTransition.reminders} reminders, ${summary.alertsByTransition.resolved} resolved)` : ''}`,
    `  findings by check (secrets):`,
    checks,
  ];
}

export function formatFindingsTable(findings: ReportFinding[]): string[] {
  if (findings.length === 0) return ['No findings.'];
  const rows = [...findings].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1) ||
      String(a.checkId).localeCompare(String(b.checkId)) ||
      a.secretName.localeCompare(b.secretName),
  );
  const w = {
    check: Math.max(5, ...rows.map((r) => String(r.checkId).length)),
    secret: Math.min(48, Math.max(6, ...rows.map((r) => r.secretName.length))),
  };
  const head = `${'SEVERITY'.padEnd(9)} ${'CHECK'.padEnd(w.check)} ${'SECRET'.padEnd(w.secret)} SUMMARY`;
  return [
    head,
    ...rows.map(
      (r) =>
        `${r.severity.padEnd(9)} ${String(r.checkId).padEnd(w.check)} ${r.secretName.padEnd(w.secret)} ${r.summary}`,
    ),
  ];
}

/** A one-line bar for a TTY, redrawn in place with \r. */
export function progressBar(done: number, total: number, label = '', width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${label}`;
}
