/**
 * The report's HTML building blocks shared by both layouts: headline cards, the findings table,
 * the alert log. Pure string builders; every piece of outside text (secret names, error codes,
 * messages, recipients) goes through escapeHtml.
 */
import { groupByProblem, mergeEpisodes } from './alert-log';
import { escapeHtml, num } from './escape';
import { findingText } from './finding-text';
import { SEVERITY_COLOUR, STATUS_COLOUR } from './palette';
import { relative, utc } from './time-text';
import type { AlertLog, FindingStatus, ReportFinding } from './types';

export interface Card {
  value: number;
  label: string;
  /** Colours the number when it is not zero. */
  tone?: 'critical' | 'warning' | 'ok';
}

const TONE = { critical: SEVERITY_COLOUR.critical, warning: SEVERITY_COLOUR.warning, ok: '#2e9d5b' } as const;

export function cards(list: Card[]): string {
  return `<div class="cards">${list
    .map((c) => {
      const style = c.tone && c.value > 0 ? ` style="color:${TONE[c.tone]}"` : '';
      return `<div class="card"><b${style}>${num(c.value)}</b><span>${escapeHtml(c.label)}</span></div>`;
    })
    .join('')}</div>`;
}

/** A time cell: absolute UTC, and below it the age relative to the report's now. */
export function timeCell(at: number | undefined, now: number): string {
  if (at === undefined) return '<td class="time muted">unknown</td>';
  return `<td class="time">${escapeHtml(utc(at))}<br><span class="muted">${escapeHtml(relative(at, now))}</span></td>`;
}

export function statusBadge(status: FindingStatus | 'deleted'): string {
  const text = status === 'deleted' ? 'secret deleted' : status;
  return `<span class="badge" style="background:${STATUS_COLOUR[status]}">${escapeHtml(text)}</span>`;
}

const STATUS_RANK: Record<FindingStatus, number> = { escalated: 0, retrying: 1, open: 2, resolved: 3 };

export function sortFindings(findings: ReportFinding[]): ReportFinding[] {
  const sev = (f: ReportFinding) => (f.severity === 'critical' ? 0 : 1);
  return [...findings].sort(
    (a, b) =>
      sev(a) - sev(b) ||
      STATUS_RANK[a.status ?? 'open'] - STATUS_RANK[b.status ?? 'open'] ||
      String(a.checkId).localeCompare(String(b.checkId)) ||
      a.secretName.localeCompare(b.secretName),
  );
}

