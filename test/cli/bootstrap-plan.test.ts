import { describe, expect, it } from 'vitest';
import { ALERT_NAMES, ALERTS } from '../../shared/domain/alert-catalog';
import {
  DINGTALK_CONTACT,
  desiredAlerting,
  mailContactName,
  planBootstrap,
  type AlertingSettings,
  type AlertingState,
  type BootstrapStep,
} from '../../shared/core/bootstrap-plan';

const WEBHOOK = 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef';
const settings = (tweak: Partial<AlertingSettings> = {}): AlertingSettings => ({
  contactGroup: 'kro-secops',
  mail: ['ops@example.com', 'dba.lead@example.com'],
  dingWebhook: WEBHOOK,
  groupId: '0',
  ...tweak,
});
const EMPTY: AlertingState = { contacts: [], contactGroups: [], rules: [] };

/** The state CloudMonitor holds after the plan's writes. */
function applied(steps: BootstrapStep[], state: AlertingState = EMPTY): AlertingState {
  const next = structuredClone(state);
  for (const step of steps) {
    if (step.action === 'unchanged') continue;
    if (step.kind === 'contact') next.contacts = [...next.contacts.filter((c) => c.name !== step.name), step.spec];
    if (step.kind === 'contact-group')
      next.contactGroups = [...next.contactGroups.filter((g) => g.name !== step.name), step.spec];
    if (step.kind === 'rule')
      next.rules = [...(next.rules ?? []).filter((r) => r.ruleId !== step.spec.ruleId), step.spec];
  }
  return next;
}

const actions = (steps: BootstrapStep[]) => steps.map((s) => `${s.action} ${s.kind} ${s.name}`);

describe('bootstrap plan', () => {
  it('creates a contact per mail address, one for DingTalk, the group and one rule per alert on a fresh account', () => {
    const plan = planBootstrap(desiredAlerting(settings()), EMPTY);
    expect(actions(plan.steps)).toEqual([
      `create contact ${mailContactName('ops@example.com')}`,
      `create contact ${mailContactName('dba.lead@example.com')}`,
      `create contact ${DINGTALK_CONTACT}`,
      'create contact-group kro-secops',
      ...ALERT_NAMES.map((a) => `create rule kro-${a}`),
    ]);
  });

  it('gives every alarm rule its alert level, threshold 1 and a 60 second period, routed to the group', () => {
    const rules = desiredAlerting(settings()).rules;
    expect(rules).toHaveLength(ALERT_NAMES.length);
    for (const rule of rules) {
      expect(rule).toMatchObject({
        level: ALERTS[rule.eventName as keyof typeof ALERTS].level,
        threshold: '1',
        period: '60',
        contactGroups: 'kro-secops',
        groupId: '0',
      });
    }
  });

  it('plans nothing the second time', () => {
    const desired = desiredAlerting(settings());
    const after = applied(planBootstrap(desired, EMPTY).steps);
    expect(planBootstrap(desired, after).steps.every((s) => s.action === 'unchanged')).toBe(true);
  });

  it('changes only the rule whose settings drifted, and says what changed', () => {
    const desired = desiredAlerting(settings());
    const after = applied(planBootstrap(desired, EMPTY).steps);
    after.rules = after.rules?.map((r) =>
      r.eventName === 'KmsRotationRecovered' ? { ...r, level: 'CRITICAL' as const } : r,
    );
    const changed = planBootstrap(desired, after).steps.filter((s) => s.action !== 'unchanged');
    expect(changed.map((s) => [s.action, s.name, s.changes])).toEqual([
      ['update', 'kro-KmsRotationRecovered', ['level: CRITICAL -> INFO']],
    ]);
  });

  it('adds a new address to the group without dropping contacts people added by hand', () => {
    const first = desiredAlerting(settings({ mail: ['ops@example.com'] }));
    const state = applied(planBootstrap(first, EMPTY).steps);
    state.contactGroups[0]?.contactNames.push('oncall-phone');
    const plan = planBootstrap(desiredAlerting(settings({ mail: ['ops@example.com', 'new@example.com'] })), state);
    const group = plan.steps.find((s) => s.kind === 'contact-group');
    expect(group?.action).toBe('update');
    expect(group?.action !== 'unchanged' && group?.kind === 'contact-group' && group.spec.contactNames).toContain(
      'oncall-phone',
    );
    expect(group?.changes).toEqual([`+${mailContactName('new@example.com')}`]);
  });

  it('keeps an SMS channel someone added when the webhook changes', () => {
    const state: AlertingState = {
      ...EMPTY,
      contacts: [
        {
          name: DINGTALK_CONTACT,
          description: 'x',
          channels: { dingWebHook: 'https://old.example/hook', sms: '13800000000' },
        },
      ],
    };
    const step = planBootstrap(desiredAlerting(settings({ mail: [] })), state).steps[0];
    expect(step?.action).toBe('update');
    expect(step?.action === 'update' && step.kind === 'contact' && step.spec.channels).toEqual({
      dingWebHook: WEBHOOK,
      sms: '13800000000',
    });
  });

  it('rewrites rules it cannot read back as idempotent upserts', () => {
    const plan = planBootstrap(desiredAlerting(settings()), { contacts: [], contactGroups: [] });
    expect(plan.steps.filter((s) => s.kind === 'rule').every((s) => s.action === 'ensure')).toBe(true);
  });

  it('leaves contacts alone and warns when none is configured and the group does not exist', () => {
    const plan = planBootstrap(desiredAlerting(settings({ mail: [], dingWebhook: undefined })), EMPTY);
    expect(plan.steps.every((s) => s.kind === 'rule')).toBe(true);
    expect(plan.warnings.join('\n')).toMatch(/no contact configured/);
    expect(plan.warnings.join('\n')).toMatch(/does not exist: alarms will notify nobody/);
  });

  it('names contacts stably and tells similar addresses apart', () => {
    expect(mailContactName('ops@example.com')).toBe(mailContactName('OPS@example.com'));
    expect(mailContactName('ops@example.com')).not.toBe(mailContactName('ops@example.org'));
    expect(mailContactName('ops@example.com')).toMatch(/^kro-ops-[0-9a-f]{6}$/);
  });
});
