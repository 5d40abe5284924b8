/**
 * The report's data model: plain data, built by `kro demo` (from the emulator's records) and by
 * `kro audit` (from one read-only sweep), rendered by render-html.ts. It holds names, dates,
 * codes and counts only: never a secret value.
 */
import type { CheckId, Severity } from '../domain/types';

export type SecretHealth = 'healthy' | 'warning' | 'critical';

/** What happened to one secret at one moment, drawn as a marker on its swimlane. */
export type MarkerKind = 'rotation' | 'failure' | 'retry' | 'alert' | 'escalated' | 'recovered' | 'finding';

export interface TimelineMarker {
  at: number; // epoch ms
  kind: MarkerKind;
  /** Shown as the marker's tooltip: an error code, an alert name, a check id. */
  label: string;
}

export interface SecretTimeline {
  secretName: string;
  secretType: string;
  subType?: string;
  env?: string;
  health: SecretHealth;
  markers: TimelineMarker[];
}

export interface ReportFinding {
  checkId: CheckId | string;
  severity: Severity;
  secretName: string;
  summary: string;
}

/** The demo's (and audit's) headline numbers, in the order they are printed. */
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
  findingsByCheck: Record<string, number>;
}

export interface ReportData {
  title: string;
  /** Where the data came from, e.g. "local emulator, 60 simulated days" or "account 123, cn-hangzhou". */
  source: string;
  generatedAt: number; // epoch ms
  period: { start: number; end: number }; // epoch ms, the span the timelines cover
  summary: FleetSummary;
  health: Record<SecretHealth, number>;
  secrets: SecretTimeline[];
  findings: ReportFinding[];
  /** Free-form notes shown under the summary (which probes ran, how to enable the others). */
  notes?: string[];
}
