/**
 * From what a run recorded (rotations, the orchestrator's retries, the alerts it sent, the
 * findings still open) to the report's data. Pure: `kro demo` feeds it the emulator's records,
 * `kro audit` one read-only sweep.
 */
import { CHECK_IDS } from '../domain/types';
import { parseAlertContent } from './alert-content';
import { entryFromEvent, groupByProblem, stageOfAlert } from './alert-log';
import type {
  AlertLog,
  AuditReportData,
  CurrentState,
  DemoReportData,
  FindingStatus,
  FleetSummary,
  ReportFinding,
  SecretHealth,
  SecretTimeline,
  TimelineMarker,
} from './types';

export interface RunSecret {
  secretName: string;
  secretType: string;
  subType?: string;
  env?: string;
  /** When its deletion became permanent, if it did during the period. */
  deletedAt?: number;
}

export interface RunRecords {
  secrets: RunSecret[];
  /** Rotation results as KMS reported them (managed rotations and RotateSecret calls). */
  rotations: Array<{ secretName: string; at: number; outcome: 'success' | 'failure'; errorCode?: string }>;
  /** RotateSecret calls made by the orchestrator itself: each one is a retry of a failed rotation. */
  retries: Array<{ secretName: string; at: number }>;
  /** CloudMonitor custom events the orchestrator sent, in order. */
  alerts: Array<{ name: string; at: number; content: string }>;
  /** Findings open at the end of the period. */
  findings: ReportFinding[];
  /** Listed but not readable at the end of the period. */
  unreadable?: CurrentState['unreadable'];
}

export interface ReportMeta {
  title: string;
  source: string;
  generatedAt: number;
  period: { start: number; end: number };
  notes?: string[];
  alertLog?: AlertLog;
  readiness?: DemoReportData['readiness'];
}

const FAILURE_ALERTS = new Set(['KmsRotationFailed', 'KmsRotationFailureGroup', 'KmsCredentialVerificationFailed']);
const NO_ALERT_LOG: AlertLog = {
  source: 'none',
  available: false,
  unavailableReason: 'no alert log was recorded',
  entries: [],
};

export function summarize(records: RunRecords): FleetSummary {
  const failureEpisodes = new Set<string>();
  const pairs = new Set<string>();
  let recovered = 0;
  let escalated = 0;
  const byTransition = { opened: 0, escalated: 0, reminders: 0, resolved: 0 };
  const transitionKey = { open: 'opened', escalate: 'escalated', remind: 'reminders', resolve: 'resolved' } as const;
  for (const alert of records.alerts) {
    const facts = parseAlertContent(alert.content);
    for (const subject of facts.subjects) {
      if (subject.checkId) pairs.add(`${subject.checkId}\u0000${subject.secretName}`);
      if (FAILURE_ALERTS.has(alert.name))
        failureEpisodes.add(`${subject.secretName}\u0000${subject.episodeKey ?? `${subject.checkId}@${alert.at}`}`);
    }
    const mentions = Math.max(1, facts.secretNames.length);
    const stage = stageOfAlert(alert.name);
    if (stage === 'resolve') recovered += mentions;
    if (stage === 'escalate') escalated += mentions;
    byTransition[transitionKey[stage]] += mentions;
  }
  for (const f of records.findings) pairs.add(`${f.checkId}\u0000${f.secretName}`);
  return {
    secrets: records.secrets.length,
    rotations: records.rotations.filter((r) => r.outcome === 'success').length,
    failuresDetected: failureEpisodes.size,
    retries: records.retries.length,
    recovered,
    escalated,
    alerts: records.alerts.length,
    alertsByTransition: byTransition,
    findingsByCheck: countByCheck([...pairs].map((p) => p.slice(0, p.indexOf('\u0000')))),
  };
}

