import { afterEach, describe, expect, it } from 'vitest';
import { runBootstrap } from '../../cli/commands/bootstrap';
import { createEmulator, type Emulator } from '../../emulator/emulator';
import { ALERT_NAMES, ALERTS } from '../../shared/domain/alert-catalog';
import { recordingIo } from './cli-io';

const WEBHOOK = 'https://oapi.dingtalk.com/robot/send?access_token=5ecre7t0ken0fthebot';
const ENV = {
  KRO_ALERT_MAIL: 'secops@example.com,dba@example.com',
  KRO_ALERT_DINGTALK_WEBHOOK: WEBHOOK,
  KRO_ALERT_CONTACT_GROUP: 'kro-secops',
};

let emulator: Emulator;
let endpoint: string;

async function start(): Promise<void> {
  emulator = createEmulator({ now: '2026-11-22T00:00:00Z', quotas: false });
  endpoint = `127.0.0.1:${(await emulator.listen({ port: 0 })).port}`;
}

afterEach(async () => {
  await emulator?.close();
});

async function bootstrap(extra: string[] = [], env: Record<string, string> = ENV) {
  const { io, stdout, stderr } = recordingIo({ env });
  const status = await runBootstrap(['--endpoint', endpoint, ...extra], io);
  return { status, stdout: stdout(), stderr: stderr() };
}

const cmsWrites = (from = 0) =>
  emulator
    .callLog()
    .slice(from)
    .filter((c) => c.product === 'cms' && c.action.startsWith('Put'))
    .map((c) => c.action);

function cmsState() {
  return { contacts: emulator.cms.contacts(), groups: emulator.cms.contactGroups(), rules: emulator.cms.rules() };
}

describe('kro bootstrap against the emulator', () => {
  it('creates the contacts, the group and one alarm rule per alert with its level', async () => {
    await start();
    const run = await bootstrap();
    expect(run.status).toBe(0);
    expect(emulator.cms.contacts().map((c) => c.Name)).toHaveLength(3);
    expect(emulator.cms.contactGroups()).toEqual([
      expect.objectContaining({
        Name: 'kro-secops',
        Contacts: expect.arrayContaining([expect.stringMatching(/^kro-secops-/), 'kro-dingtalk']),
      }),
    ]);
    const rules = emulator.cms.rules() as Array<Record<string, unknown>>;
    expect(rules.map((r) => r.EventName).sort()).toEqual([...ALERT_NAMES].sort());
    for (const rule of rules) {
      expect(rule).toMatchObject({
        Level: ALERTS[rule.EventName as keyof typeof ALERTS].level,
        Threshold: 1,
        PeriodSeconds: 60,
        ContactGroups: ['kro-secops'],
      });
    }
    expect(run.stdout).toMatch(/created +contact-group +kro-secops/);
  });

  it('changes nothing the second time', async () => {
    await start();
    await bootstrap();
    const before = cmsState();
    const mark = emulator.callLog().length;
    const second = await bootstrap();
    expect(second.status).toBe(0);
    // Contacts and the group are read back and left alone; rules have no read-back and are
    // rewritten with identical values (an upsert by RuleId), the heartbeat's metric rule too.
    expect(cmsWrites(mark).filter((a) => a !== 'PutCustomEventRule' && a !== 'PutResourceMetricRule')).toEqual([]);
    const after = cmsState();
    const withoutTimes = (rows: Array<Record<string, unknown>>) => rows.map(({ UpdateTime: _u, ...rest }) => rest);
    expect(withoutTimes(after.contacts)).toEqual(withoutTimes(before.contacts));
    expect(withoutTimes(after.groups)).toEqual(withoutTimes(before.groups));
    expect(withoutTimes(after.rules)).toEqual(withoutTimes(before.rules));
    expect(emulator.cms.metricRules()).toHaveLength(1);
    expect(second.stdout).not.toMatch(/\b(created|updated)\b/);
    expect(second.stdout).toMatch(/bootstrap: \d+ ensured, 4 unchanged/);
  });

  it('writes nothing with --dry-run and says what it would do', async () => {
    await start();
    const run = await bootstrap(['--dry-run']);
    expect(run.status).toBe(0);
    expect(cmsWrites()).toEqual([]);
    expect(run.stdout).toMatch(/would create +contact-group +kro-secops/);
    expect(run.stdout).toMatch(/would ensure +heartbeat-rule +kro-heartbeat \(no full sweep for 30 min/);
    expect(run.stdout).toMatch(
      new RegExp(`bootstrap \\(dry run\\): 4 would create, ${ALERT_NAMES.length + 1} would ensure`),
    );
  });

  it('never prints the DingTalk robot token', async () => {
    await start();
    const run = await bootstrap();
    expect(run.stdout + run.stderr).not.toContain('5ecre7t0ken0fthebot');
  });

  it('adds a new address to the existing group on a later run', async () => {
    await start();
    await bootstrap();
    const run = await bootstrap([], { ...ENV, KRO_ALERT_MAIL: 'secops@example.com,dba@example.com,new@example.com' });
    expect(run.stdout).toMatch(/created +contact +kro-new-/);
    expect(run.stdout).toMatch(/updated +contact-group +kro-secops \(\+kro-new-/);
    expect((emulator.cms.contactGroups()[0]?.Contacts as string[]).length).toBe(4);
  });
});
