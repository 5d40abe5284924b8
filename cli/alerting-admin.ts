/**
 * The CloudMonitor side of `kro bootstrap`: reads contacts and contact groups into the plan's
 * plain shapes and applies one planned step. Custom-event rules cannot be read back
 * (cms20190101 has no such call), so `rules` stays undefined and the plan upserts them.
 */
import { createAlibabaClients, type CmsAdmin } from '../shared/adapters/alibaba';
import { loadConfig } from '../shared/config';
import type { AlertingState, BootstrapStep } from '../shared/core/bootstrap-plan';
import type { FcCredentials } from '../shared/ports/runtime';

export interface AlertingAdmin {
  readState(): Promise<AlertingState>;
  apply(step: BootstrapStep): Promise<void>;
}

export function createAlertingAdmin(options: {
  region: string;
  endpoint?: string;
  credentials: FcCredentials;
}): AlertingAdmin {
  const config = loadConfig({ KRO_REGION_ID: options.region, KRO_ENDPOINT: options.endpoint });
  return alertingAdminOver(createAlibabaClients({ config, credentials: options.credentials }).cmsAdmin);
}

export function alertingAdminOver(admin: CmsAdmin): AlertingAdmin {
  return {
    async readState() {
      const [contacts, groups] = await Promise.all([admin.describeContactList(), admin.describeContactGroupList()]);
      return {
        contacts: contacts.map((c) => ({
          name: c.name,
          description: '',
          channels: { mail: c.channels.mail, dingWebHook: c.channels.dingWebhook, sms: c.channels.sms },
        })),
        contactGroups: groups.map((g) => ({ name: g.name, description: '', contactNames: g.contacts })),
      };
    },
    async apply(step) {
      if (step.action === 'unchanged') return;
      switch (step.kind) {
        case 'contact':
          return admin.putContact({
            name: step.spec.name,
            describe: step.spec.description,
            mail: step.spec.channels.mail,
            sms: step.spec.channels.sms,
            dingWebhook: step.spec.channels.dingWebHook,
          });
        case 'contact-group':
          return admin.putContactGroup({
            name: step.spec.name,
            describe: step.spec.description,
            contactNames: step.spec.contactNames,
          });
        case 'rule':
          return admin.putCustomEventRule({
            ruleId: step.spec.ruleId,
            ruleName: step.spec.ruleName,
            eventName: step.spec.eventName,
            groupId: step.spec.groupId,
            contactGroups: step.spec.contactGroups,
            level: step.spec.level,
            threshold: Number(step.spec.threshold),
            periodSeconds: Number(step.spec.period),
            effectiveInterval: step.spec.effectiveInterval,
            emailSubject: step.spec.emailSubject,
          });
        case 'heartbeat-rule': {
          const { description: _description, ...rule } = step.spec;
          return admin.putResourceMetricRule(rule);
        }
      }
    },
  };
}
