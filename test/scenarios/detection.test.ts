/** Issue 4 acceptance 3, 4 and 6: type-aware stuck rotations, a lost failure event, a throttling storm. */
import { describe, expect, it } from 'vitest';
import { aSecret, DAY, HOUR, MINUTE, START_MS, startScenario } from '../helpers/scenario';
import { alertFields } from '../../shared/domain/alert-text';

const hourlySweep = { KRO_SWEEP_CRON: '0 0 * * * *' };
const FAILURE = 'kms:CloudMonitor:Secret[RotateSecret:Failure]';

describe('a RAM AccessKey rotation that never finishes', () => {
  it('raises nothing while it runs for 40 h and is stuck-in-progress at 50 h', async () => {
    const s = await startScenario({
      secrets: [aSecret('prod/ci-key', 'ram', { Faults: [{ Kind: 'RotationStuck' }] })],
      env: hourlySweep,
    });
    await s.advance(5 * MINUTE);
    const started = s.now();
    // An operator starts the rotation; ActionTrail tells the orchestrator through EventBridge.
    expect(
      (await s.operatorCall('RotateSecret', { SecretName: 'prod/ci-key', VersionId: 'ops-manual-1' })).status,
    ).toBe(200);

    await s.advance(started + 40 * HOUR - s.now());
    expect(s.emulator.kms.getSecret('prod/ci-key')?.rotating?.stuck).toBe(true);
    expect(s.alerts()).toEqual([]);
    expect(s.state('prod/ci-key').episodes).toEqual([]);

    await s.advance(10 * HOUR);
    expect(s.state('prod/ci-key').episodes.map((e) => [e.checkId, e.status])).toEqual([
      ['stuck-in-progress', 'opened'],
    ]);
    expect(s.notifications().map((n) => [n.eventName, n.secrets])).toEqual([['KmsRotationFailed', ['prod/ci-key']]]);
    expect(alertFields(s.alerts()[0]!.content)).toMatchObject({ checkId: 'stuck-in-progress', severity: 'critical' });
    // A stuck rotation needs a human: the orchestrator does not pile RotateSecret calls on it.
    expect(s.calls('RotateSecret').map((c) => c.params.VersionId)).toEqual(['ops-manual-1']);
  });

  it('raises nothing at 40 h of a scheduled RAM rotation and a critical finding by 50 h', async () => {
    const due = new Date(START_MS - 7 * DAY + HOUR).toISOString();
    const s = await startScenario({
      secrets: [aSecret('prod/ci-key', 'ram', { LastRotationDate: due, Faults: [{ Kind: 'RotationStuck' }] })],
      env: hourlySweep,
    });
    await s.advance(41 * HOUR);
    expect(s.alerts()).toEqual([]);
    await s.advance(10 * HOUR);
    // KMS's own start leaves no API call, so the check that sees it is rotation-overdue (type-aware: 48 h for RAM).
    expect(s.notifications().map((n) => [n.eventName, n.secrets])).toEqual([['KmsRotationFailed', ['prod/ci-key']]]);
    expect(s.alerts().map((a) => (alertFields(a.content) as { checkId: string }).checkId)).toEqual([
      'rotation-overdue',
    ]);
  });
});

describe('a rotation failure event that EventBridge drops', () => {
  it('still opens the episode at the next sweep, within one sweep interval', async () => {
    const failAt = START_MS + HOUR + 5 * MINUTE;
    const s = await startScenario({
      secrets: [
        aSecret('prod/orders', 'rds', {
          LastRotationDate: new Date(failAt - 7 * DAY).toISOString(),
          Faults: [{ Kind: 'RotationFailure', ErrorCode: 'InternalFailure', Times: 1 }],
        }),
      ],
      faults: [{ Kind: 'EventDrop', EventType: FAILURE, Times: 1 }],
    });
    await s.advance(HOUR + 30 * MINUTE);

    expect(
      s.emulator.bus
        .log()
        .filter((r) => r.event.type === FAILURE)
        .map((r) => r.dropped),
    ).toEqual([true]);
    expect(s.invocations('kro-on-event').filter((i) => i.startedAt >= failAt && i.startedAt < failAt + MINUTE)).toEqual(
      [],
    );
    const opened = s.alerts().find((a) => a.name === 'KmsRotationFailed');
    expect(opened).toBeDefined();
    expect(opened!.time - failAt).toBeLessThanOrEqual(10 * MINUTE);

    await s.advance(3 * HOUR);
    expect(s.notifications().map((n) => [n.eventName, n.secrets])).toEqual([
      ['KmsRotationFailed', ['prod/orders']],
      ['KmsRotationRecovered', ['prod/orders']],
    ]);
    expect(s.calls('RotateSecret')).toHaveLength(1);
  });
});

describe('a throttling storm during a sweep', () => {
  it('completes the sweep later and raises no finding because of throttling', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `prod/app-${i}`);
    const s = await startScenario({ secrets: names.map((n) => aSecret(n, 'rds')), env: hourlySweep });
    s.emulator.faults.add({ Kind: 'Throttle', Product: 'kms', Group: 'read', Times: 60 });
    await s.sweepNow();
    expect(s.logRecords('sweep incomplete')).not.toEqual([]);
    const throttled = s.calls('DescribeSecret').filter((c) => c.code === 'Rejected.Throttling').length;
    expect(throttled).toBeGreaterThan(0);

    await s.advance(5 * MINUTE);
    const done = s
      .logRecords('invocation done')
      .map((r) => r.result as { mode?: string; complete?: boolean; secrets?: number });
    expect(done.filter((r) => r.mode === 'full').at(-1)).toMatchObject({ complete: true });
    // Every secret was described successfully after the storm.
    for (const name of names)
      expect(s.calls('DescribeSecret').some((c) => c.params.SecretName === name && c.status === 200)).toBe(true);
    expect(s.alerts()).toEqual([]);
    for (const name of names) expect(s.state(name).episodes).toEqual([]);
  });
});
