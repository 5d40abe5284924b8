/**
 * CloudMonitor 2019-01-01: custom events and metrics, contacts, custom-event alarm rules, threshold
 * rules on custom metrics (PutResourceMetricRule: metric-rules.ts), and the notification log those
 * rules write (what the ops team would have received). ApiError and
 * Throttle faults for product 'cms' are applied by the wire layer before a call gets here.
 */
import type { FaultRegistry } from '../../faults';
import type { ApiReply, ApiRequest, SimClock } from '../../types';
import { ApiError } from '../../types';
import type { CloudMonitorService } from '../contracts';
import { evaluateWindow, putCustomEventRule, ruleMatches, windowStart } from './alarm-rules';
import { describeContactGroupList, describeContactList, putContact, putContactGroup } from './contacts';
import { describeCustomEventAttribute, putCustomEvent } from './custom-events';
import { describeCustomMetricList, putCustomMetric } from './custom-metrics';
import { evaluateMetricRule, putResourceMetricRule, type MetricRule } from './metric-rules';
import { emptyStore, OK, type CustomEvent } from './store';

export { matchesKeywords } from './custom-events';
export { parseCmsTime, formatCmsTime } from './flat-params';
export type { CustomEventRule, CustomEvent, MetricPoint } from './store';

export interface CloudMonitorDeps {
  clock: SimClock;
  faults: FaultRegistry;
  /** Whose acs_customMetric_<uid> namespace the custom metrics are in (metric rules read it). */
  accountId?: string;
}

export function createCloudMonitor(deps: CloudMonitorDeps): CloudMonitorService {
  const store = emptyStore();
  /** Evaluations already scheduled, by rule and window start. */
  const scheduled = new Set<string>();

  function scheduleEvaluations(event: CustomEvent): void {
    for (const rule of store.rules.values()) {
      if (!ruleMatches(rule, event)) continue;
      const start = windowStart(event.receivedAt, rule.PeriodSeconds);
      const end = start + rule.PeriodSeconds * 1000;
      const key = `${rule.RuleId}@${start}/${rule.PeriodSeconds}`;
      if (scheduled.has(key)) continue;
      scheduled.add(key);
      deps.clock.schedule(
        end,
        () => {
          scheduled.delete(key);
          const current = store.rules.get(rule.RuleId);
          // A rule changed or deleted since is evaluated as it is now, over the window it had.
          if (current && current.PeriodSeconds === rule.PeriodSeconds)
            store.notifications.push(...evaluateWindow(store, current, start, end));
        },
        `cms:alarm:${rule.RuleName}`,
      );
    }
  }

  /**
   * A metric rule is evaluated at the end of each of its periods for as long as it exists; a rule
   * written again (same RuleId) keeps its one evaluation chain and its state unless its period changed.
   */
  function scheduleMetricRule(rule: MetricRule): void {
    const ms = rule.PeriodSeconds * 1000;
    const start = windowStart(deps.clock.now(), rule.PeriodSeconds);
    const evaluate = (windowStartAt: number) => {
      const current = store.metricRules.get(rule.RuleId);
      if (!current || current.PeriodSeconds !== rule.PeriodSeconds) return;
      const state = store.metricRuleStates.get(rule.RuleId) ?? { breaches: 0, alarming: false };
      store.metricRuleStates.set(rule.RuleId, state);
      store.notifications.push(
        ...evaluateMetricRule(store, current, state, {
          start: windowStartAt,
          end: windowStartAt + ms,
          accountId: deps.accountId ?? '',
        }),
      );
      deps.clock.schedule(
        windowStartAt + 2 * ms,
        () => evaluate(windowStartAt + ms),
        `cms:metric-rule:${rule.RuleName}`,
      );
    };
    // The period in progress when the rule was written is not judged: it may hold no data yet.
    deps.clock.schedule(start + 2 * ms, () => evaluate(start + ms), `cms:metric-rule:${rule.RuleName}`);
  }

  const actions: Record<string, (req: ApiRequest) => ApiReply> = {
    PutCustomEvent: (req) => {
      putCustomEvent(store, req).forEach(scheduleEvaluations);
      return { Code: OK.Code, Message: OK.Message };
    },
    DescribeCustomEventAttribute: (req) => describeCustomEventAttribute(store, req),
    PutCustomMetric: (req) => {
      putCustomMetric(store, req);
      return { Code: OK.Code, Message: OK.Message };
    },
    DescribeCustomMetricList: (req) => describeCustomMetricList(store, req),
    PutContact: (req) => putContact(store, req),
    PutContactGroup: (req) => putContactGroup(store, req),
    DescribeContactList: (req) => describeContactList(store, req),
    DescribeContactGroupList: (req) => describeContactGroupList(store, req),
    PutCustomEventRule: (req) => {
      putCustomEventRule(store, req);
      return { ...OK };
    },
    PutResourceMetricRule: (req) => {
      const previous = store.metricRules.get(req.params.RuleId ?? '');
      const rule = putResourceMetricRule(store, req);
      if (previous?.PeriodSeconds !== rule.PeriodSeconds) {
        store.metricRuleStates.delete(rule.RuleId);
        scheduleMetricRule(rule);
      }
      return { ...OK };
    },
  };

  return {
    product: 'cms',
    version: '2019-01-01',
    // The emulated trail covers KMS only (all the product looks up); recording every alert and
    // metric write would grow a weeks-long simulation's memory for nothing.
    writeActions: new Set<string>(),

    handle(req) {
      const action = actions[req.action];
      if (!action)
        throw new ApiError(
          404,
          'InvalidAction.NotFound',
          `Specified api "${req.action}" is not found, please check your url and method.`,
        );
      return { RequestId: req.requestId, ...action(req) };
    },

    customEvents: () =>
      store.events.map(({ id, name, groupId, time, content }) => ({ id, name, groupId, time, content })),
    metrics: () =>
      store.metrics.map(({ metricName, dimensions, value, time, groupId }) => ({
        metricName,
        dimensions,
        value,
        time,
        groupId,
      })),
    notifications: () => store.notifications,
    rules: () => [...store.rules.values()].map((r) => ({ ...r })),
    metricRules: () => [...store.metricRules.values()].map((r) => ({ ...r })),
    contacts: () => [...store.contacts.values()].map((c) => ({ ...c })),
    contactGroups: () => [...store.groups.values()].map((g) => ({ ...g })),
  };
}
