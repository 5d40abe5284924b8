/**
 * Threshold alarm rules on metrics (PutResourceMetricRule;
 * https://www.alibabacloud.com/help/en/cms/developer-reference/api-cms-2019-01-01-putresourcemetricrule,
 * @alicloud/cms20190101 PutResourceMetricRuleRequest), for the custom metrics this emulator holds.
 * A rule is evaluated at the end of every Period (aligned on the clock): the metric's points in the
 * period whose dimensions match one of Resources are reduced by the escalation's Statistics and
 * compared with Threshold. A period without points is a breach when NoDataPolicy is
 * INSUFFICIENT_DATA, nothing (no change) for KEEP_LAST_STATE (the default), and normal for OK.
 * The rule notifies when Times periods in a row breach, again every SilenceTime (default 86400 s)
 * while it stays breached, and (SendOK) once when it recovers.
 * UNCONFIRMED: that Times counts no-data periods as it counts breaches; which Period values the
 * service accepts for custom metrics (the emulator takes any multiple of 60 s); the Resources form
 * for custom metrics ([{"groupId":"0","dimension":"k=v&k2=v2"}], alibaba-cloud-apis.md §5.2).
 */
import type { ApiRequest } from '../../types';
import type { Notification } from '../contracts';
import { channelsFor, withinEffectiveInterval } from './alarm-rules';
import { invalid, listOfStrings, mapOf, required } from './flat-params';
import type { CmsStore, MetricPoint } from './store';

const NO_DATA_POLICIES = new Set(['KEEP_LAST_STATE', 'INSUFFICIENT_DATA', 'OK']);
const STATISTICS = new Set(['SampleCount', 'Sum', 'Average', 'Maximum', 'Minimum', 'Value']);
const OPERATORS: Record<string, (value: number, threshold: number) => boolean> = {
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  GreaterThanThreshold: (v, t) => v > t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
  LessThanThreshold: (v, t) => v < t,
  NotEqualToThreshold: (v, t) => v !== t,
  EqualToThreshold: (v, t) => v === t,
};
const LEVELS = ['Critical', 'Warn', 'Info'] as const;
const DEFAULT_SILENCE_SECONDS = 86_400;

export interface MetricRule {
  RuleId: string;
  RuleName: string;
  Namespace: string;
  MetricName: string;
  /** Each entry a dimension set the points must contain (groupId compared with the point's group). */
  Resources: Array<Record<string, string>>;
  ContactGroups: string[];
  PeriodSeconds: number;
  Level: 'CRITICAL' | 'WARN' | 'INFO';
  Statistics: string;
  ComparisonOperator: string;
  Threshold: number;
  Times: number;
  NoDataPolicy: string;
  SilenceSeconds: number;
  SendOK: boolean;
  EffectiveInterval: string;
  EmailSubject?: string;
  Webhook?: string;
}

/** Where a rule stands between evaluations. */
export interface MetricRuleState {
  breaches: number;
  alarming: boolean;
  lastNotifiedAt?: number;
}

function parseResources(text: string): Array<Record<string, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('The parameter Resources is not valid JSON: use [{"instanceId":"..."}].');
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.some((r) => typeof r !== 'object' || r === null))
    throw invalid('The parameter Resources must be a non-empty JSON array of objects.');
  return parsed.map((r: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])),
  );
}

export function putResourceMetricRule(store: CmsStore, req: ApiRequest): MetricRule {
  const p = req.params;
  const ruleId = required(p, 'RuleId');
  const namespace = required(p, 'Namespace');
  if (!/^acs_[A-Za-z0-9_]+$/.test(namespace))
    throw invalid(`Namespace "${namespace}" is not a CloudMonitor namespace.`);
  const contactGroups = listOfStrings(p, 'ContactGroups');
  if (contactGroups.length === 0) throw invalid('The parameter "ContactGroups" is needed but not provided.');
  const noDataPolicy = p.NoDataPolicy ?? 'KEEP_LAST_STATE';
  if (!NO_DATA_POLICIES.has(noDataPolicy))
    throw invalid(`NoDataPolicy "${noDataPolicy}" must be KEEP_LAST_STATE, INSUFFICIENT_DATA or OK.`);
  const period = Number(p.Period ?? 60);
  if (!Number.isInteger(period) || period < 60 || period % 60 !== 0)
    throw invalid(`Period "${p.Period}" must be 60 or a multiple of 60 (seconds).`);
  // "At least one of Critical, Warn and Info, and its Statistics, ComparisonOperator, Threshold and
  // Times set together" (the SDK model's remarks). One level is all this emulator evaluates.
  const escalations = mapOf(p, 'Escalations');
  const set = LEVELS.filter((l) => Object.keys(escalations).some((k) => k.startsWith(`${l}.`)));
  if (set.length === 0)
    throw invalid(
      'Escalations: set at least one of Critical, Warn or Info (Statistics, ComparisonOperator, Threshold, Times).',
    );
  const level = set[0]!;
  const field = (name: string) => {
    const v = escalations[`${level}.${name}`];
    if (v === undefined || v === '')
      throw invalid(`Escalations.${level}.${name} is needed with the other fields of ${level}.`);
    return v;
  };
  const statistics = field('Statistics');
  if (!STATISTICS.has(statistics))
    throw invalid(`Escalations.${level}.Statistics "${statistics}" is not a statistic of this metric.`);
  const operator = field('ComparisonOperator');
  if (!OPERATORS[operator]) throw invalid(`Escalations.${level}.ComparisonOperator "${operator}" is not supported.`);
  const threshold = Number(field('Threshold'));
  if (!Number.isFinite(threshold)) throw invalid(`Escalations.${level}.Threshold must be a number.`);
  const times = Number(field('Times'));
  if (!Number.isInteger(times) || times < 1) throw invalid(`Escalations.${level}.Times must be a positive integer.`);
  const silence = Number(p.SilenceTime ?? DEFAULT_SILENCE_SECONDS);
  if (!Number.isInteger(silence) || silence < 0) throw invalid(`SilenceTime "${p.SilenceTime}" must be whole seconds.`);
  const rule: MetricRule = {
    RuleId: ruleId,
    RuleName: required(p, 'RuleName'),
    Namespace: namespace,
    MetricName: required(p, 'MetricName'),
    Resources: parseResources(required(p, 'Resources')),
    ContactGroups: contactGroups,
    PeriodSeconds: period,
    Level: level.toUpperCase() as MetricRule['Level'],
    Statistics: statistics,
    ComparisonOperator: operator,
    Threshold: threshold,
    Times: times,
    NoDataPolicy: noDataPolicy,
    SilenceSeconds: silence,
    SendOK: p.SendOK === 'true',
    EffectiveInterval: p.EffectiveInterval ?? '00:00-23:59',
    EmailSubject: p.EmailSubject,
    Webhook: p.Webhook,
  };
  store.metricRules.set(ruleId, rule);
  return rule;
}

