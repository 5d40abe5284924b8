/** Issue 4 acceptance 9: a dry run evaluates and logs everything and writes nothing. */
import { describe, expect, it } from 'vitest';
import { aSecret, DAY, HOUR, MINUTE, START_MS, startScenario } from '../helpers/scenario';

const iso = (ms: number) => new Date(ms).toISOString();
const READ_ACTIONS = new Set([
  'ListSecrets',
  'DescribeSecret',
  'ListSecretVersionIds',
  'GetSecretValue',
  'LookupEvents',
  'GetCallerIdentity',
  'DescribeCustomEventAttribute',
  // The readiness forecast's reads of rotation targets (README, "Permissions and why").
  'DescribeDBInstanceAttribute',
  'DescribeAccounts',
  'DescribeInstances',
  'DescribeCloudAssistantStatus',
  'DescribeInstanceAttribute',
  'DescribeDBClusterAttribute',
  'GetUser',
  'ListAccessKeys',
  'GetRole',
  'GetKmsInstance',
  'GetSecretPolicy',
]);

describe('a dry run', () => {
  it('makes only read calls while failures and policy violations happen', async () => {
    const s = await startScenario({
      secrets: [
        aSecret('prod/failing', 'rds', {
          LastRotationDate: iso(START_MS - 7 * DAY + 5 * MINUTE),
          Faults: [{ Kind: 'RotationFailure', ErrorCode: 'InternalFailure' }],
        }),
        aSecret('prod/single', 'rds-single'),
        aSecret('prod/disabled', 'ram', { EnableAutomaticRotation: false, RotationInterval: undefined }),
        aSecret('prod/deleting', 'generic', { DeleteAfterDays: 7 }),
      ],
      env: { KRO_DRY_RUN: 'true' },
    });
    await s.advance(2 * HOUR);

    const byOrchestrator = s.calls().filter((c) => c.principal?.startsWith('assumed-role/'));
    expect(byOrchestrator.length).toBeGreaterThan(0);
    expect([...new Set(byOrchestrator.map((c) => c.action))].filter((a) => !READ_ACTIONS.has(a))).toEqual([]);
    expect(s.calls('RotateSecret')).toEqual([]);
    expect(s.calls().filter((c) => /^(Tag|Untag)Resources?$/.test(c.action))).toEqual([]);
    expect(s.alerts()).toEqual([]);
    expect(s.emulator.cms.metrics()).toEqual([]);
    expect(s.invocations('kro-remediate')).toEqual([]);
    // It still evaluated everything, and said what it would have done.
    expect(s.logRecords('dry run: alert not sent').map((r) => r.checkId)).toEqual(
      expect.arrayContaining(['rotation-failed', 'single-user-rds', 'rotation-disabled', 'deletion-scheduled']),
    );
    for (const name of ['prod/failing', 'prod/single', 'prod/disabled', 'prod/deleting'])
      expect(s.rawTags(name)['kro-state']).toBeUndefined();
  });
});
