/** One palette for the report's charts, legend and table, so a colour means the same thing everywhere. */
import type { MarkerKind, SecretHealth } from './types';

export const HEALTH_COLOUR: Record<SecretHealth, string> = {
  healthy: '#2e9d5b',
  warning: '#e0a100',
  critical: '#d23c3c',
  deleted: '#8a8f98',
};

export const MARKER_STYLE: Record<MarkerKind, { colour: string; title: string }> = {
  rotation: { colour: '#2e9d5b', title: 'rotation succeeded' },
  failure: { colour: '#d23c3c', title: 'rotation failed' },
  retry: { colour: '#2f6fd6', title: 'retry (RotateSecret by the orchestrator)' },
  alert: { colour: '#e07b00', title: 'alert: problem opened' },
  reminder: { colour: '#b9a27a', title: 'reminder: still open' },
  escalated: { colour: '#7a1f1f', title: 'escalated to a human' },
  recovered: { colour: '#17a398', title: 'recovered' },
  deleted: { colour: '#5b6573', title: 'secret deleted' },
  due: { colour: '#2f6fd6', title: 'next rotation due' },
  overdue: { colour: '#d23c3c', title: 'rotation was due (not done)' },
};

/** The faint band behind a lane while a problem is open. */
export const BAND_COLOUR = { critical: '#f6d5d5', warning: '#f8ebc4' } as const;

export const SEVERITY_COLOUR = { critical: HEALTH_COLOUR.critical, warning: HEALTH_COLOUR.warning } as const;

export const STATUS_COLOUR = {
  open: '#d23c3c',
  retrying: '#2f6fd6',
  escalated: '#7a1f1f',
  resolved: '#17a398',
  deleted: '#8a8f98',
} as const;
