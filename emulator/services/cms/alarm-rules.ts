/**
 * Custom-event alarm rules (alibaba-cloud-apis.md §5.4 A;
 * https://alibabacloud.com/help/en/cms/developer-reference/api-putcustomeventrule): a rule fires when
 * the count of its EventName within one period reaches Threshold, once per period, and notifies its
 * contact groups. Periods are aligned to multiples of Period on the clock and counted by arrival time.
 * EffectiveInterval ("00:00-23:59") is read in China time, like the console shows it.
 */
import type { ApiRequest } from '../../types';
import type { Notification } from '../contracts';
import { invalid, listOfStrings, required } from './flat-params';
import type { CmsStore, CustomEvent, CustomEventRule } from './store';

const LEVELS = new Set(['CRITICAL', 'WARN', 'INFO']);

export function putCustomEventRule(store: CmsStore, req: ApiRequest): CustomEventRule {
  const p = req.params;
  const ruleId = required(p, 'RuleId');
  const prev = store.rules.get(ruleId);
  const level = (p.Level ?? prev?.Level ?? 'CRITICAL').toUpperCase();
  if (!LEVELS.has(level)) throw invalid(`Level "${p.Level}" must be CRITICAL, WARN or INFO.`);
  const threshold = Number(p.Threshold ?? prev?.Threshold ?? 1);
  if (!Number.isInteger(threshold) || threshold < 1)
    throw invalid(`Threshold "${p.Threshold}" must be a positive integer.`);
  const period = Number(p.Period ?? prev?.PeriodSeconds ?? 300);
  if (!Number.isInteger(period) || period < 60 || period % 60 !== 0)
    throw invalid(`Period "${p.Period}" must be 60 or a multiple of 60 (seconds).`);
  const interval = p.EffectiveInterval ?? prev?.EffectiveInterval ?? '00:00-23:59';
  if (!parseInterval(interval)) throw invalid(`EffectiveInterval "${interval}" must look like 00:00-23:59.`);
  const groups = p.ContactGroups !== undefined ? listOfStrings(p, 'ContactGroups') : (prev?.ContactGroups ?? []);
  if (groups.length === 0) throw invalid('The parameter "ContactGroups" is needed but not provided.');
  const rule: CustomEventRule = {
    RuleId: ruleId,
    RuleName: p.RuleName ?? prev?.RuleName ?? required(p, 'RuleName'),
    EventName: p.EventName ?? prev?.EventName ?? required(p, 'EventName'),
    GroupId: p.GroupId ?? prev?.GroupId ?? '0',
    ContactGroups: groups,
    Level: level,
    Threshold: threshold,
    PeriodSeconds: period,
    EffectiveInterval: interval,
    EmailSubject: p.EmailSubject ?? prev?.EmailSubject,
    Webhook: p.Webhook ?? prev?.Webhook,
  };
  store.rules.set(ruleId, rule);
  return rule;
}

function parseInterval(text: string): { from: number; to: number } | undefined {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [h1, m1, h2, m2] = m.slice(1).map(Number) as [number, number, number, number];
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) return undefined;
  return { from: h1 * 60 + m1, to: h2 * 60 + m2 };
}

export function withinEffectiveInterval(rule: Pick<CustomEventRule, 'EffectiveInterval'>, at: number): boolean {
  const range = parseInterval(rule.EffectiveInterval);
  if (!range) return true;
  const minute = Math.floor(((at + 8 * 3600_000) % 86_400_000) / 60_000);
  return range.from <= range.to
    ? minute >= range.from && minute <= range.to
    : minute >= range.from || minute <= range.to;
}

export function ruleMatches(rule: CustomEventRule, event: CustomEvent): boolean {
  return rule.EventName === event.name && (rule.GroupId === '0' || rule.GroupId === event.groupId);
}

/** The start of the period window holding `at`. */
export function windowStart(at: number, periodSeconds: number): number {
  const ms = periodSeconds * 1000;
  return Math.floor(at / ms) * ms;
}

/** Where a notification goes for one contact group, by the rule's level (SMS only for CRITICAL/WARN). */
export function channelsFor(
  store: CmsStore,
  groupName: string,
  rule: Pick<CustomEventRule, 'Level' | 'Webhook'>,
): string[] {
  const group = store.groups.get(groupName);
  const out: string[] = [];
  for (const name of group?.Contacts ?? []) {
    const c = store.contacts.get(name)?.Channels ?? {};
    if (c.Mail) out.push(`mail:${c.Mail}`);
    if (c.DingWebHook) out.push(`dingtalk:${c.DingWebHook}`);
    if (c.SMS && rule.Level !== 'INFO') out.push(`sms:${c.SMS}`);
    if (c.AliIM) out.push(`aliim:${c.AliIM}`);
  }
  if (rule.Webhook) out.push(`webhook:${rule.Webhook}`);
  return out;
}

/** The notifications one rule sends for the window [start, end): none below threshold. */
export function evaluateWindow(store: CmsStore, rule: CustomEventRule, start: number, end: number): Notification[] {
  const hits = store.events.filter((e) => e.receivedAt >= start && e.receivedAt < end && ruleMatches(rule, e));
  if (hits.length < rule.Threshold || !withinEffectiveInterval(rule, end)) return [];
  return rule.ContactGroups.map((group) => ({
    at: end,
    ruleName: rule.RuleName,
    eventName: rule.EventName,
    level: rule.Level,
    contactGroup: group,
    channels: channelsFor(store, group, rule),
    contents: hits.map((e) => e.content),
  }));
}