/** Every check listed, so a quiet check shows as zero, not as absent. */
function countByCheck(checkIds: string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(CHECK_IDS.map((id) => [id, 0]));
  for (const id of checkIds) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

function healthOf(findings: ReportFinding[], deleted: boolean): SecretHealth {
  if (deleted) return 'deleted';
  if (findings.some((f) => f.severity === 'critical')) return 'critical';
  return findings.length > 0 ? 'warning' : 'healthy';
}

const MARKER_OF_STAGE = { open: 'alert', remind: 'reminder', escalate: 'escalated', resolve: 'recovered' } as const;

export function buildTimelines(records: RunRecords, period: { start: number; end: number }): SecretTimeline[] {
  const markers = new Map<string, TimelineMarker[]>(records.secrets.map((s) => [s.secretName, []]));
  const add = (name: string, m: TimelineMarker) => markers.get(name)?.push(m);
  for (const r of records.rotations) {
    add(
      r.secretName,
      r.outcome === 'success'
        ? { at: r.at, kind: 'rotation', label: 'RotateSecret:Success' }
        : { at: r.at, kind: 'failure', label: r.errorCode ?? 'RotateSecret:Failure' },
    );
  }
  for (const r of records.retries)
    add(r.secretName, { at: r.at, kind: 'retry', label: 'RotateSecret by the orchestrator' });
  for (const a of records.alerts) {
    const kind = MARKER_OF_STAGE[stageOfAlert(a.name)];
    for (const subject of parseAlertContent(a.content).subjects)
      add(subject.secretName, { at: a.at, kind, label: subject.checkId ? `${a.name} (${subject.checkId})` : a.name });
  }
  const problems = groupByProblem(
    records.alerts.map((a) => entryFromEvent({ name: a.name, content: a.content, time: a.at }, a.at)),
    records.findings,
  );
  const findingsOf = new Map<string, ReportFinding[]>();
  for (const f of records.findings) findingsOf.set(f.secretName, [...(findingsOf.get(f.secretName) ?? []), f]);
  return records.secrets.map((s) => {
    const deleted = s.deletedAt !== undefined && s.deletedAt <= period.end;
    const end = deleted ? s.deletedAt! : period.end;
    const lane: SecretTimeline = {
      ...s,
      health: healthOf(findingsOf.get(s.secretName) ?? [], deleted),
      markers: markers.get(s.secretName) ?? [],
      bands: problems
        .filter((p) => p.secretName === s.secretName)
        .map((p) => ({
          from: p.openedAt ?? p.firstAt,
          to: Math.min(p.resolvedAt ?? end, end),
          severity: p.level === 'CRITICAL' ? ('critical' as const) : ('warning' as const),
          label: `${p.checkId ?? 'problem'}: ${p.status}`,
        })),
    };
    if (deleted) lane.markers.push({ at: s.deletedAt!, kind: 'deleted', label: 'deletion became permanent' });
    return lane;
  });
}

export function currentState(input: {
  at: number;
  secrets: SecretTimeline[];
  findings: ReportFinding[];
  unreadable?: CurrentState['unreadable'];
}): CurrentState {
  const health: Record<SecretHealth, number> = { healthy: 0, warning: 0, critical: 0, deleted: 0 };
  for (const s of input.secrets) health[s.health] += 1;
  const status: Record<FindingStatus, number> = { open: 0, retrying: 0, escalated: 0, resolved: 0 };
  for (const f of input.findings) status[f.status ?? 'open'] += 1;
  return {
    at: input.at,
    health,
    openByCheck: countByCheck(input.findings.map((f) => String(f.checkId))),
    status,
    unreadable: input.unreadable ?? [],
  };
}

/** The demo layout: a period (history) that ends in a current state. */
export function buildReportData(records: RunRecords, meta: ReportMeta): DemoReportData {
  const secrets = buildTimelines(records, meta.period);
  return {
    layout: 'demo',
    ...meta,
    alertLog: meta.alertLog ?? NO_ALERT_LOG,
    summary: summarize(records),
    current: currentState({ at: meta.period.end, secrets, findings: records.findings, unreadable: records.unreadable }),
    secrets,
    findings: records.findings,
  };
}

/** What the audit knows of one secret at one moment. */
export interface AuditSecret extends RunSecret {
  lastRotationDate?: number;
  nextRotationDate?: number;
  plannedDeleteTime?: number;
}

/**
 * The audit layout: one moment. Its lanes show the rotation schedule around it (last rotation,
 * next one due, a planned deletion), nothing it cannot know about the past.
 */
export function buildAuditReportData(
  input: {
    observedAt: number;
    secrets: AuditSecret[];
    findings: ReportFinding[];
    unreadable: CurrentState['unreadable'];
  },
  meta: ReportMeta,
): AuditReportData {
  const findingsOf = new Map<string, ReportFinding[]>();
  for (const f of input.findings) findingsOf.set(f.secretName, [...(findingsOf.get(f.secretName) ?? []), f]);
  const secrets: SecretTimeline[] = input.secrets.map((s) => {
    const markers: TimelineMarker[] = [];
    if (s.lastRotationDate !== undefined)
      markers.push({ at: s.lastRotationDate, kind: 'rotation', label: 'last rotation (LastRotationDate)' });
    if (s.nextRotationDate !== undefined) {
      const passed = s.nextRotationDate < input.observedAt;
      markers.push({
        at: s.nextRotationDate,
        kind: passed ? 'overdue' : 'due',
        label: `${passed ? 'was due' : 'next rotation due'} (NextRotationDate)`,
      });
    }
    if (s.plannedDeleteTime !== undefined)
      markers.push({
        at: s.plannedDeleteTime,
        kind: 'deleted',
        label: 'deletion becomes permanent (PlannedDeleteTime)',
      });
    const { lastRotationDate: _l, nextRotationDate: _n, plannedDeleteTime: _p, ...rest } = s;
    return { ...rest, health: healthOf(findingsOf.get(s.secretName) ?? [], false), markers };
  });
  return {
    layout: 'audit',
    ...meta,
    alertLog: meta.alertLog ?? NO_ALERT_LOG,
    current: currentState({ at: input.observedAt, secrets, findings: input.findings, unreadable: input.unreadable }),
    secrets,
    findings: input.findings,
  };
}
