/** Issue 4 acceptance 1-2 and issue 5's "exactly the expected notifications, in order", for retries. */
import { describe, expect, it } from 'vitest';
import { parseAlertContent } from '../../shared/report';
import { aSecret, DAY, HOUR, START_MS, startScenario } from '../helpers/scenario';
import { alertFields } from '../../shared/domain/alert-text';

// Between two sweeps, so the failure event (not a sweep racing it) is what first sees the failure.
const dueInAnHour = new Date(START_MS - 7 * DAY + HOUR + 5 * 60_000).toISOString();
const MAX_ATTEMPTS = 4;

describe('a failed RDS rotation', () => {
  it('is retried twice after two transient failures, then resolved as one episode', async () => {
    const s = await startScenario({
      secrets: [
        aSecret('prod/orders', 'rds', {
          LastRotationDate: dueInAnHour,
          Faults: [{ Kind: 'RotationFailure', ErrorCode: 'InternalFailure', Times: 2 }],
        }),
      ],
      env: { KRO_RETRY_MAX_ATTEMPTS: String(MAX_ATTEMPTS) },
    });
    await s.advance(6 * HOUR);

    const rotations = s.calls('RotateSecret');
    const versionIds = rotations.map((c) => c.params.VersionId);
    expect(versionIds).toHaveLength(2);
    expect(new Set(versionIds).size).toBe(versionIds.length);
    expect(versionIds.every((v) => /^kro-[0-9a-f]{10}-a[12]$/.test(v ?? ''))).toBe(true);
    // Backoff: the second attempt waits after the first; neither runs before the failure was seen.
    expect(rotations[1]!.at).toBeGreaterThan(rotations[0]!.at);
    expect(rotations[0]!.at).toBeGreaterThanOrEqual(START_MS + HOUR);

    expect(s.history('prod/orders').map((h) => h.outcome)).toEqual(['failure', 'failure', 'success']);
    expect(s.emulator.kms.getSecret('prod/orders')?.AutomaticRotation).toBe('Enabled');
    expect(s.notifications().map((n) => [n.eventName, n.secrets])).toEqual([
      ['KmsRotationFailed', ['prod/orders']],
      ['KmsRotationRecovered', ['prod/orders']],
    ]);
    const episodeIds = s.alerts().map((a) => (alertFields(a.content) as { episodeId: string }).episodeId);
    expect(new Set(episodeIds).size).toBe(1);
    expect(versionIds[0]).toContain(episodeIds[0]);
    expect(s.state('prod/orders').episodes.filter((e) => e.status !== 'resolved')).toEqual([]);
  });

  it('stops at the attempt budget and escalates when the transient cause never clears', async () => {
    const s = await startScenario({
      secrets: [
        aSecret('prod/orders', 'rds', {
          LastRotationDate: dueInAnHour,
          Faults: [{ Kind: 'RotationFailure', ErrorCode: 'InternalFailure' }],
        }),
      ],
      env: { KRO_RETRY_MAX_ATTEMPTS: '3' },
    });
    await s.advance(8 * HOUR);

    const versionIds = s.calls('RotateSecret').map((c) => c.params.VersionId);
    expect(versionIds.length).toBeLessThanOrEqual(3);
    expect(versionIds.length).toBeGreaterThanOrEqual(2);
    expect(new Set(versionIds).size).toBe(versionIds.length);
    expect(s.notifications().map((n) => n.eventName)).toEqual(['KmsRotationFailed', 'KmsRotationEscalated']);
    const escalation = s.alerts().find((a) => a.name === 'KmsRotationEscalated')!;
    expect(alertFields(escalation.content)).toMatchObject({
      status: 'escalated',
      lastErrorCode: 'InternalFailure',
      attempts: versionIds.length,
    });
    expect(s.state('prod/orders').episodes.map((e) => e.status)).toEqual(['escalated']);
  });

  it('is escalated at once, without a retry, when the RDS instance is gone, and the runbook names the cause', async () => {
    const s = await startScenario({
      secrets: [aSecret('prod/orders', 'rds', { LastRotationDate: dueInAnHour, DeletedTarget: true })],
    });
    await s.advance(4 * HOUR);

    expect(s.history('prod/orders').map((h) => [h.outcome, h.errorCode])).toEqual([
      ['failure', 'InvalidDBInstanceId.NotFound'],
    ]);
    expect(s.calls('RotateSecret')).toEqual([]);
    // A remediation the sweep queued before the failure event told the cause may run, and must do nothing.
    expect(s.invocations('kro-remediate').every((i) => i.outcome === 'ok')).toBe(true);
    expect(s.notifications().map((n) => [n.eventName, n.secrets])).toEqual([['KmsRotationEscalated', ['prod/orders']]]);
    const content = alertFields(s.alerts()[0]!.content) as Record<string, unknown>;
    expect(content).toMatchObject({ status: 'escalated', lastErrorCode: 'InvalidDBInstanceId.NotFound', attempts: 0 });
    expect(String(content.runbook)).toMatch(/RDS instance behind this secret no longer exists/);
    expect(parseAlertContent(s.alerts()[0]!.content).secretNames).toEqual(['prod/orders']);
  });
});
