/**
 * The alert log: what people received and when, grouped by problem (one secret, one check, from
 * the alert that opened it to the one that resolved it). The demo reads the emulator's
 * CloudMonitor notification log (one entry per message a contact group received); the audit reads
 * the orchestrator's custom events back with DescribeCustomEventAttribute (what was sent: who got
 * it depends on the account's alarm rules).
 */
import { ALERTS, type AlertName } from '../domain/alert-catalog';
import { parseAlertContent } from './alert-content';
import type { AlertLogEntry, FindingStatus, ReportFinding } from './types';

export type AlertStage = 'open' | 'remind' | 'escalate' | 'resolve';

/** Which transition an alert announces; every other name opens a problem (failure, policy, deletion). */
const STAGE_OF: Partial<Record<AlertName, AlertStage>> = {
  KmsRotationEscalated: 'escalate',
  KmsAlertReminder: 'remind',
  KmsRotationRecovered: 'resolve',
};

export const stageOfAlert = (eventName: string): AlertStage => STAGE_OF[eventName as AlertName] ?? 'open';

export const levelOfAlert = (eventName: string): string => ALERTS[eventName as AlertName]?.level ?? 'INFO';

/**
 * A recipient as the report may show it. A DingTalk or webhook URL carries its access token in
 * the query string: only the channel and the host are shown.
 */
export function recipientLabel(channel: string): string {
  const colon = channel.indexOf(':');
  const kind = colon > 0 ? channel.slice(0, colon) : channel;
  const target = colon > 0 ? channel.slice(colon + 1) : '';
  if (/^https?:\/\//i.test(target)) {
    try {
      return `${kind} (${new URL(target).host})`;
    } catch {
      return kind;
    }
  }
  return target ? `${kind}:${target}` : kind;
}

/** One notification of the emulator's CloudMonitor (a rule fired for a contact group in one period). */
export function entryFromNotification(n: {
  at: number;
  eventName: string;
  level: string;
  contactGroup: string;
  channels: string[];
  contents: string[];
}): AlertLogEntry {
  const subjects = n.contents.flatMap((c) =>
    parseAlertContent(c).subjects.map((s) => ({ secretName: s.secretName, checkId: s.checkId })),
  );
  const recipients = n.channels.length ? n.channels.map(recipientLabel) : [`group ${n.contactGroup} (no channel)`];
  return {
    at: n.at,
    eventName: n.eventName,
    level: n.level,
    recipients: [...new Set(recipients)],
    subjects: dedupe(subjects),
  };
}

/** One custom event read back from CloudMonitor (audit): recipients unknown. */
export function entryFromEvent(e: { name: string; content: string; time?: number }, fallbackAt: number): AlertLogEntry {
  const subjects = parseAlertContent(e.content).subjects.map((s) => ({ secretName: s.secretName, checkId: s.checkId }));
  return {
    at: e.time ?? fallbackAt,
    eventName: e.name,
    level: levelOfAlert(e.name),
    recipients: [],
    subjects: dedupe(subjects),
  };
}

function dedupe(subjects: AlertLogEntry['subjects']): AlertLogEntry['subjects'] {
  const seen = new Set<string>();
  return subjects.filter((s) => {
    const key = `${s.secretName}\u0000${s.checkId ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One problem as people saw it through their alerts. */
export interface AlertProblem {
  secretName: string;
  checkId?: string;
  level: string;
  firstAt: number;
  lastAt: number;
  openedAt?: number;
  reminders: number;
  escalatedAt?: number;
  resolvedAt?: number;
  /** Messages that named this problem. */
  messages: number;
  /** Now: resolved by an alert, gone with its secret, else the open finding's status, else what the alerts say. */
  status: FindingStatus | 'deleted';
}

const LEVEL_RANK: Record<string, number> = { CRITICAL: 0, WARN: 1, INFO: 2 };

export function groupByProblem(
  entries: AlertLogEntry[],
  findings: ReportFinding[],
  deletedSecrets: ReadonlySet<string> = new Set(),
): AlertProblem[] {
  const open = new Map<string, AlertProblem>();
  const all: AlertProblem[] = [];
  for (const entry of [...entries].sort((a, b) => a.at - b.at)) {
    const stage = stageOfAlert(entry.eventName);
    for (const s of entry.subjects) {
      const key = `${s.secretName}\u0000${s.checkId ?? ''}`;
      let p = open.get(key);
      if (!p || (p.resolvedAt !== undefined && stage === 'open')) {
        p = {
          secretName: s.secretName,
          checkId: s.checkId,
          level: entry.level,
          firstAt: entry.at,
          lastAt: entry.at,
          reminders: 0,
          messages: 0,
          status: 'open',
        };
        open.set(key, p);
        all.push(p);
      }
      p.messages += 1;
      p.lastAt = entry.at;
      if ((LEVEL_RANK[entry.level] ?? 3) < (LEVEL_RANK[p.level] ?? 3) && stage !== 'resolve') p.level = entry.level;
      if (stage === 'open') p.openedAt ??= entry.at;
      if (stage === 'remind') p.reminders += 1;
      if (stage === 'escalate') p.escalatedAt ??= entry.at;
      if (stage === 'resolve') p.resolvedAt = entry.at;
    }
  }
  const current = new Map(findings.map((f) => [`${f.secretName}\u0000${f.checkId}`, f]));
  for (const p of all) {
    const finding = current.get(`${p.secretName}\u0000${p.checkId ?? ''}`);
    if (p.resolvedAt !== undefined && (!finding || p !== open.get(`${p.secretName}\u0000${p.checkId ?? ''}`)))
      p.status = 'resolved';
    else if (finding) p.status = finding.status ?? 'open';
    else if (deletedSecrets.has(p.secretName)) p.status = 'deleted';
    else p.status = p.escalatedAt !== undefined ? 'escalated' : 'open';
  }
  return all;
}

/** One row of the alert log: every episode of one secret and check, so a flapping check is one line. */
export interface AlertProblemRow extends AlertProblem {
  /** Episodes merged into this row (opened, then resolved, then opened again...). */
  episodes: number;
}

/**
 * Merges the episodes of one secret and check: first opening, last escalation and resolution,
 * reminders and messages summed, the status of the latest. The order is that of first appearance.
 */
export function mergeEpisodes(problems: AlertProblem[]): AlertProblemRow[] {
  const rows = new Map<string, AlertProblemRow>();
  for (const p of [...problems].sort((a, b) => a.firstAt - b.firstAt)) {
    const key = `${p.secretName}\u0000${p.checkId ?? ''}`;
    const row = rows.get(key);
    if (!row) {
      rows.set(key, { ...p, episodes: 1 });
      continue;
    }
    row.episodes += 1;
    row.lastAt = p.lastAt;
    row.openedAt ??= p.openedAt;
    row.reminders += p.reminders;
    row.messages += p.messages;
    if (p.escalatedAt !== undefined) row.escalatedAt = p.escalatedAt;
    row.resolvedAt = p.resolvedAt;
    row.status = p.status;
    if ((LEVEL_RANK[p.level] ?? 3) < (LEVEL_RANK[row.level] ?? 3)) row.level = p.level;
  }
  return [...rows.values()];
}
