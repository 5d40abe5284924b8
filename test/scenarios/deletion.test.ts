/** Issue 4 acceptance 8: a scheduled deletion is reported once with its permanent date; RestoreSecret resolves it. */
import { describe, expect, it } from 'vitest';
import { aSecret, DAY, HOUR, MINUTE, startScenario } from '../helpers/scenario';
import { alertFields } from '../../shared/domain/alert-text';

describe('a scheduled deletion', () => {
  it('raises deletion-scheduled once with the permanent date, and RestoreSecret resolves it', async () => {
    const s = await startScenario({ secrets: [aSecret('prod/orders', 'rds'), aSecret('prod/other', 'rds-single')] });
    await s.advance(5 * MINUTE);
    const deleted = await s.operatorCall('DeleteSecret', { SecretName: 'prod/orders', RecoveryWindowInDays: '7' });
    expect(deleted.status).toBe(200);
    const permanent = new Date(s.now() + 7 * DAY).toISOString();
    await s.advance(HOUR);

    expect(
      s
        .notifications()
        .filter((n) => n.secrets.includes('prod/orders'))
        .map((n) => n.eventName),
    ).toEqual(['KmsSecretDeletionScheduled']);
    const alert = alertFields(s.alerts().find((a) => a.name === 'KmsSecretDeletionScheduled')!.content) as Record<
      string,
      any
    >;
    expect(alert).toMatchObject({
      secretName: 'prod/orders',
      checkId: 'deletion-scheduled',
      evidence: { plannedDeleteTime: permanent },
    });
    expect(String(alert.runbook)).toContain('aliyun kms RestoreSecret --SecretName prod/orders');
    // The other secret's problem is unaffected by a secret the orchestrator cannot tag.
    expect(
      s
        .notifications()
        .filter((n) => n.secrets.includes('prod/other'))
        .map((n) => n.eventName),
    ).toEqual(['KmsRotationPolicyViolation']);

    expect((await s.operatorCall('RestoreSecret', { SecretName: 'prod/orders' })).status).toBe(200);
    await s.advance(HOUR);
    expect(
      s
        .notifications()
        .filter((n) => n.secrets.includes('prod/orders'))
        .map((n) => n.eventName),
    ).toEqual(['KmsSecretDeletionScheduled', 'KmsRotationRecovered']);
    expect(s.state('prod/orders').episodes).toEqual([]);
    await s.advance(HOUR);
    expect(s.notifications().filter((n) => n.secrets.includes('prod/orders'))).toHaveLength(2);
  });
});
