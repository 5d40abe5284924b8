/**
 * What `kro bootstrap` must change in CloudMonitor so that alerts reach people: one contact per
 * configured mail address and one for the DingTalk robot, a contact group holding them, one
 * custom-event alarm rule per alert name with its level (threshold 1 in a 60 s period: every alert
 * event notifies), and the heartbeat rule: a threshold rule on the full sweep's
 * kro_sweep_duration_ms that alarms on missing data (heartbeat-rule.ts). Pure: compares the desired state with what was read and returns only the
 * differences, so a second run plans nothing. Settings people added by hand (other contacts in
 * the group, an SMS channel on a contact) are kept, never fought over.
 */
import { ALERT_NAMES, ALERTS, type AlertLevel, type AlertName } from '../domain/alert-catalog';
import { heartbeatRule, type HeartbeatRuleSpec } from './heartbeat-rule';

export type { HeartbeatRuleSpec };

export interface ContactChannels {
  mail?: string;
  dingWebHook?: string;
  sms?: string;
  aliIM?: string;
}

export interface ContactSpec {
  name: string;
  description: string;
  channels: ContactChannels;
}

export interface ContactGroupSpec {
  name: string;
  description: string;
  contactNames: string[];
}

/** PutCustomEventRule's parameters (alibaba-cloud-apis.md §5.4 A); RuleId makes it an upsert. */
export interface AlarmRuleSpec {
  ruleId: string;
  ruleName: string;
  eventName: string;
  groupId: string;
  contactGroups: string;
  level: AlertLevel;
  threshold: string;
  period: string;
  effectiveInterval: string;
  emailSubject: string;
}

export interface AlertingState {
  contacts: ContactSpec[];
  contactGroups: ContactGroupSpec[];
  /** undefined when the rules cannot be read back (the CloudMonitor API has no read for them). */
  rules?: AlarmRuleSpec[];
}

export interface AlertingSettings {
  contactGroup: string;
  mail: readonly string[];
  dingWebhook?: string;
  groupId: string;
  /** For the heartbeat rule: its namespace is the account's custom-metric namespace. Unknown: no rule, a warning. */
  accountId?: string;
  /** For the heartbeat rule: the gap between two timer sweeps (config.sweep.intervalSeconds). */
  sweepIntervalSeconds?: number;
}

export interface DesiredAlerting {
  contacts: ContactSpec[];
  /** undefined when no contact is configured: an existing group is then used as it is. */
  contactGroup?: ContactGroupSpec;
  rules: AlarmRuleSpec[];
  heartbeat?: HeartbeatRuleSpec;
  warnings: string[];
}

export type StepKind = 'contact' | 'contact-group' | 'rule' | 'heartbeat-rule';

export type BootstrapStep =
  | { action: 'create' | 'update'; kind: 'contact'; name: string; changes: string[]; spec: ContactSpec }
  | { action: 'create' | 'update'; kind: 'contact-group'; name: string; changes: string[]; spec: ContactGroupSpec }
  /** 'ensure': written without knowing the current value (idempotent upsert by RuleId). */
  | { action: 'create' | 'update' | 'ensure'; kind: 'rule'; name: string; changes: string[]; spec: AlarmRuleSpec }
  /** PutResourceMetricRule upserts by RuleId too. */
  | { action: 'ensure'; kind: 'heartbeat-rule'; name: string; changes: string[]; spec: HeartbeatRuleSpec }
  | { action: 'unchanged'; kind: StepKind; name: string; changes: [] };

export interface BootstrapPlan {
  steps: BootstrapStep[];
  warnings: string[];
}

const PREFIX = 'kro';
const DESCRIPTION = 'KMS Rotation Orchestrator alerts';

export function ruleIdOf(alert: AlertName): string {
  return `${PREFIX}-${alert}`;
}

/** A stable contact name per address: readable, and unique through a short hash of the address. */
export function mailContactName(mail: string): string {
  const address = mail.trim().toLowerCase();
  const local = (address.split('@')[0] ?? address).replace(/[^a-z0-9_]/g, '_').slice(0, 24);
  return `${PREFIX}-${local}-${fnv1a(address).slice(0, 6)}`;
}

export const DINGTALK_CONTACT = `${PREFIX}-dingtalk`;

export function desiredAlerting(settings: AlertingSettings): DesiredAlerting {
  const warnings: string[] = [];
  const byName = new Map(
    settings.mail
      .map((m) => m.trim())
      .filter(Boolean)
      .map((m) => [mailContactName(m), m] as const),
  );
  const contacts: ContactSpec[] = [...byName].map(([name, mail]) => ({
    name,
    description: `${DESCRIPTION} (mail)`,
    channels: { mail },
  }));
  if (settings.dingWebhook)
    contacts.push({
      name: DINGTALK_CONTACT,
      description: `${DESCRIPTION} (DingTalk robot)`,
      channels: { dingWebHook: settings.dingWebhook },
    });
  if (contacts.length === 0) {
    warnings.push(
      `no contact configured (KRO_ALERT_MAIL, KRO_ALERT_DINGTALK_WEBHOOK): the rules notify contact group "${settings.contactGroup}" as it is; create it in the CloudMonitor console if it does not exist`,
    );
  }
  const contactGroup = contacts.length
    ? { name: settings.contactGroup, description: DESCRIPTION, contactNames: contacts.map((c) => c.name) }
    : undefined;
  const rules = ALERT_NAMES.map((alert) => ({
    ruleId: ruleIdOf(alert),
    ruleName: ruleIdOf(alert),
    eventName: alert,
    groupId: settings.groupId,
    contactGroups: settings.contactGroup,
    level: ALERTS[alert].level,
    threshold: '1',
    period: '60',
    effectiveInterval: '00:00-23:59',
    emailSubject: `[kro ${ALERTS[alert].level}] ${ALERTS[alert].title}`,
  }));
  let heartbeat: HeartbeatRuleSpec | undefined;
  if (settings.accountId && settings.sweepIntervalSeconds)
    heartbeat = heartbeatRule({
      accountId: settings.accountId,
      groupId: settings.groupId,
      contactGroup: settings.contactGroup,
      sweepIntervalSeconds: settings.sweepIntervalSeconds,
    });
  else
    warnings.push('the account id is unknown: no heartbeat alarm (nothing pages when the orchestrator stops running)');
  return { contacts, contactGroup, rules, heartbeat, warnings };
}

