/**
 * Issue 16: deleting a RAM secret does not delete its user's AccessKey. The deletion-scheduled
 * alert names the user, the AccessKey id that stays active and when it was last used, read with
 * the function role's own grants (ram ListAccessKeys, GetAccessKeyLastUsed); never the key secret.
 */
import { alertFields } from '../../shared/domain/alert-text';
import { describe, expect, it } from 'vitest';
import { createAlibabaClients } from '../../shared/adapters/alibaba';
import { loadConfig } from '../../shared/config';
import { parseAlertContent } from '../../shared/report';
import { aSecret, HOUR, MINUTE, startScenario } from '../helpers/scenario';

const NAME = 'acs/ram/user/ci-bot';

describe('a scheduled deletion of a RAM secret', () => {
  it('alerts with the RAM user and the AccessKey id left active and its last use, never the key secret', async () => {
    const secret = aSecret(NAME, 'ram');
    const { AccessKeys } = JSON.parse(secret.SecretData as string) as {
      AccessKeys: Array<{ AccessKeyId: string; AccessKeySecret: string }>;
    };
    const key = AccessKeys[0]!;
    const user = secret.ExtendedConfig!.UserName as string;
    const s = await startScenario({ secrets: [secret, aSecret('prod/orders', 'rds')] });
    await s.advance(5 * MINUTE);
    // An application signs a call with the key: RAM records its last use.
    const app = createAlibabaClients({
      config: loadConfig({ KRO_ENDPOINT: s.endpoint, KRO_PACING: 'false' }),
      credentials: { accessKeyId: key.AccessKeyId, accessKeySecret: key.AccessKeySecret },
      random: () => 0.5,
    });
    await app.kms.describeSecret(NAME).catch(() => undefined);
    const usedAt = new Date(s.now()).toISOString();
    await s.advance(HOUR);

    expect((await s.operatorCall('DeleteSecret', { SecretName: NAME, RecoveryWindowInDays: '7' })).status).toBe(200);
    await s.advance(HOUR);
    await s.sweepNow();

    const deletion = s.alerts().filter((a) => a.name === 'KmsSecretDeletionScheduled');
    expect(deletion).toHaveLength(1);
    const content = alertFields(deletion[0]!.content) as Record<string, any>;
    expect(parseAlertContent(deletion[0]!.content).secretNames).toEqual([NAME]);
    expect(content.evidence).toMatchObject({
      ramUserName: user,
      leftoverAccessKeys: `${key.AccessKeyId} last used ${usedAt}`,
    });
    expect(String(content.summary)).toContain(`RAM user ${user}: AccessKey ${key.AccessKeyId} stays active`);
    expect(String(content.runbook)).toContain('UpdateAccessKey Status=Inactive');
    // Read by the function role for the opening alert, not again on every sweep of the hour.
    const reads = s.calls().filter((c) => c.product === 'ram' && c.principal?.startsWith('assumed-role/'));
    expect(reads.map((c) => [c.action, c.code ?? 'ok'])).toEqual([
      ['ListAccessKeys', 'ok'],
      ['GetAccessKeyLastUsed', 'ok'],
    ]);

    // The key secret is nowhere: alerts, notifications, logs, tags.
    const everything = [
      ...s.alerts().map((a) => a.content),
      ...s.rawNotifications().flatMap((n) => n.contents),
      ...s.logs(),
      JSON.stringify(s.rawTags(NAME)),
    ].join('\n');
    expect(everything).toContain(key.AccessKeyId);
    expect(everything).not.toContain(key.AccessKeySecret);
  });
});
