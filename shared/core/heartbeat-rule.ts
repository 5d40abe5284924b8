/**
 * The heartbeat alarm: nothing else pages when the orchestrator stops running (the timer trigger
 * deleted, the function failing before it sweeps, the account in debt). Every full sweep publishes
 * kro_sweep_duration_ms with dimension mode=full (core/sweep.ts finish), so that metric is the
 * heartbeat. CloudMonitor custom-event rules cannot alarm on an event that does not arrive; a
 * threshold rule on a metric can: PutResourceMetricRule with NoDataPolicy INSUFFICIENT_DATA raises
 * an "Insufficient data" alert when the metric has no data (cms20190101 PutResourceMetricRuleRequest;
 * https://www.alibabacloud.com/help/en/cms/developer-reference/api-cms-2019-01-01-putresourcemetricrule).
 * The rule counts samples per sweep interval and needs HEARTBEAT_MISSED_SWEEPS periods in a row,
 * so one late or failed sweep does not page. That Times applies to no-data periods the way it
 * applies to breaches is UNCONFIRMED; the emulator models it so (emulator/CONFORMANCE.md).
 */
import type { MetricAlarmRule } from '../ports/alerts';

/** Sweeps missed in a row before the alarm fires (issue 14: three sweep intervals). */
export const HEARTBEAT_MISSED_SWEEPS = 3;
export const HEARTBEAT_METRIC = 'kro_sweep_duration_ms';
export const HEARTBEAT_DIMENSION = 'mode=full';
export const HEARTBEAT_RULE_ID = 'kro-heartbeat';

/** The heartbeat alarm, as `kro setup` puts it (cli/alerting-admin.ts), and what its output says. */
export interface HeartbeatRuleSpec extends MetricAlarmRule {
  /** For the bootstrap's output. */
  description: string;
}

export function heartbeatRule(input: {
  accountId: string;
  groupId: string;
  contactGroup: string;
  sweepIntervalSeconds: number;
}): HeartbeatRuleSpec {
  const period = Math.max(60, Math.ceil(input.sweepIntervalSeconds / 60) * 60);
  const minutes = (period * HEARTBEAT_MISSED_SWEEPS) / 60;
  return {
    ruleId: HEARTBEAT_RULE_ID,
    ruleName: HEARTBEAT_RULE_ID,
    namespace: `acs_customMetric_${input.accountId}`,
    metricName: HEARTBEAT_METRIC,
    resources: JSON.stringify([{ groupId: input.groupId, dimension: HEARTBEAT_DIMENSION }]),
    contactGroups: input.contactGroup,
    periodSeconds: period,
    level: 'CRITICAL',
    statistics: 'SampleCount',
    comparisonOperator: 'LessThanThreshold',
    threshold: '1',
    times: HEARTBEAT_MISSED_SWEEPS,
    noDataPolicy: 'INSUFFICIENT_DATA',
    effectiveInterval: '00:00-23:59',
    emailSubject: '[kro CRITICAL] The orchestrator has not swept for ' + `${minutes} minutes`,
    description: `no full sweep for ${minutes} min (${HEARTBEAT_MISSED_SWEEPS} x ${period} s)`,
  };
}