export function planBootstrap(desired: DesiredAlerting, current: AlertingState): BootstrapPlan {
  const steps: BootstrapStep[] = [];
  for (const contact of desired.contacts)
    steps.push(
      planContact(
        contact,
        current.contacts.find((c) => c.name === contact.name),
      ),
    );
  if (desired.contactGroup) {
    steps.push(
      planGroup(
        desired.contactGroup,
        current.contactGroups.find((g) => g.name === desired.contactGroup?.name),
      ),
    );
  }
  for (const rule of desired.rules) {
    if (!current.rules) steps.push({ action: 'ensure', kind: 'rule', name: rule.ruleName, changes: [], spec: rule });
    else
      steps.push(
        planRule(
          rule,
          current.rules.find((r) => r.ruleId === rule.ruleId),
        ),
      );
  }
  if (desired.heartbeat)
    steps.push({
      action: 'ensure',
      kind: 'heartbeat-rule',
      name: desired.heartbeat.ruleName,
      changes: [desired.heartbeat.description],
      spec: desired.heartbeat,
    });
  const warnings = [...desired.warnings];
  const newMail = steps.filter((s) => s.kind === 'contact' && s.action !== 'unchanged' && s.changes.includes('mail'));
  if (newMail.length)
    warnings.push(
      'CloudMonitor sends an activation link to each new mail address; nothing is delivered there before it is activated',
    );
  const groupExists =
    desired.contactGroup !== undefined || current.contactGroups.some((g) => g.name === desired.rules[0]?.contactGroups);
  if (!groupExists && desired.rules.length)
    warnings.push(`contact group "${desired.rules[0]?.contactGroups}" does not exist: alarms will notify nobody`);
  return { steps, warnings };
}

function planContact(want: ContactSpec, have: ContactSpec | undefined): BootstrapStep {
  if (!have)
    return { action: 'create', kind: 'contact', name: want.name, changes: channelList(want.channels), spec: want };
  const changes: string[] = [];
  if ((want.channels.mail ?? '') !== (have.channels.mail ?? '') && want.channels.mail) changes.push('mail');
  if ((want.channels.dingWebHook ?? '') !== (have.channels.dingWebHook ?? '') && want.channels.dingWebHook)
    changes.push('DingTalk webhook');
  if (!changes.length) return unchanged('contact', want.name);
  // PutContact replaces the whole contact: carry over the channels someone added by hand.
  const spec = {
    ...want,
    description: have.description || want.description,
    channels: { ...have.channels, ...want.channels },
  };
  return { action: 'update', kind: 'contact', name: want.name, changes, spec };
}

function planGroup(want: ContactGroupSpec, have: ContactGroupSpec | undefined): BootstrapStep {
  if (!have)
    return {
      action: 'create',
      kind: 'contact-group',
      name: want.name,
      changes: want.contactNames.map((n) => `+${n}`),
      spec: want,
    };
  const missing = want.contactNames.filter((n) => !have.contactNames.includes(n));
  if (!missing.length) return unchanged('contact-group', want.name);
  const spec = {
    ...want,
    description: have.description || want.description,
    contactNames: [...have.contactNames, ...missing],
  };
  return { action: 'update', kind: 'contact-group', name: want.name, changes: missing.map((n) => `+${n}`), spec };
}

const RULE_FIELDS = [
  'ruleName',
  'eventName',
  'groupId',
  'contactGroups',
  'level',
  'threshold',
  'period',
  'effectiveInterval',
  'emailSubject',
] as const;

function planRule(want: AlarmRuleSpec, have: AlarmRuleSpec | undefined): BootstrapStep {
  if (!have)
    return {
      action: 'create',
      kind: 'rule',
      name: want.ruleName,
      changes: [`${want.eventName} ${want.level}`],
      spec: want,
    };
  const changes = RULE_FIELDS.filter((f) => String(want[f]) !== String(have[f] ?? '')).map(
    (f) => `${f}: ${String(have[f] ?? '')} -> ${want[f]}`,
  );
  if (!changes.length) return unchanged('rule', want.ruleName);
  return { action: 'update', kind: 'rule', name: want.ruleName, changes, spec: want };
}

function unchanged(kind: StepKind, name: string): BootstrapStep {
  return { action: 'unchanged', kind, name, changes: [] };
}

function channelList(channels: ContactChannels): string[] {
  return [channels.mail && 'mail', channels.dingWebHook && 'DingTalk webhook'].filter((c): c is string => Boolean(c));
}

/** 32-bit FNV-1a as 8 hex digits: enough to tell addresses apart in a name. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
