/**
 * The report's data model: plain data, built by `kro demo` (from the emulator's records) and by
 * `kro audit` (from one read-only sweep), rendered by render-html.ts. It holds names, dates,
 * codes and counts only: never a secret value.
 *
 * Two layouts share it. The demo tells a simulated period (history: a timeline, the alerts people
 * received) and ends with the state at its end; the audit is a point-in-time state of an account
 * (no history it cannot know). Current state and history are separate fields so no section can
 * mix them.
 */
import type { CheckId, Severity } from '../domain/types';
import type { ReadinessRow } from './readiness-rows';

/** `deleted`: the secret existed during the period and is gone now (drawn and counted as such). */
export type SecretHealth = 'healthy' | 'warning' | 'critical' | 'deleted';

/** What happened to one secret at one moment, drawn as a marker on its swimlane. */
export type MarkerKind =
  | 'rotation'
  | 'failure'
  | 'retry'
  | 'alert'
  | 'reminder'
  | 'escalated'
  | 'recovered'
  | 'deleted'
  /** Audit: the next scheduled rotation (NextRotationDate), ahead of now or already passed. */
  | 'due'
  | 'overdue';

export interface TimelineMarker {
  at: number; // epoch ms
  kind: MarkerKind;
  /** Shown as the marker's tooltip: an error code, an alert name, a check id. */
  label: string;
}

/** A problem's span on a lane: from its first alert to its recovery (or the end of the period). */
export interface TimelineBand {
  from: number;
  to: number;
  severity: Severity;
  label: string;
}

export interface SecretTimeline {
  secretName: string;
  secretType: string;
  subType?: string;
  env?: string;
  health: SecretHealth;
  markers: TimelineMarker[];
  bands?: TimelineBand[];
  /** When the secret stopped existing (its deletion became permanent). */
  deletedAt?: number;
}

/** The state of a finding's episode, as the orchestrator's state tag records it. */
export type FindingStatus = 'open' | 'retrying' | 'escalated' | 'resolved';

export interface ReportFinding {
  checkId: CheckId | string;
  severity: Severity;
  secretName: string;
  /** One sentence written when the finding was evaluated; the renderer prefers `evidence` (see finding-text.ts). */
  summary: string;
  /** Default `open`: detected, no orchestrator episode known. */
  status?: FindingStatus;
  /** Rotation attempts the orchestrator made for this episode. */
  attempts?: number;
  /** When the problem began (episode opened, rotation failed or fell due), for its age. */
  since?: number;
  env?: string;
  runbook?: string;
  /** Facts behind the finding (dates, codes); never a value. */
  evidence?: Record<string, string | number | boolean>;
  lastErrorCode?: string;
}

/** The period's headline numbers (demo history), in the order they are printed. */
export interface FleetSummary {
  secrets: number;
  rotations: number;
  failuresDetected: number;
  retries: number;
  recovered: number;
  escalated: number;
  /** CloudMonitor events sent (a grouped event is one). */
  alerts: number;
  /** The episode transitions those events announced: one per secret, a grouped event counting each secret it names. */
  alertsByTransition?: { opened: number; escalated: number; reminders: number; resolved: number };
  /** Secrets with a problem during the period (an alert or a finding at the end), per check: history. */
  findingsByCheck: Record<string, number>;
}

/** The state at one moment: what is wrong now, nothing about how it got there. */
export interface CurrentState {
  at: number;
  health: Record<SecretHealth, number>;
  /** Open findings per check (current only). */
  openByCheck: Record<string, number>;
  status: Record<FindingStatus, number>;
  /** Secrets listed but not readable (no permission, deleted meanwhile): named, never guessed healthy. */
  unreadable: Array<{ secretName: string; code: string }>;
}

/** One message people received (or, for audit, one event the orchestrator sent). */
export interface AlertLogEntry {
  at: number;
  eventName: string;
  level: string;
  /** Where it went, e.g. `mail:secops@example.com`, `dingtalk (oapi.dingtalk.com)`; empty when unknown. */
  recipients: string[];
  subjects: Array<{ secretName: string; checkId?: string }>;
}

export interface AlertLog {
  /** Where the log comes from, for the reader ("CloudMonitor notification log of the emulator"). */
  source: string;
  available: boolean;
  /** Why the log is missing (an error code, "not requested"). */
  unavailableReason?: string;
  entries: AlertLogEntry[];
}

interface ReportBase {
  title: string;
  /** Where the data came from, e.g. "local emulator, 60 simulated days" or "account 123, cn-hangzhou". */
  source: string;
  generatedAt: number; // epoch ms
  /** The span the timelines cover (epoch ms). */
  period: { start: number; end: number };
  current: CurrentState;
  secrets: SecretTimeline[];
  /** Findings open at `current.at`. */
  findings: ReportFinding[];
  alertLog: AlertLog;
  /** Free-form notes (which probes ran, how to enable the others). */
  notes?: string[];
  /** Readiness of each secret's next rotation and who its policy admits, when it was read. */
  readiness?: ReadinessRow[];
}

export interface DemoReportData extends ReportBase {
  layout: 'demo';
  /** What happened during the period. */
  summary: FleetSummary;
}

export interface AuditReportData extends ReportBase {
  layout: 'audit';
}

export type ReportData = DemoReportData | AuditReportData;
