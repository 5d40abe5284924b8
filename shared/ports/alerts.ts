/** CloudMonitor, as the orchestrator needs it: custom events (alerts) and custom metrics. */
export interface CustomEvent {
  eventName: string;
  /** JSON text; must never hold a secret value. */
  content: string;
  groupId?: string;
  time?: number; // epoch ms
}

export type { CustomMetric } from '../domain/metrics';
import type { CustomMetric } from '../domain/metrics';

export interface FoundCustomEvent {
  id?: string;
  name: string;
  content: string;
  time?: number;
}

export interface MonitorPort {
  /** Sends in batches of at most 50; throws CloudError when any batch is not accepted. */
  putCustomEvents(events: CustomEvent[]): Promise<void>;
  putCustomMetrics(metrics: CustomMetric[]): Promise<void>;
  /** Optional, fire-and-forget: start loading the client now so the first real call does not wait (errors are left to that call). */
  preload?(): void;
  /** Custom events whose content contains `keyword`, between the times (epoch ms). */
  findCustomEvents(query: {
    name?: string;
    keyword: string;
    startTime: number;
    endTime: number;
  }): Promise<FoundCustomEvent[]>;
}

/**
 * A threshold alarm on a custom metric: PutResourceMetricRule with one escalation level (all four
 * of its fields are required together). `kro setup` creates the heartbeat this way (core/heartbeat-rule.ts).
 */
export interface MetricAlarmRule {
  ruleId: string;
  ruleName: string;
  /** Custom metrics live in acs_customMetric_<main account uid> (alibaba-cloud-apis.md §5.2). */
  namespace: string;
  metricName: string;
  /** JSON array of dimension sets; for custom metrics {groupId, dimension "k=v"} (§5.2, partly UNCONFIRMED). */
  resources: string;
  contactGroups: string;
  periodSeconds: number;
  level: 'CRITICAL' | 'WARN' | 'INFO';
  statistics: string;
  comparisonOperator: string;
  threshold: string;
  times: number;
  noDataPolicy?: 'KEEP_LAST_STATE' | 'INSUFFICIENT_DATA' | 'OK';
  effectiveInterval?: string;
  emailSubject?: string;
}
