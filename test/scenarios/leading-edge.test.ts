/**
 * Issue 14, points 1 and 3: the first alert of a storm window is delivered by the invocation that
 * detects it; the rest of the window is held and sent grouped by cause (rotation target or error
 * code); when the window cannot be coordinated, alerts fail open.
 */
import { alertFields } from '../../shared/domain/alert-text';
import { describe, expect, it } from 'vitest';
import { aSecret, DAY, MINUTE, START_MS, startScenario, type Scenario } from '../helpers/scenario';

const iso = (ms: number) => new Date(ms).toISOString();
const FAILURE = 'kms:CloudMonitor:Secret[RotateSecret:Failure]';
const FAILURE_ALERTS = new Set(['KmsRotationFailed', 'KmsRotationFailureGroup', 'KmsRotationEscalated']);

/** Secrets whose rotation falls due (and fails) `minutes` after the start. */
function failing(names: string[], instanceOf: (i: number) => string, minutes = 5) {
  return names.map((name, i) =>
    aSecret(name, 'rds', {
      LastRotationDate: iso(START_MS - 7 * DAY + minutes * MINUTE),
      ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: instanceOf(i) },
      Faults: [{ Kind: 'RotationFailure', ErrorCode: 'InternalFailure', Times: 1 }],
    }),
  );
}

/** PutCustomEvent calls CloudMonitor accepted that carry a failure alert. */
function failureReports(s: Scenario) {
  return s
    .calls('PutCustomEvent')
    .filter((c) => c.status === 200)
    .filter((c) => Object.entries(c.params).some(([k, v]) => /EventName$/.test(k) && FAILURE_ALERTS.has(v)));
}

function flushRuns(s: Scenario) {
  return s.invocations('kro-sweep').filter((i) => i.taskId?.startsWith('flush-'));
}

describe('one rotation failure event', () => {
  it('is paged by the on-event invocation that receives it, before any flush runs', async () => {
    const s = await startScenario({ secrets: failing(['prod/orders'], () => 'rm-orders') });
    await s.advance(5 * MINUTE + 1000);

    const published = s.emulator.bus.log().find((r) => r.event.type === FAILURE);
    expect(published).toBeDefined();
    const alerts = s.alerts().filter((a) => a.name === 'KmsRotationFailed');
    expect(alerts.map((a) => a.secrets)).toEqual([['prod/orders']]);
    expect(alerts[0]!.time - published!.publishedAt).toBeLessThan(1000);
    expect(flushRuns(s).filter((i) => i.startedAt <= alerts[0]!.time)).toEqual([]);
    const onEvent = s.invocations('kro-on-event').filter((i) => i.startedAt >= published!.publishedAt);
    expect(onEvent.length).toBeGreaterThan(0);
    expect(s.state('prod/orders').episodes[0]?.alert?.delivery).toBe('delivered');

    // The window's flush still runs (it was the lock) and sends nothing more.
    await s.advance(3 * MINUTE);
    expect(flushRuns(s).length).toBeGreaterThan(0);
    expect(s.alerts().filter((a) => FAILURE_ALERTS.has(a.name))).toHaveLength(1);
  });
});

describe('500 secrets failing with one error code within one window', () => {
  it.each([
    { instances: 50, label: 'across 50 RDS instances' },
    { instances: 1, label: 'on one RDS instance' },
  ])(
    '$label: at most 3 PutCustomEvent calls name all 500, and every alert is marked delivered',
    async ({ instances }) => {
      const names = Array.from({ length: 500 }, (_, i) => `prod/shard-${String(i).padStart(3, '0')}`);
      const s = await startScenario({
        secrets: failing(names, (i) => `rm-${i % instances}`),
        env: { KRO_SWEEP_CRON: '0 0 * * * *', KRO_ROTATE_BUDGET_PER_HOUR: '50', KRO_LOG_LEVEL: 'warn' },
        emulator: { quotas: false },
      });
      await s.advance(7 * MINUTE);

      const reports = failureReports(s);
      expect(reports.length).toBeGreaterThanOrEqual(2);
      expect(reports.length).toBeLessThanOrEqual(3);
      const failures = s.alerts().filter((a) => FAILURE_ALERTS.has(a.name));
      expect(new Set(failures.flatMap((a) => a.secrets))).toEqual(new Set(names));
      // The leading edge, then one group for the rest, named by the error code they share.
      expect(failures[0]!.name).toBe('KmsRotationFailed');
      const groups = failures.slice(1);
      expect(groups.every((a) => a.name === 'KmsRotationFailureGroup')).toBe(true);
      expect(alertFields(groups[0]!.content)).toMatchObject(
        instances === 1
          ? { causeKind: 'rotation-target', cause: 'rm-0' }
          : { causeKind: 'error-code', cause: 'InternalFailure' },
      );
      // Every member of every group got its delivered mark: none is left pending on its tag.
      for (const name of names)
        expect(
          s.state(name).episodes.filter((e) => e.alert && e.alert.delivery !== 'delivered'),
          name,
        ).toEqual([]);
      const critical = s.notifications().filter((n) => n.level === 'CRITICAL');
      expect(critical.length).toBeLessThanOrEqual(3);
    },
    300_000,
  );
});

describe('a storm window that cannot be coordinated', () => {
  it('fails open: with the flush function unreachable, each failure is paged at once by its own invocation', async () => {
    const s = await startScenario({
      secrets: failing(['prod/a', 'prod/b'], (i) => `rm-${i}`),
      faults: [{ Kind: 'ApiError', Product: 'fc', ErrorCode: 'FunctionNotFound', HttpStatus: 404 }],
    });
    await s.advance(5 * MINUTE + 1000);
    const alerts = s.alerts().filter((a) => a.name === 'KmsRotationFailed');
    expect(alerts.map((a) => a.secrets).sort()).toEqual([['prod/a'], ['prod/b']]);
    expect(flushRuns(s)).toEqual([]);
    for (const name of ['prod/a', 'prod/b']) expect(s.state(name).episodes[0]?.alert?.delivery).toBe('delivered');
    expect(s.logRecords('flush not scheduled').length).toBeGreaterThan(0);
  });
});
