/** One palette for the report's charts, legend and table, so a colour means the same thing everywhere. */
import type { MarkerKind, SecretHealth } from './types';

export const HEALTH_COLOUR: Record<SecretHealth, string> = {
  healthy: '#2e9d5b',
  warning: '#e0a100',
  critical: '#d23c3c',
};

export const MARKER_STYLE: Record<MarkerKind, { colour: string; title: string }> = {
  rotation: { colour: '#2e9d5b', title: 'rotation succeeded' },
  failure: { colour: '#d23c3c', title: 'rotation failed' },
  retry: { colour: '#2f6fd6', title: 'retry (RotateSecret by the orchestrator)' },
  alert: { colour: '#e07b00', title: 'alert sent' },
  escalated: { colour: '#7a1f1f', title: 'escalated to a human' },
  recovered: { colour: '#17a398', title: 'recovered' },
  finding: { colour: '#8a8f98', title: 'finding' },
};

export const SEVERITY_COLOUR = { critical: HEALTH_COLOUR.critical, warning: HEALTH_COLOUR.warning } as const;
