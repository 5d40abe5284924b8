/** Issue 14, "the watcher watches itself": the orchestrator pages when it cannot see, once per degradation. */
import { alertFields } from '../../shared/domain/alert-text';
import { describe, expect, it } from 'vitest';
import { readPolicy } from '../../emulator/runtime';
import type { PolicyDocument } from '../../emulator/services/contracts';
import { aSecret, MINUTE, startScenario, type Scenario } from '../helpers/scenario';

const ROLE = 'kro-orchestrator';
const SWEEP = 10 * MINUTE;

function fleet() {
  return [aSecret('prod/orders-db'), aSecret('prod/billing-db'), aSecret('prod/api-key', 'ram')];
}

function denying(action: string): PolicyDocument {
  const policy = readPolicy();
  return { ...policy, Statement: [...policy.Statement, { Effect: 'Deny', Action: [action], Resource: '*' }] };
}

const named = (s: Scenario, eventName: string) => s.notifications().filter((n) => n.eventName === eventName);
const contentsOf = (s: Scenario, eventName: string) =>
  s
    .rawNotifications()
    .filter((n) => n.eventName === eventName)
    .flatMap((n) => n.contents.map((c) => alertFields(c)));

describe('KmsOrchestratorDegraded', () => {
  it('pages once when DescribeSecret is denied to the role, and once more (recovered) when it returns', async () => {
    const s = await startScenario({ secrets: fleet() });
    await s.sweepNow();
    await s.advance(2 * MINUTE);
    expect(named(s, 'KmsOrchestratorDegraded')).toHaveLength(0);

    s.emulator.auth.setRolePolicy(ROLE, denying('kms:DescribeSecret'));
    await s.sweepNow();
    await s.advance(2 * MINUTE); // the alarm rule's 60 s period closes
    expect(named(s, 'KmsOrchestratorDegraded')).toHaveLength(1);
    const [opened] = contentsOf(s, 'KmsOrchestratorDegraded');
    expect(opened).toMatchObject({
      unassessed: 3,
      listed: 3,
      errorCodes: { 'Forbidden.NoPermission': 3 },
    });
    expect(opened!.unassessedSecrets).toEqual(
      expect.arrayContaining(['prod/orders-db', 'prod/billing-db', 'prod/api-key']),
    );
    expect(String(opened!.runbook)).toMatch(/kms:DescribeSecret/);
    expect(String(opened!.summary)).toMatch(/could not assess 3 of 3 secrets/);

    // The timer keeps sweeping blind for an hour: still one page.
    await s.advance(6 * SWEEP);
    expect(s.invocations('kro-sweep').filter((i) => i.outcome === 'ok').length).toBeGreaterThanOrEqual(6);
    expect(named(s, 'KmsOrchestratorDegraded')).toHaveLength(1);
    expect(named(s, 'KmsOrchestratorRecovered')).toHaveLength(0);

    s.emulator.auth.setRolePolicy(ROLE, readPolicy());
    await s.advance(3 * SWEEP);
    expect(named(s, 'KmsOrchestratorDegraded')).toHaveLength(1);
    expect(named(s, 'KmsOrchestratorRecovered')).toHaveLength(1);
    const [recovered] = contentsOf(s, 'KmsOrchestratorRecovered');
    expect(recovered).toMatchObject({ status: 'resolved', assessed: 3 });
    expect(recovered!.resolves).toBe(opened!.alertId);
  });

  it('is raised by the on-failure destination, once, when the sweep function fails every invocation', async () => {
    const s = await startScenario({
      secrets: fleet(),
      faults: [{ Kind: 'FunctionCrash', FunctionName: 'kro-sweep', ErrorMessage: 'out of memory' }],
    });
    await s.advance(6 * SWEEP);
    expect(s.invocations('kro-sweep').every((i) => i.outcome === 'error')).toBe(true);
    expect(named(s, 'KmsOrchestratorDegraded')).toHaveLength(1);
    const [opened] = contentsOf(s, 'KmsOrchestratorDegraded');
    expect(opened).toMatchObject({ cause: 'invocation-failed', failedFunction: 'kro-sweep' });
    // Every failed timer sweep reached on-event; the later ones found the degradation open and sent nothing.
    expect(s.invocations('kro-on-event').filter((i) => i.outcome === 'ok').length).toBeGreaterThanOrEqual(5);
    expect(s.logRecords('orchestrator still degraded').length).toBeGreaterThanOrEqual(4);

    // The fault cleared: the next clean sweep resolves it.
    s.emulator.faults.clear();
    await s.advance(2 * SWEEP);
    expect(named(s, 'KmsOrchestratorRecovered')).toHaveLength(1);
    expect(named(s, 'KmsOrchestratorDegraded')).toHaveLength(1);
  });
});

describe('the heartbeat alarm', () => {
  it('stays quiet while sweeps run, and fires once when they stop for three sweep intervals', async () => {
    const s = await startScenario({ secrets: fleet() });
    const rule = s.emulator.cms.metricRules().find((r) => r.RuleId === 'kro-heartbeat');
    expect(rule).toMatchObject({
      MetricName: 'kro_sweep_duration_ms',
      NoDataPolicy: 'INSUFFICIENT_DATA',
      Times: 3,
      PeriodSeconds: 600,
    });
    await s.advance(12 * SWEEP);
    const heartbeat = () => s.notifications().filter((n) => n.eventName === 'kro_sweep_duration_ms');
    expect(heartbeat()).toHaveLength(0);

    // The sweep stops arriving (the function crashes before it runs).
    s.emulator.faults.add({ Kind: 'FunctionCrash', FunctionName: 'kro-sweep' });
    const stoppedAt = s.now();
    await s.advanceUntil(() => heartbeat().length > 0, 12 * SWEEP, MINUTE);
    expect(heartbeat()).toHaveLength(1);
    const firedAfter = heartbeat()[0]!.at - stoppedAt;
    expect(firedAfter).toBeGreaterThanOrEqual(3 * SWEEP - SWEEP);
    expect(firedAfter).toBeLessThanOrEqual(4 * SWEEP + SWEEP);
    expect(heartbeat()[0]!.level).toBe('CRITICAL');
    await s.advance(6 * SWEEP);
    expect(heartbeat()).toHaveLength(1); // silenced for a day, not one page per period
  });
});
