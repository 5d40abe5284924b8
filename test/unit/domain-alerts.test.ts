import { describe, expect, it } from 'vitest';
import { buildAlertMessages, type AlertItem } from '../../shared/domain/alerts';
import { redactMessage } from '../../shared/domain/redact';
import { ALERTS } from '../../shared/domain/alert-catalog';
import { escalate, openEpisode } from '../../shared/domain/episode';
import { testConfig } from '../helpers/config';
import { T0 } from '../helpers/fakes';

const config = testConfig();

function item(name: string, cause = 't:rm-shared', code = 'IncorrectDBInstanceState'): AlertItem {
  const episode = {
    ...openEpisode({ secretName: name, checkId: 'rotation-failed', now: T0, remediable: true, errorCode: code }),
    cause,
  };
  return {
    episode,
    secret: {
      secretName: name,
      arn: `acs:kms:cn-hangzhou:1:secret/${name}`,
      secretType: 'Rds',
      subType: 'DoubleUsers',
    },
  };
}

describe('alert messages', () => {
  it('sends one event per transition with the documented content', () => {
    const [m] = buildAlertMessages([item('rds/a')], config);
    expect(m?.eventName).toBe('KmsRotationFailed');
    const content = JSON.parse(m!.content);
    expect(content).toMatchObject({
      secretName: 'rds/a',
      type: 'Rds',
      subType: 'DoubleUsers',
      region: 'cn-hangzhou',
      checkId: 'rotation-failed',
      attempts: 0,
      lastErrorCode: 'IncorrectDBInstanceState',
    });
    expect(content.alertId).toBe(m!.alertIds[0]);
    expect(content.runbook).toContain('instance is busy');
    expect(ALERTS[m!.eventName]).toBeDefined();
  });

  it('names the cause in an escalation runbook', () => {
    const i = item('rds/gone', 't:rm-gone', 'InvalidDBInstanceId.NotFound');
    const [m] = buildAlertMessages([{ ...i, episode: escalate(i.episode, T0) }], config);
    expect(m?.eventName).toBe('KmsRotationEscalated');
    expect(JSON.parse(m!.content).runbook).toContain('RDS instance behind this secret no longer exists');
  });

  it('groups 500 secrets failing on one RDS instance into at most 3 events naming all of them', () => {
    const items = Array.from({ length: 500 }, (_, i) => item(`rds/app-${String(i).padStart(3, '0')}-credentials`));
    const messages = buildAlertMessages(items, config);
    expect(messages.length).toBeLessThanOrEqual(3);
    expect(new Set(messages.map((m) => m.eventName))).toEqual(new Set(['KmsRotationFailureGroup']));
    const named = messages.flatMap((m) =>
      JSON.parse(m.content).affected.map((a: { secretName: string }) => a.secretName),
    );
    expect(new Set(named).size).toBe(500);
    for (const m of messages) expect(m.content.length).toBeLessThanOrEqual(30_000);
  });

  it('does not group below the storm threshold', () => {
    const messages = buildAlertMessages([item('a'), item('b'), item('c'), item('d')], config);
    expect(messages.map((m) => m.eventName)).toEqual(Array(4).fill('KmsRotationFailed'));
  });

  it('scrubs credentials out of error messages', () => {
    const scrubbed = redactMessage('login failed for password=Hunter2!x token: abc AKIAxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
    expect(scrubbed).not.toContain('Hunter2');
    expect(scrubbed).not.toContain('AKIAxxxxxxxxxxxxxxxx');
  });
});
