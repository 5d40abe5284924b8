import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAlertMessages, HELD_ALERTS_GROUP_THRESHOLD, type AlertItem } from '../../shared/domain/alerts';
import { redactMessage } from '../../shared/domain/redact';
import { ALERTS } from '../../shared/domain/alert-catalog';
import { alertIdFor, escalate, markAlert, openEpisode, resolve, type Episode } from '../../shared/domain/episode';
import { GROUP_CONTENT_LIMIT } from '../../shared/domain/alerts';
import type { Finding } from '../../shared/domain/types';
import { testConfig } from '../helpers/config';
import { T0 } from '../helpers/fakes';
import { alertFields, alertSentence } from '../../shared/domain/alert-text';

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
    const content = alertFields(m!.content);
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
    expect(alertFields(m!.content).runbook).toContain('RDS instance behind this secret no longer exists');
  });

  it('groups 500 secrets failing on one RDS instance into at most 3 events naming all of them', () => {
    const items = Array.from({ length: 500 }, (_, i) => item(`rds/app-${String(i).padStart(3, '0')}-credentials`));
    const messages = buildAlertMessages(items, config);
    expect(messages.length).toBeLessThanOrEqual(3);
    expect(new Set(messages.map((m) => m.eventName))).toEqual(new Set(['KmsRotationFailureGroup']));
    const named = messages.flatMap((m) =>
      (alertFields(m.content).affected as Array<{ secretName: string }>).map((a) => a.secretName),
    );
    expect(new Set(named).size).toBe(500);
    for (const m of messages) expect(m.content.length).toBeLessThanOrEqual(30_000);
  });

  it('does not group below the storm threshold', () => {
    const messages = buildAlertMessages([item('a'), item('b'), item('c'), item('d')], config);
    expect(messages.map((m) => m.eventName)).toEqual(Array(4).fill('KmsRotationFailed'));
  });

  it('groups one error code across many RDS instances as one cause', () => {
    const items = Array.from({ length: 6 }, (_, i) => item(`rds/app-${i}`, `t:rm-${i}`, 'InternalError'));
    const [m, ...more] = buildAlertMessages(items, config);
    expect(more).toEqual([]);
    expect(alertFields(m!.content)).toMatchObject({
      causeKind: 'error-code',
      cause: 'InternalError',
      checkId: 'rotation-failed',
      lastErrorCode: 'InternalError',
      affectedTotal: 6,
    });
  });

  it('joins alerts that share a target with alerts that share a code: a cause is the target or the code', () => {
    // a,b on rm-1 with X; c on rm-2 with X; d,e on rm-2 with Y: one chain of shared causes.
    const items = [
      item('a', 't:rm-1', 'X'),
      item('b', 't:rm-1', 'X'),
      item('c', 't:rm-2', 'X'),
      item('d', 't:rm-2', 'Y'),
      item('e', 't:rm-2', 'Y'),
      item('f', 't:rm-3', 'Z'),
    ];
    const messages = buildAlertMessages(items, config);
    expect(messages.map((m) => [m.eventName, m.items.map((i) => i.episode.secretName)])).toEqual([
      ['KmsRotationFailureGroup', ['a', 'b', 'c', 'd', 'e']],
      ['KmsRotationFailed', ['f']],
    ]);
    // Mixed codes: each entry says its own; the shared check is said once in the header.
    const content = alertFields(messages[0]!.content) as Record<string, any>;
    expect(content.checkId).toBe('rotation-failed');
    expect(content.lastErrorCode).toBeUndefined();
    expect(content.affected.map((a: { lastErrorCode: string }) => a.lastErrorCode)).toEqual(['X', 'X', 'X', 'Y', 'Y']);
  });

  it('groups recoveries of one code like their failures', () => {
    const items = Array.from({ length: 5 }, (_, i) => {
      const it = item(`rds/app-${i}`, `t:rm-${i}`, 'InternalError');
      return { ...it, episode: resolve(markAlert(it.episode, 'delivered')!, T0 + 1000)! };
    });
    const messages = buildAlertMessages(items, config);
    expect(messages.map((m) => [m.eventName, m.alertIds.length])).toEqual([['KmsRotationRecovered', 5]]);
  });

  it('groups from two when asked (a flush after a leading edge)', () => {
    const messages = buildAlertMessages([item('a', 't:rm-1'), item('b', 't:rm-2')], config, {
      groupFrom: HELD_ALERTS_GROUP_THRESHOLD,
    });
    expect(messages.map((m) => m.eventName)).toEqual(['KmsRotationFailureGroup']);
  });

  it('puts every alert in exactly one event, and each event names exactly the alert ids it carries', () => {
    const anItem = fc
      .record({
        target: fc.constantFrom('t:rm-1', 't:rm-2', 't:rm-3', 't:i-4', 'c:Legacy'),
        code: fc.constantFrom('InternalError', 'Forbidden.NoPermission', 'IncorrectDBInstanceState'),
        stage: fc.constantFrom('open', 'escalate', 'resolve'),
        check: fc.constantFrom('rotation-failed', 'rotation-overdue', 'interval-out-of-policy'),
      })
      .map(({ target, code, stage, check }) => ({ target, code, stage, check }));
    fc.assert(
      fc.property(fc.array(anItem, { maxLength: 700 }), fc.constantFrom(2, 5), (specs, groupFrom) => {
        const items = specs.map((spec, i) => {
          const base = item(`s/${i}-${'x'.repeat(i % 40)}`, spec.target, spec.code);
          let episode: Episode = { ...base.episode, checkId: spec.check as Episode['checkId'] };
          if (spec.stage === 'escalate') episode = escalate(episode, T0);
          if (spec.stage === 'resolve') episode = resolve(markAlert(episode, 'delivered')!, T0 + 1000)!;
          return { ...base, episode };
        });
        const messages = buildAlertMessages(items, config, { groupFrom });
        const carried = messages.flatMap((m) => m.alertIds);
        expect(carried.sort()).toEqual(items.map((i) => alertIdFor(i.episode, i.episode.alert!)).sort());
        for (const m of messages) {
          const content = alertFields(m.content) as Record<string, any>;
          const named = content.affected
            ? content.affected.map((a: { alertId: string }) => a.alertId)
            : [content.alertId];
          expect(named).toEqual(m.alertIds);
          expect(m.content.length).toBeLessThanOrEqual(30_000);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('scrubs credentials out of error messages', () => {
    const scrubbed = redactMessage('login failed for password=Hunter2!x token: abc AKIAxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
    expect(scrubbed).not.toContain('Hunter2');
    expect(scrubbed).not.toContain('AKIAxxxxxxxxxxxxxxxx');
  });
});

describe('alert content a person reads', () => {
  const HOUR = 3_600_000;

  it('begins every alert with one sentence naming the secret, what happened and since when, then the fields', () => {
    const [m] = buildAlertMessages([item('rds/a')], config);
    const [first, fields, ...rest] = m!.content.split('\n');
    expect(rest).toEqual([]);
    expect(first).toBe(
      'rds/a: rotation failed (IncorrectDBInstanceState) since 2026-11-01 00:00 UTC; the orchestrator retries.',
    );
    expect(alertSentence(m!.content)).toBe(first);
    expect(JSON.parse(fields!)).toMatchObject({ secretName: 'rds/a' });
  });

  it('says in a group how many secrets share which cause, and stays within the content limit', () => {
    const items = Array.from({ length: 500 }, (_, i) => item(`rds/app-${String(i).padStart(3, '0')}-credentials`));
    const messages = buildAlertMessages(items, config);
    for (const m of messages) {
      expect(m.content.length).toBeLessThanOrEqual(GROUP_CONTENT_LIMIT);
      expect(alertSentence(m.content)).toMatch(
        /^500 secrets failing: rotation failed, one rotation-target \(rm-shared\), since 2026-11-01 00:00 UTC( \(part \d of \d\))?\.$/,
      );
    }
  });

  it("states a runbook once when the finding already gives the error's", () => {
    const i = item('rds/a', 't:rm-1', 'Forbidden.NoPermission');
    const finding: Finding = {
      checkId: 'rotation-failed',
      severity: 'critical',
      secretName: 'rds/a',
      summary: 's',
      evidence: {},
      runbook: 'KMS is not allowed to rotate this secret: grant the service-linked role.',
      remediable: true,
    };
    const runbook = String(alertFields(buildAlertMessages([{ ...i, finding }], config)[0]!.content).runbook);
    // The runbook the finding took from the error code, and the same code's runbook from the catalog.
    const withCatalog = String(alertFields(buildAlertMessages([i], config)[0]!.content).runbook);
    const catalog = withCatalog
      .slice(withCatalog.indexOf('Last error Forbidden.NoPermission: ') + 35)
      .split(' Retries')[0]!;
    const sameAsError = { ...finding, runbook: catalog };
    const once = String(alertFields(buildAlertMessages([{ ...i, finding: sameAsError }], config)[0]!.content).runbook);
    expect(once.split(catalog)).toHaveLength(2);
    expect(once).toContain('Last error Forbidden.NoPermission.');
    expect(runbook).toContain('Last error Forbidden.NoPermission: ');
  });

  it('says what recovered and how long it was open, with no failure runbook', () => {
    const i = item('rds/a', 't:rm-1', 'InternalFailure');
    const told = markAlert(i.episode, 'delivered')!;
    const recovered = resolve(told, T0 + 3 * HOUR + 20 * 60_000)!;
    const [m] = buildAlertMessages([{ ...i, episode: recovered }], config);
    expect(m?.eventName).toBe('KmsRotationRecovered');
    expect(alertSentence(m!.content)).toBe(
      'rds/a recovered: rotation failed is over after 3 h 20 min (open since 2026-11-01 00:00 UTC).',
    );
    const fields = alertFields(m!.content);
    expect(fields).toMatchObject({ recovered: 'rotation failed', openForSeconds: 12_000, status: 'resolved' });
    expect(fields.runbook).toBeUndefined();
  });

  it('reads the fields of content without a sentence (alerts sent before it) and of none at all', () => {
    expect(alertFields('{"secretName":"rds/a"}')).toEqual({ secretName: 'rds/a' });
    expect(alertSentence('{"secretName":"rds/a"}')).toBeUndefined();
    expect(alertFields('not ours')).toEqual({});
    expect(alertFields('a sentence\n{broken')).toEqual({});
  });
});