function dimensionMatches(rule: MetricRule, point: MetricPoint): boolean {
  return rule.Resources.some((resource) =>
    Object.entries(resource).every(([key, want]) => {
      if (key === 'groupId') return point.groupId === want;
      if (key === 'dimension')
        return want.split('&').every((pair) => {
          const [k, v] = pair.split('=');
          return k !== undefined && point.dimensions[k] === v;
        });
      return point.dimensions[key] === want;
    }),
  );
}

function reduce(statistics: string, values: number[]): number {
  switch (statistics) {
    case 'SampleCount':
      return values.length;
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Maximum':
      return Math.max(...values);
    case 'Minimum':
      return Math.min(...values);
    default:
      return values[values.length - 1]!;
  }
}

/** Custom metrics are held in acs_customMetric_<uid>: other namespaces have no data here. */
function pointsIn(store: CmsStore, rule: MetricRule, start: number, end: number, accountId: string): MetricPoint[] {
  if (rule.Namespace !== `acs_customMetric_${accountId}`) return [];
  return store.metrics.filter(
    (m) => m.metricName === rule.MetricName && m.time >= start && m.time < end && dimensionMatches(rule, m),
  );
}

/** Evaluates one period [start, end); returns the notifications it sends and updates the state. */
export function evaluateMetricRule(
  store: CmsStore,
  rule: MetricRule,
  state: MetricRuleState,
  window: { start: number; end: number; accountId: string },
): Notification[] {
  const points = pointsIn(store, rule, window.start, window.end, window.accountId);
  let breached: boolean | undefined;
  let reason: string;
  if (points.length === 0) {
    reason = 'Insufficient data';
    breached = rule.NoDataPolicy === 'INSUFFICIENT_DATA' ? true : rule.NoDataPolicy === 'OK' ? false : undefined;
  } else {
    const value = reduce(
      rule.Statistics,
      points.map((p) => p.value),
    );
    breached = OPERATORS[rule.ComparisonOperator]!(value, rule.Threshold);
    reason = `${rule.Statistics} ${value} ${rule.ComparisonOperator} ${rule.Threshold}`;
  }
  if (breached === undefined) return []; // KEEP_LAST_STATE
  const notify = (level: string, status: string): Notification[] => {
    if (!withinEffectiveInterval(rule, window.end)) return [];
    state.lastNotifiedAt = window.end;
    const content = JSON.stringify({
      ruleName: rule.RuleName,
      metricName: rule.MetricName,
      status,
      reason,
      periods: state.breaches,
    });
    return rule.ContactGroups.map((group) => ({
      at: window.end,
      ruleName: rule.RuleName,
      eventName: rule.MetricName,
      level,
      contactGroup: group,
      channels: channelsFor(store, group, { Level: level, Webhook: rule.Webhook }),
      contents: [content],
    }));
  };
  if (!breached) {
    const wasAlarming = state.alarming;
    state.breaches = 0;
    state.alarming = false;
    return wasAlarming && rule.SendOK ? notify('OK', 'OK') : [];
  }
  state.breaches += 1;
  if (state.breaches < rule.Times) return [];
  const silenceOver =
    state.lastNotifiedAt === undefined || window.end - state.lastNotifiedAt >= rule.SilenceSeconds * 1000;
  if (state.alarming && !silenceOver) return [];
  state.alarming = true;
  return notify(rule.Level, points.length === 0 ? 'INSUFFICIENT_DATA' : 'ALARM');
}
