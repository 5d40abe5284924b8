/** How a forecast joins a secret's decision: one finding per secret, sampled episodes kept between turns. */
import { alertFields } from '../../shared/domain/alert-text';
import { describe, expect, it } from 'vitest';
import { buildAlertMessages } from '../../shared/domain/alerts';
import { markAlert, openEpisode } from '../../shared/domain/episode';
import { atRiskFinding, type ReadinessFinding } from '../../shared/domain/readiness';
import { reconcile } from '../../shared/domain/reconcile';
import type { Finding } from '../../shared/domain/types';
import { readinessObservation } from '../../shared/readiness/sweep-forecast';
import { testConfig } from '../helpers/config';

const H = 3_600_000;
const NOW = Date.parse('2026-11-01T00:00:00Z');
const config = testConfig();

function cause(
  c: ReadinessFinding['cause'],
  id: string,
  severity: 'warning' | 'critical' = 'warning',
): ReadinessFinding {
  return {
    checkId: 'rotation-at-risk',
    severity,
    secretName: 'db',
    cause: c,
    resource: { kind: 'rds-instance', id },
    summary: `The next rotation of db will fail: rds-instance ${id} is not running.`,
    evidence: { cause: c, resource: `rds-instance/${id}` },
    runbook: `fix ${c}`,
  };
}

describe('atRiskFinding', () => {
  it('joins every cause of a secret into one finding led by the first, naming each resource and fix', () => {
    const f = atRiskFinding([cause('instance-not-running', 'rm-1'), cause('account-missing', 'rm-1', 'critical')])!;
    expect(f).toMatchObject({ checkId: 'rotation-at-risk', severity: 'critical', cause: { target: 'rm-1' } });
    expect(f.remediable).toBe(false);
    expect(f.runbook).toContain('instance-not-running (rds-instance rm-1): fix instance-not-running');
    expect(f.runbook).toContain('account-missing (rds-instance rm-1): fix account-missing');
    expect(f.evidence.causes).toBe('instance-not-running@rds-instance/rm-1,account-missing@rds-instance/rm-1');
    expect(atRiskFinding([])).toBeUndefined();
  });
});

describe('readinessObservation', () => {
  const assessment = (findings: ReadinessFinding[], notChecked = 0) => ({
    findings,
    blockingCauses: findings.map((f) => f.cause),
    notChecked: Array.from({ length: notChecked }, () => ({
      cause: 'account-missing' as const,
      resource: { kind: 'rds-instance' as const, id: 'rm-1' },
      state: 'not-checked' as const,
    })),
  });

  it('evaluates rotation-at-risk when a cause fails or every precondition was read, not when one was unreadable', () => {
    expect(
      readinessObservation('db', { assessment: assessment([cause('instance-not-running', 'rm-1')], 1) }),
    ).toMatchObject({
      evaluated: ['rotation-at-risk'],
    });
    expect(readinessObservation('db', { assessment: assessment([]) })).toEqual({
      findings: [],
      evaluated: ['rotation-at-risk'],
    });
    expect(readinessObservation('db', { assessment: assessment([], 1) })).toEqual({ findings: [], evaluated: [] });
    expect(readinessObservation('db', {})).toEqual({ findings: [], evaluated: [] });
  });

  it('raises secret-policy-broad for a broad policy, evaluates a narrow one or none, skips an unread one', () => {
    const broad = readinessObservation('s', { policy: { kind: 'policy', principals: ['*'], broad: ['*'] } });
    expect(broad.findings.map((f) => [f.checkId, f.evidence.admits])).toEqual([['secret-policy-broad', '*']]);
    expect(broad.evaluated).toEqual(['secret-policy-broad']);
    expect(readinessObservation('s', { policy: { kind: 'no-policy' } })).toEqual({
      findings: [],
      evaluated: ['secret-policy-broad'],
    });
    expect(readinessObservation('s', { policy: { kind: 'not-checked', code: 'Forbidden.RAM' } })).toEqual({
      findings: [],
      evaluated: [],
    });
  });
});

describe('reconcile with sampled checks', () => {
  const open = markAlert(
    openEpisode({ secretName: 'db', checkId: 'rotation-at-risk', now: NOW - H, remediable: false, cause: 't:rm-1' }),
    'delivered',
  )!;

  it('keeps an open rotation-at-risk episode through a pass that did not run the forecast', () => {
    const r = reconcile('db', [], [open], NOW, config);
    expect(r.episodes).toEqual([open]);
    expect(r.alertsToSend).toEqual([]);
  });

  it('resolves it when the forecast ran and found the precondition holds again', () => {
    const r = reconcile('db', [], [open], NOW, config, ['rotation-at-risk']);
    expect(r.episodes.map((e) => e.status)).toEqual(['resolved']);
    expect(r.alertsToSend.map((e) => e.alert?.stage)).toEqual(['resolve']);
  });

  it('groups a storm of rotations at risk on one instance into one alert', () => {
    const items = Array.from({ length: 6 }, (_, i) => {
      const finding: Finding = { ...atRiskFinding([cause('instance-not-running', 'rm-1')])!, secretName: `db-${i}` };
      const episode = openEpisode({
        secretName: `db-${i}`,
        checkId: 'rotation-at-risk',
        now: NOW,
        remediable: false,
        cause: 't:rm-1',
      });
      return { episode, finding, secret: { secretName: `db-${i}`, arn: `arn-${i}`, secretType: 'Rds' } };
    });
    const messages = buildAlertMessages(items, config);
    expect(messages.map((m) => m.eventName)).toEqual(['KmsRotationAtRisk']);
    expect(alertFields(messages[0]!.content)).toMatchObject({ grouped: true, cause: 'rm-1', affectedTotal: 6 });
  });
});
