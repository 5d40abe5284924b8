/**
 * From what a run recorded (rotations, the orchestrator's retries, the alerts it sent, the
 * findings still open) to the report's data and the fleet summary. Pure: `kro demo` feeds it the
 * emulator's records, `kro audit` one read-only sweep.
 */
import { parseAlertContent } from './alert-content';
import { DEFAULT_CHECK_SEVERITY } from './render-html';
import type { FleetSummary, ReportData, ReportFinding, SecretHealth, SecretTimeline, TimelineMarker } from './types';
import type { CheckId } from '../domain/types';

export interface RunRecords {
  secrets: Array<{ secretName: string; secretType: string; subType?: string; env?: string }>;
  /** Rotation results as KMS reported them (managed rotations and RotateSecret calls). */
  rotations: Array<{ secretName: string; at: number; outcome: 'success' | 'failure'; errorCode?: string }>;
  /** RotateSecret calls made by the orchestrator itself: each one is a retry of a failed rotation. */
  retries: Array<{ secretName: string; at: number }>;
  /** CloudMonitor custom events the orchestrator sent, in order. */
  alerts: Array<{ name: string; at: number; content: string }>;
  /** Findings open at the end of the period. */
  findings: ReportFinding[];
  /** When the end-of-period findings were observed (drawn as finding markers); omit to not draw them. */
  findingsAt?: number;
}

/** Alerts that open a failure episode (as opposed to policy warnings, reminders and resolutions). */
const FAILURE_ALERTS = new Set(['KmsRotationFailed', 'KmsRotationFailureGroup', 'KmsCredentialVerificationFailed']);

/** Which transition an alert announces; any other name opens an episode (failure, policy, deletion). */
const TRANSITION_OF: Record<string, 'escalated' | 'reminders' | 'resolved'> = {
  KmsRotationEscalated: 'escalated',
  KmsAlertReminder: 'reminders',
  KmsRotationRecovered: 'resolved',
};

export function summarize(records: RunRecords): FleetSummary {
  const failureEpisodes = new Set<string>();
  const pairs = new Set<string>();
  let recovered = 0;
  let escalated = 0;
  const byTransition = { opened: 0, escalated: 0, reminders: 0, resolved: 0 };
  for (const alert of records.alerts) {
    const facts = parseAlertContent(alert.content);
    for (const subject of facts.subjects) {
      if (subject.checkId) pairs.add(`${subject.checkId}\u0000${subject.secretName}`);
      if (FAILURE_ALERTS.has(alert.name)) failureEpisodes.add(`${subject.secretName}\u0000${subject.episodeKey ?? `${subject.checkId}@${alert.at}`}`);
    }
    const mentions = Math.max(1, facts.secretNames.length);
    if (alert.name === 'KmsRotationRecovered') recovered += mentions;
    if (alert.name === 'KmsRotationEscalated') escalated += mentions;
    byTransition[TRANSITION_OF[alert.name] ?? 'opened'] += mentions;
  }
  for (const f of records.findings) pairs.add(`${f.checkId}\u0000${f.secretName}`);
  const findingsByCheck: Record<string, number> = {};
  for (const id of Object.keys(DEFAULT_CHECK_SEVERITY)) findingsByCheck[id] = 0;
  for (const pair of pairs) {
    const id = pair.slice(0, pair.indexOf('\u0000'));
    findingsByCheck[id] = (findingsByCheck[id] ?? 0) + 1;
  }
  return {
    secrets: records.secrets.length,
    rotations: records.rotations.filter((r) => r.outcome === 'success').length,
    failuresDetected: failureEpisodes.size,
    retries: records.retries.length,
    recovered,
    escalated,
    alerts: records.alerts.length,
    alertsByTransition: byTransition,
    findingsByCheck,
  };
}

function healthOf(findings: ReportFinding[]): SecretHealth {
  if (findings.some((f) => f.severity === 'critical')) return 'critical';
  return findings.length > 0 ? 'warning' : 'healthy';
}

function alertMarker(name: string, at: number, checkId?: string): TimelineMarker {
  const label = checkId ? `${name} (${checkId})` : name;
  if (name === 'KmsRotationEscalated') return { at, kind: 'escalated', label };
  if (name === 'KmsRotationRecovered') return { at, kind: 'recovered', label };
  return { at, kind: 'alert', label };
}

export function buildTimelines(records: RunRecords): SecretTimeline[] {
  const markers = new Map<string, TimelineMarker[]>(records.secrets.map((s) => [s.secretName, []]));
  const add = (name: string, m: TimelineMarker) => markers.get(name)?.push(m);
  for (const r of records.rotations) {
    add(r.secretName, r.outcome === 'success' ? { at: r.at, kind: 'rotation', label: 'RotateSecret:Success' } : { at: r.at, kind: 'failure', label: r.errorCode ?? 'RotateSecret:Failure' });
  }
  for (const r of records.retries) add(r.secretName, { at: r.at, kind: 'retry', label: 'RotateSecret' });
  for (const a of records.alerts) {
    const facts = parseAlertContent(a.content);
    for (const subject of facts.subjects) add(subject.secretName, alertMarker(a.name, a.at, subject.checkId));
  }
  const findingsOf = new Map<string, ReportFinding[]>();
  for (const f of records.findings) findingsOf.set(f.secretName, [...(findingsOf.get(f.secretName) ?? []), f]);
  if (records.findingsAt !== undefined) {
    for (const f of records.findings) add(f.secretName, { at: records.findingsAt, kind: 'finding', label: `${f.checkId}: ${f.summary}` });
  }
  return records.secrets.map((s) => ({
    ...s,
    health: healthOf(findingsOf.get(s.secretName) ?? []),
    markers: markers.get(s.secretName) ?? [],
  }));
}

export function buildReportData(
  records: RunRecords,
  meta: { title: string; source: string; generatedAt: number; period: { start: number; end: number }; notes?: string[] },
): ReportData {
  const secrets = buildTimelines(records);
  const health: Record<SecretHealth, number> = { healthy: 0, warning: 0, critical: 0 };
  for (const s of secrets) health[s.health] += 1;
  return { ...meta, summary: summarize(records), health, secrets, findings: records.findings };
}

export const severityOfCheck = (checkId: string): 'critical' | 'warning' => DEFAULT_CHECK_SEVERITY[checkId as CheckId] ?? 'warning';
