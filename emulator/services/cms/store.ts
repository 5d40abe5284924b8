/** CloudMonitor state of one emulated account; plain data so the control API can show it as is. */
import type { Notification } from '../contracts';
import type { MetricRule, MetricRuleState } from './metric-rules';

export interface CustomEvent {
  id: string;
  name: string;
  groupId: string;
  /** The event's own Time (epoch ms). */
  time: number;
  /** When it reached CloudMonitor on the emulator clock: what alarm periods count. */
  receivedAt: number;
  content: string;
}

export interface MetricPoint {
  metricName: string;
  dimensions: Record<string, string>;
  groupId: string;
  type: string;
  period?: number;
  time: number;
  values: Record<string, number>;
  value: number;
}

export interface Contact {
  Name: string;
  Desc: string;
  Lang: string;
  Channels: Record<string, string>; // Mail, SMS, DingWebHook, AliIM
  CreateTime: number;
  UpdateTime: number;
}

export interface ContactGroup {
  Name: string;
  Describe: string;
  Contacts: string[];
  EnableSubscribed: boolean;
  CreateTime: number;
  UpdateTime: number;
}

export interface CustomEventRule {
  RuleId: string;
  RuleName: string;
  EventName: string;
  GroupId: string;
  ContactGroups: string[];
  Level: string;
  Threshold: number;
  PeriodSeconds: number;
  EffectiveInterval: string;
  EmailSubject?: string;
  Webhook?: string;
}

export interface CmsStore {
  events: CustomEvent[];
  metrics: MetricPoint[];
  contacts: Map<string, Contact>;
  groups: Map<string, ContactGroup>;
  rules: Map<string, CustomEventRule>;
  /** Threshold rules on metrics (PutResourceMetricRule) and where each stands. */
  metricRules: Map<string, MetricRule>;
  metricRuleStates: Map<string, MetricRuleState>;
  notifications: Notification[];
  nextEventId: number;
}

export function emptyStore(): CmsStore {
  return {
    events: [],
    metrics: [],
    contacts: new Map(),
    groups: new Map(),
    rules: new Map(),
    metricRules: new Map(),
    metricRuleStates: new Map(),
    notifications: [],
    nextEventId: 1,
  };
}

/** CloudMonitor answers 200 with its own Code; "200" is success. */
export const OK = { Code: '200', Message: 'success', Success: true } as const;
