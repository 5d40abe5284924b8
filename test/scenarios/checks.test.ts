/** Issue 4 acceptance 7: each of the nine checks fires on a seeded case and stays quiet on a healthy one. */
import { describe, expect, it } from 'vitest';
import { SAMPLED_CHECKS } from '../../shared/domain/check-catalog';
import { CHECK_IDS } from '../../shared/domain/types';
import { aSecret, type SecretKind, DAY, MINUTE, START_MS, startScenario } from '../helpers/scenario';
import { alertFields } from '../../shared/domain/alert-text';

const iso = (ms: number) => new Date(ms).toISOString();

const SEEDED = {
  'prod/failed': 'rotation-failed',
  'acs/ecs/web-overdue': 'rotation-overdue',
  'prod/stuck': 'stuck-in-progress',
  'prod/disabled': 'rotation-disabled',
  'prod/interval': 'interval-out-of-policy',
  'prod/single': 'single-user-rds',
  'prod/stale': 'generic-stale',
  'prod/deleting': 'deletion-scheduled',
  'prod/key-deleted': 'verification-failed',
} as const;

const HEALTHY: Array<[string, SecretKind]> = [
  ['ok/rds', 'rds'],
  ['ok/ram', 'ram'],
  ['acs/ecs/ok', 'ecs'],
  ['ok/redis', 'redis'],
  ['ok/polardb', 'polardb'],
  ['ok/generic', 'generic'],
];

describe('the nine checks', () => {
  it('each fire once on their seeded secret and never on a healthy one', async () => {
    const s = await startScenario({
      secrets: [
        // Due at once; the rotation fails (transient) with its own instance, so no grouping.
        aSecret('prod/failed', 'rds', {
          LastRotationDate: iso(START_MS - 8 * DAY),
          ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-failed' },
          Faults: [{ Kind: 'RotationFailure', ErrorCode: 'InternalFailure', Times: 1 }],
        }),
        // KMS's scheduled rotation starts and never finishes: no API call shows it, the schedule does.
        aSecret('acs/ecs/web-overdue', 'ecs', {
          LastRotationDate: iso(START_MS - 7 * DAY - 10 * MINUTE),
          Faults: [{ Kind: 'RotationStuck' }],
        }),
        // An operator's RotateSecret that never finishes (started below).
        aSecret('prod/stuck', 'rds', {
          ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-stuck' },
          Faults: [{ Kind: 'RotationStuck' }],
        }),
        aSecret('prod/disabled', 'rds', { EnableAutomaticRotation: false, RotationInterval: undefined }),
        aSecret('prod/interval', 'rds', { RotationInterval: '90d' }),
        aSecret('prod/single', 'rds-single'),
        aSecret('prod/stale', 'generic', { CreateTime: iso(START_MS - 200 * DAY) }),
        aSecret('prod/deleting', 'rds', { DeleteAfterDays: 7 }),
        aSecret('prod/key-deleted', 'ram'),
        ...HEALTHY.map(([name, kind]) => aSecret(name, kind)),
      ],
      // Every secret probed at least once an hour.
      functionEnv: { KRO_VERIFY_SCHEDULE_HOURS: '1' },
    });
    // Someone deletes the RAM user's current AccessKey in the console: only a probe can notice.
    const seeded = JSON.parse(aSecret('prod/key-deleted', 'ram').SecretData!) as {
      AccessKeys: Array<{ AccessKeyId: string }>;
    };
    expect(s.emulator.auth.deleteAccessKey(seeded.AccessKeys[0]!.AccessKeyId)).toBe(true);
    expect((await s.operatorCall('RotateSecret', { SecretName: 'prod/stuck', VersionId: 'ops-manual-1' })).status).toBe(
      200,
    );

    await s.advance(70 * MINUTE);

    const opened = new Map<string, Set<string>>();
    for (const alert of s.alerts()) {
      const content = alertFields(alert.content) as { secretName?: string; checkId?: string; status?: string };
      if (!content.secretName || !content.checkId || alert.name === 'KmsRotationRecovered') continue;
      opened.set(content.secretName, (opened.get(content.secretName) ?? new Set()).add(content.checkId));
    }
    const fired = Object.fromEntries([...opened].map(([name, checks]) => [name, [...checks].sort()]));
    expect(fired).toEqual(Object.fromEntries(Object.entries(SEEDED).map(([name, check]) => [name, [check]])));
    // The sampled readiness checks run on their turn, not within the hour: readiness-sweep.test.ts.
    expect(new Set(Object.values(SEEDED))).toEqual(new Set(CHECK_IDS.filter((id) => !SAMPLED_CHECKS.includes(id))));
    for (const [name] of HEALTHY) expect(s.state(name).episodes).toEqual([]);
    // Deletion is reported with the date it becomes permanent.
    const deletion = s.alerts().find((a) => a.name === 'KmsSecretDeletionScheduled')!;
    expect(alertFields(deletion.content)).toMatchObject({ evidence: { plannedDeleteTime: iso(START_MS + 7 * DAY) } });
  });
});
