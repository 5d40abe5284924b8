/**
 * Issue 15: the incremental sweep, deployed from s.yaml on the emulator (whose tag writes move
 * UpdateTime and whose rotations do not: the UNCONFIRMED readings that make this hardest). A quiet
 * fleet is described once a day on its turn; a change whose event EventBridge dropped is seen at the
 * next sweep from the listing alone.
 */
import { describe, expect, it } from 'vitest';
import { aSecret, DAY, HOUR, MINUTE, startScenario } from '../helpers/scenario';

const FLEET = 120;
const API_CALL = 'kms:ActionTrail:ApiCall';

function fleet() {
  return Array.from({ length: FLEET }, (_, i) =>
    aSecret(`prod/app-${i}`, 'rds', {
      RotationInterval: '30d',
      ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: `rm-app${i}` },
    }),
  );
}

/**
 * Until every secret carries its schedule, then one more sweep (the adoption's own tag writes move
 * UpdateTime). The emulator's list quota does not refill inside a simulated invocation, so about 40
 * tag writes land per sweep here; the pacing in FC spreads them instead.
 */
async function adopted(s: Awaited<ReturnType<typeof startScenario>>, names: string[]): Promise<void> {
  await s.advanceUntil(() => names.every((n) => s.state(n).schedule !== undefined), DAY);
  await s.advance(10 * MINUTE);
}

const NAMES = Array.from({ length: FLEET }, (_, i) => `prod/app-${i}`);

describe('the incremental sweep', () => {
  it('describes every secret once to adopt it, then only on its daily turn: each secret within a day, few per sweep', async () => {
    const s = await startScenario({ secrets: fleet() });
    const describedBetween = (from: number, to: number) =>
      s.calls('DescribeSecret').filter((c) => c.at >= from && c.at < to && c.status === 200);

    await s.advance(15 * MINUTE); // the first sweep describes the whole fleet
    expect(new Set(describedBetween(0, s.now()).map((c) => c.params.SecretName)).size).toBe(FLEET);
    await adopted(s, NAMES);

    const from = s.now();
    const perSweep: number[] = [];
    for (let sweep = 0; sweep < 144; sweep++) {
      const before = s.calls('DescribeSecret').length;
      await s.advance(10 * MINUTE);
      perSweep.push(s.calls('DescribeSecret').length - before);
    }
    const day = describedBetween(from, s.now());
    expect(new Set(day.map((c) => c.params.SecretName)).size).toBe(FLEET);
    // One describe per secret per day (its turn) and nothing else: no secret twice.
    expect(day).toHaveLength(FLEET);
    expect(Math.max(...perSweep)).toBeLessThanOrEqual(5);
    // kro_sweep_described says the same to CloudMonitor, one point per full sweep.
    const described = s.emulator.cms
      .metrics()
      .filter((m) => m.metricName === 'kro_sweep_described' && m.time >= from)
      .reduce((n, m) => n + m.value, 0);
    expect(described).toBe(FLEET);
    const listed = s.calls('ListSecrets').filter((c) => c.at >= from).length;
    expect((day.length + listed) / (FLEET * 144)).toBeLessThanOrEqual(0.05);
    expect(s.alerts()).toEqual([]);
  });

  it('sees a change whose ActionTrail event EventBridge dropped at the next sweep, from UpdateTime', async () => {
    const s = await startScenario({ secrets: fleet() });
    await adopted(s, NAMES);
    s.emulator.faults.add({ Kind: 'EventDrop', EventType: API_CALL, Times: 1 });
    const changedAt = s.now();
    const off = await s.operatorCall('UpdateSecretRotationPolicy', {
      SecretName: 'prod/app-42',
      EnableAutomaticRotation: 'false',
    });
    expect(off.status).toBe(200);
    expect(s.emulator.bus.log().filter((r) => r.event.type === API_CALL && r.dropped)).toHaveLength(1);
    await s.advance(10 * MINUTE);
    const episodes = s.state('prod/app-42').episodes;
    expect(episodes.map((e) => e.checkId)).toEqual(['rotation-disabled']);
    expect(episodes[0]!.openedAt - changedAt).toBeLessThanOrEqual(10 * MINUTE);
    const described = s.calls('DescribeSecret').filter((c) => c.at > changedAt);
    expect(described.map((c) => c.params.SecretName)).toContain('prod/app-42');
    expect(described.length).toBeLessThanOrEqual(5);
  });

  it('describes a secret from its NextRotationDate on, so a scheduled rotation that failed unseen pages within a sweep', async () => {
    const s = await startScenario({
      secrets: [
        ...fleet().slice(0, 20),
        aSecret('prod/orders', 'rds', {
          LastRotationDate: new Date(Date.parse('2026-03-02T00:00:00Z') + 2 * HOUR - 7 * DAY).toISOString(),
          Faults: [{ Kind: 'RotationFailure', ErrorCode: 'InternalFailure', Times: 1 }],
        }),
      ],
      faults: [{ Kind: 'EventDrop', EventType: 'kms:CloudMonitor:Secret[RotateSecret:Failure]', Times: 1 }],
    });
    await s.advance(HOUR);
    const quiet = s.calls('DescribeSecret').filter((c) => c.at > s.now() - 20 * MINUTE).length;
    expect(quiet).toBeLessThanOrEqual(3);
    await s.advance(HOUR + 15 * MINUTE);
    const opened = s.alerts().find((a) => a.name === 'KmsRotationFailed');
    expect(opened?.secrets).toEqual(['prod/orders']);
  });

  it('describes a healthy secret without room for its schedule every sweep, and neither warns nor counts it', async () => {
    const full = Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`team-tag-${i}`, `v${i}`]));
    const s = await startScenario({
      secrets: [aSecret('prod/full', 'rds', { Tags: { env: 'prod', ...full } }), ...fleet().slice(0, 5)],
    });
    await s.advance(HOUR);
    expect(s.rawTags('prod/full')).toEqual({ env: 'prod', ...full });
    const sweeps = s.invocations('kro-sweep').length;
    expect(s.calls('DescribeSecret').filter((c) => c.params.SecretName === 'prod/full').length).toBe(sweeps);
    expect(s.logRecords('no room for the state tag')).toEqual([]);
    expect(s.logRecords().filter((r) => r.level === 'warn' || r.level === 'error')).toEqual([]);
    expect(s.calls('PutCustomMetric').some((c) => JSON.stringify(c.params).includes('kro_state_unwritable'))).toBe(
      false,
    );
  });
});
