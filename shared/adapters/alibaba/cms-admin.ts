/**
 * The CloudMonitor calls of the bootstrap step: contacts, the contact group, custom-event alarm
 * rules (PutCustomEventRule upserts by ruleId), the heartbeat's threshold rule (PutResourceMetricRule,
 * also an upsert by ruleId), and the read calls that make bootstrap idempotent.
 * cms20190101 has no call that reads a custom-event rule back; the upsert makes that unnecessary.
 */
import type { CmsConnection } from './cms-client';
import type { MetricAlarmRule } from '../../ports/alerts';

export interface ContactInput {
  name: string;
  describe: string;
  lang?: 'zh-cn' | 'en';
  mail?: string;
  sms?: string;
  dingWebhook?: string;
}

export interface ContactGroupInput {
  name: string;
  contactNames: string[];
  describe?: string;
  enableSubscribed?: boolean;
}

export interface CustomEventRuleInput {
  ruleId: string;
  ruleName: string;
  eventName: string;
  groupId: string;
  contactGroups: string;
  level: 'CRITICAL' | 'WARN' | 'INFO';
  threshold?: number;
  /** Seconds, 60 or a multiple. */
  periodSeconds?: number;
  effectiveInterval?: string;
  emailSubject?: string;
  webhook?: string;
}

export interface ContactSummary {
  name: string;
  description?: string;
  channels: { mail?: string; sms?: string; dingWebhook?: string };
  contactGroups: string[];
}

export interface ContactGroupSummary {
  name: string;
  description?: string;
  contacts: string[];
}

export class CmsAdmin {
  constructor(private readonly cms: CmsConnection) {}

  async putContact(input: ContactInput): Promise<void> {
    const Channels = await this.cms.model('PutContactRequestChannels');
    await this.cms.send('PutContact', 'putContact', 'PutContactRequest', {
      contactName: input.name,
      describe: input.describe,
      lang: input.lang ?? 'en',
      channels: new Channels({ mail: input.mail, SMS: input.sms, dingWebHook: input.dingWebhook }),
    });
  }

  async putContactGroup(input: ContactGroupInput): Promise<void> {
    await this.cms.send('PutContactGroup', 'putContactGroup', 'PutContactGroupRequest', {
      contactGroupName: input.name,
      contactNames: input.contactNames,
      describe: input.describe ?? input.name,
      enableSubscribed: input.enableSubscribed ?? false,
    });
  }

  async putCustomEventRule(input: CustomEventRuleInput): Promise<void> {
    await this.cms.send('PutCustomEventRule', 'putCustomEventRule', 'PutCustomEventRuleRequest', {
      ruleId: input.ruleId,
      ruleName: input.ruleName,
      eventName: input.eventName,
      groupId: input.groupId,
      contactGroups: input.contactGroups,
      level: input.level,
      threshold: String(input.threshold ?? 1),
      period: String(input.periodSeconds ?? 60),
      effectiveInterval: input.effectiveInterval ?? '00:00-23:59',
      emailSubject: input.emailSubject,
      webhook: input.webhook,
    });
  }

  async putResourceMetricRule(input: MetricAlarmRule): Promise<void> {
    const Escalations = await this.cms.model('PutResourceMetricRuleRequestEscalations');
    const levelModel = { CRITICAL: 'Critical', WARN: 'Warn', INFO: 'Info' }[input.level];
    const Level = await this.cms.model(`PutResourceMetricRuleRequestEscalations${levelModel}`);
    const escalation = new Level({
      statistics: input.statistics,
      comparisonOperator: input.comparisonOperator,
      threshold: input.threshold,
      times: input.times,
    });
    await this.cms.send('PutResourceMetricRule', 'putResourceMetricRule', 'PutResourceMetricRuleRequest', {
      ruleId: input.ruleId,
      ruleName: input.ruleName,
      namespace: input.namespace,
      metricName: input.metricName,
      resources: input.resources,
      contactGroups: input.contactGroups,
      period: String(input.periodSeconds),
      noDataPolicy: input.noDataPolicy,
      effectiveInterval: input.effectiveInterval ?? '00:00-23:59',
      emailSubject: input.emailSubject,
      escalations: new Escalations({
        [input.level === 'CRITICAL' ? 'critical' : input.level.toLowerCase()]: escalation,
      }),
    });
  }

  async describeContactList(query: { contactName?: string } = {}): Promise<ContactSummary[]> {
    const out: ContactSummary[] = [];
    for (let page = 1; page <= 50; page++) {
      const body = await this.cms.send('DescribeContactList', 'describeContactList', 'DescribeContactListRequest', {
        contactName: query.contactName,
        pageNumber: page,
        pageSize: 100,
      });
      const rows: any[] = body.contacts?.contact ?? [];
      for (const c of rows) {
        out.push({
          name: String(c.name ?? ''),
          ...(c.desc ? { description: String(c.desc) } : {}),
          channels: compact({ mail: c.channels?.mail, sms: c.channels?.SMS, dingWebhook: c.channels?.dingWebHook }),
          contactGroups: (c.contactGroups?.contactGroup ?? []).map(String),
        });
      }
      if (rows.length < 100) break;
    }
    return out;
  }

  async describeContactGroupList(): Promise<ContactGroupSummary[]> {
    const out: ContactGroupSummary[] = [];
    for (let page = 1; page <= 50; page++) {
      const body = await this.cms.send(
        'DescribeContactGroupList',
        'describeContactGroupList',
        'DescribeContactGroupListRequest',
        {
          pageNumber: page,
          pageSize: 100,
        },
      );
      const detailed: any[] = body.contactGroupList?.contactGroup ?? [];
      const names: any[] = body.contactGroups?.contactGroup ?? [];
      const rows =
        detailed.length > 0
          ? detailed.map((g) => ({
              name: String(g.name ?? ''),
              ...(g.describe ? { description: String(g.describe) } : {}),
              contacts: (g.contacts?.contact ?? []).map(String),
            }))
          : names.map((n) => ({ name: String(n), contacts: [] }));
      out.push(...rows);
      if (rows.length < 100) break;
    }
    return out;
  }

  /** The metrics CloudMonitor holds under a name; `Result` is a JSON string in the SDK's model. */
  async describeCustomMetricList(query: {
    metricName?: string;
    groupId?: string;
    dimension?: string;
  }): Promise<unknown[]> {
    const body = await this.cms.send(
      'DescribeCustomMetricList',
      'describeCustomMetricList',
      'DescribeCustomMetricListRequest',
      {
        metricName: query.metricName,
        groupId: query.groupId,
        dimension: query.dimension,
        pageNumber: '1',
        pageSize: '100',
      },
    );
    let result: unknown = body.result;
    if (typeof result === 'string') {
      try {
        result = JSON.parse(result);
      } catch {
        return [];
      }
    }
    if (Array.isArray(result)) return result;
    const list = (result as { List?: unknown } | undefined)?.List;
    return Array.isArray(list) ? list : [];
  }
}

function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>)
    if (value[key] === undefined || value[key] === null) delete value[key];
  return value;
}
