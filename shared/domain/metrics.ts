/**
 * The custom metrics the orchestrator publishes (CloudMonitor PutCustomMetric), one list so the
 * README documents each name with its dimensions. Dimension values never carry secret values.
 */

/** One CloudMonitor custom metric data point (PutCustomMetric). */
export interface CustomMetric {
  metricName: string;
  dimensions: Record<string, string>;
  value: number;
  time: number; // epoch ms
  groupId?: string;
  type?: 0 | 1;
  period?: 60 | 300;
}

export const METRICS = {
  kro_secrets: {
    dimensions: ['state'],
    unit: 'count',
    meaning: 'Secrets by health state (healthy, warning, critical) seen by a full sweep.',
  },
  kro_rotation_succeeded: {
    dimensions: ['function'],
    unit: 'count',
    meaning: 'Rotations verified successful (remediation attempts and rotation success events).',
  },
  kro_rotation_failed: {
    dimensions: ['function'],
    unit: 'count',
    meaning: 'Rotation failures seen (failure events and failed attempts).',
  },
  kro_retries: {
    dimensions: ['function'],
    unit: 'count',
    meaning: 'Remediation attempts started (RotateSecret calls by the orchestrator).',
  },
  kro_escalations: { dimensions: ['function'], unit: 'count', meaning: 'Episodes escalated to a human.' },
  kro_episodes_open: {
    dimensions: ['severity'],
    unit: 'count',
    meaning: 'Open episodes after a full sweep, by severity.',
  },
  kro_oldest_overdue_seconds: {
    dimensions: [],
    unit: 'seconds',
    meaning: 'Age of the most overdue rotation (0 when none).',
  },
  kro_sweep_described: {
    dimensions: [],
    unit: 'count',
    meaning: 'Secrets a full sweep described; the others were vouched for by their state tag.',
  },
  kro_sweep_duration_ms: {
    dimensions: ['mode'],
    unit: 'milliseconds',
    meaning: 'Wall time of one sweep or flush invocation.',
  },
  kro_sweep_incomplete: {
    dimensions: ['reason'],
    unit: 'count',
    meaning: 'Sweeps that stopped early (time budget, throttling, errors) and left a cursor.',
  },
  kro_throttled_calls: {
    dimensions: ['function'],
    unit: 'count',
    meaning: 'Cloud API calls answered with a throttling code during the invocation.',
  },
  kro_alerts_sent: { dimensions: ['function'], unit: 'count', meaning: 'CloudMonitor custom events delivered.' },
  kro_state_unwritable: {
    dimensions: ['function'],
    unit: 'count',
    meaning:
      'Secrets with no room for the state tag (at the tag limit, or their tags refused for good): alerted without stored state, never retried.',
  },
  kro_state_write_errors: {
    dimensions: ['function'],
    unit: 'count',
    meaning: 'State tags a sweep could not write (that secret is decided and written again next sweep).',
  },
} as const;

export type MetricName = keyof typeof METRICS;

export function metric(
  metricName: MetricName,
  value: number,
  time: number,
  dimensions: Record<string, string> = {},
  groupId?: string,
): CustomMetric {
  return { metricName, value, time, dimensions, groupId, type: 0 };
}