export function findingsTable(findings: ReportFinding[], now: number): string {
  if (findings.length === 0) return '<p class="muted">No open findings.</p>';
  const rows = sortFindings(findings)
    .map((f) => {
      const what = findingText(f, now);
      const code =
        f.lastErrorCode && !what.includes(f.lastErrorCode)
          ? `<div>Last error: <code>${escapeHtml(f.lastErrorCode)}</code></div>`
          : '';
      const runbook = f.runbook ? `<div class="runbook"><b>Runbook:</b> ${escapeHtml(f.runbook)}</div>` : '';
      return (
        `<tr><td class="sev"><span style="color:${SEVERITY_COLOUR[f.severity]}">${escapeHtml(f.severity)}</span><br>${statusBadge(f.status ?? 'open')}</td>` +
        `<td class="nowrap">${escapeHtml(f.checkId)}</td>` +
        `<td class="secret">${escapeHtml(f.secretName)}</td>` +
        `<td>${escapeHtml(f.env ?? '')}</td>` +
        `<td class="what">${escapeHtml(what)}${code}${runbook}</td>` +
        timeCell(f.since, now) +
        `<td class="num">${num(f.attempts ?? 0)}</td></tr>`
      );
    })
    .join('');
  return (
    `<table class="findings"><thead><tr><th>severity, status</th><th>check</th><th>secret</th><th>env</th>` +
    `<th>what and what to do</th><th>since</th><th>attempts</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

const LEVELS = ['CRITICAL', 'WARN', 'INFO'];

function subjectsText(subjects: AlertLog['entries'][number]['subjects']): string {
  const names = [...new Set(subjects.map((s) => s.secretName))];
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} +${names.length - 3} more` : names.join(', ');
}

/**
 * The alert log: a headline (how many messages, at which levels, to whom), then one row per
 * problem (its alerts from opened to resolved), then every message in order, folded.
 */
export function alertLogSection(
  log: AlertLog,
  context: { findings: ReportFinding[]; deletedSecrets: ReadonlySet<string>; now: number },
  noun: { messages: string; verb: string },
): string {
  const { findings, deletedSecrets, now } = context;
  if (!log.available)
    return `<p class="muted">Alert log not available (${escapeHtml(log.unavailableReason ?? 'unknown reason')}). Source: ${escapeHtml(log.source)}.</p>`;
  if (log.entries.length === 0) return `<p>No ${escapeHtml(noun.messages)}. Source: ${escapeHtml(log.source)}.</p>`;
  const byLevel = LEVELS.map((l) => [l, log.entries.filter((e) => e.level === l).length] as const).filter(
    ([, n]) => n > 0,
  );
  const recipients = [...new Set(log.entries.flatMap((e) => e.recipients))];
  const head =
    `<p><b>${num(log.entries.length)}</b> ${escapeHtml(noun.messages)} ${escapeHtml(noun.verb)} ` +
    `(${byLevel.map(([l, n]) => `${num(n)} ${escapeHtml(l)}`).join(', ')})` +
    (recipients.length ? `, to ${recipients.map((r) => `<code>${escapeHtml(r)}</code>`).join(', ')}` : '') +
    `. Source: ${escapeHtml(log.source)}.</p>`;
  const rows = mergeEpisodes(groupByProblem(log.entries, findings, deletedSecrets));
  const cell = (at: number | undefined) => (at === undefined ? '<td class="muted">-</td>' : timeCell(at, now));
  const grouped = rows
    .map(
      (p) =>
        `<tr><td class="secret">${escapeHtml(p.secretName)}</td>` +
        `<td class="nowrap">${escapeHtml(p.checkId ?? '')}<br><span class="muted">${escapeHtml(p.level)}</span></td>${p.openedAt !== undefined ? cell(p.openedAt) : '<td class="muted">before this log</td>'}` +
        `<td class="num">${num(p.episodes)}</td><td class="num">${num(p.reminders)}</td>` +
        `${cell(p.escalatedAt)}${cell(p.resolvedAt)}<td>${statusBadge(p.status)}</td><td class="num">${num(p.messages)}</td></tr>`,
    )
    .join('');
  const table =
    `<table class="alerts"><thead><tr><th>secret</th><th>check, level</th><th>first opened</th><th>episodes</th><th>reminders</th>` +
    `<th>last escalated</th><th>last resolved</th><th>status now</th><th>messages</th></tr></thead><tbody>${grouped}</tbody></table>`;
  const chronological = [...log.entries]
    .sort((a, b) => a.at - b.at)
    .map(
      (e) =>
        `<tr><td class="nowrap">${escapeHtml(utc(e.at))}</td><td>${escapeHtml(e.level)}</td><td>${escapeHtml(e.eventName)}</td>` +
        `<td>${escapeHtml(subjectsText(e.subjects))}</td><td>${escapeHtml(e.recipients.join(', '))}</td></tr>`,
    )
    .join('');
  const all =
    `<details><summary>All ${num(log.entries.length)} ${escapeHtml(noun.messages)} in order</summary>` +
    `<table class="log"><thead><tr><th>time</th><th>level</th><th>alert</th><th>secrets</th><th>to</th></tr></thead><tbody>${chronological}</tbody></table></details>`;
  return head + table + all;
}

export function unreadableList(unreadable: Array<{ secretName: string; code: string }>): string {
  if (unreadable.length === 0) return '';
  const items = unreadable
    .map((u) => `<li><code>${escapeHtml(u.secretName)}</code>: ${escapeHtml(u.code)}</li>`)
    .join('');
  return `<p>Listed but could not be read (counted in no health state):</p><ul>${items}</ul>`;
}
