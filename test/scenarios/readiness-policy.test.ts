/**
 * Who can read a secret (issue 16): with the real clients against the emulator, a KMS-instance
 * secret whose policy admits `*` is broad (secret-policy-broad), one naming only the account's
 * roles is not, and a secret in shared KMS is reported as having no policy instead of failing.
 */
import { describe, expect, it } from 'vitest';
import { createAlibabaClients } from '../../shared/adapters/alibaba';
import { loadConfig } from '../../shared/config';
import { createReadinessReader } from '../../shared/readiness/reader';
import { listeningEmulator } from '../helpers/emulator';

const ACCOUNT = '1234567890123456';
const doc = (principals: string[]) =>
  JSON.stringify({
    Version: '1',
    Statement: [{ Effect: 'Allow', Principal: { RAM: principals }, Action: ['kms:GetSecretValue'], Resource: ['*'] }],
  });

describe('secret policies', () => {
  it('flags a policy admitting *, passes one naming the account roles, and says "no policy" for shared KMS', async () => {
    const { emulator, endpoint } = await listeningEmulator({
      seed: {
        AccountId: ACCOUNT,
        Now: '2026-11-01T00:00:00Z',
        Secrets: [
          { SecretName: 'open', SecretData: 'x', DKMSInstanceId: 'kst-1', Policy: doc(['*']) },
          {
            SecretName: 'closed',
            SecretData: 'x',
            DKMSInstanceId: 'kst-1',
            Policy: doc([`acs:ram::${ACCOUNT}:role/app`]),
          },
          { SecretName: 'default', SecretData: 'x', DKMSInstanceId: 'kst-1' },
          { SecretName: 'shared', SecretData: 'x' },
        ],
      },
    });
    const config = loadConfig({ KRO_ENDPOINT: endpoint, KRO_PACING: 'false', KRO_ACCOUNT_ID: ACCOUNT });
    const clients = createAlibabaClients({ config, credentials: emulator.defaultAccessKey, random: () => 0.5 });
    const reader = createReadinessReader(clients.targets);
    const policyOf = async (name: string) => reader.policy(await clients.kms.describeSecret(name), ACCOUNT);
    expect(await policyOf('open')).toEqual({ kind: 'policy', principals: ['*'], broad: ['*'] });
    expect(await policyOf('closed')).toEqual({
      kind: 'policy',
      principals: [`acs:ram::${ACCOUNT}:role/app`],
      broad: [],
    });
    expect(await policyOf('default')).toMatchObject({ kind: 'policy', broad: [] });
    expect(await policyOf('shared')).toEqual({ kind: 'no-policy' });
    // No GetSecretPolicy call for the shared secret.
    expect(
      emulator
        .callLog()
        .filter((c) => c.action === 'GetSecretPolicy')
        .map((c) => c.params.SecretName),
    ).toEqual(['open', 'closed', 'default']);
  });
});

describe('the key a deleted RAM secret leaves behind', () => {
  it('names the user, the AccessKey id that stays active and its last use, never the key secret', async () => {
    const { leftoverKeys } = await import('../../shared/readiness/leftover-keys');
    const { withLeftoverKeys } = await import('../../shared/domain/checks');
    const keySecret = 'not-a-real-secret-but-secret-shaped-1';
    const { emulator, endpoint } = await listeningEmulator({
      seed: {
        AccountId: ACCOUNT,
        Now: '2026-11-01T00:00:00Z',
        Secrets: [
          {
            SecretName: 'acs/ram/user/svc',
            SecretType: 'RAMCredentials',
            SecretData: JSON.stringify({
              AccessKeys: [{ AccessKeyId: 'LTAI5tSvcKey000000000009', AccessKeySecret: keySecret }],
            }),
            ExtendedConfig: { SecretSubType: 'RamUserAccessKey', UserName: 'svc' },
          },
        ],
      },
    });
    const config = loadConfig({ KRO_ENDPOINT: endpoint, KRO_PACING: 'false', KRO_ACCOUNT_ID: ACCOUNT });
    const clients = createAlibabaClients({ config, credentials: emulator.defaultAccessKey, random: () => 0.5 });
    // An application uses the key, then the secret is scheduled for deletion.
    const app = createAlibabaClients({
      config,
      credentials: { accessKeyId: 'LTAI5tSvcKey000000000009', accessKeySecret: keySecret },
      random: () => 0.5,
    });
    await app.kms.describeSecret('acs/ram/user/svc');
    await clients.kms.deleteSecret({ secretName: 'acs/ram/user/svc', recoveryWindowInDays: 7 });
    const description = await clients.kms.describeSecret('acs/ram/user/svc');
    const left = await leftoverKeys(clients.targets, description);
    expect(left).toEqual({
      userName: 'svc',
      keys: [{ accessKeyId: 'LTAI5tSvcKey000000000009', lastUsed: '2026-11-01T00:00:00.000Z' }],
    });
    const { evidence, runbook, summary } = withLeftoverKeys(
      {
        checkId: 'deletion-scheduled',
        severity: 'warning',
        secretName: 'acs/ram/user/svc',
        summary: 'acs/ram/user/svc is scheduled for deletion.',
        evidence: {},
        runbook: 'Restore it if this is a mistake',
        remediable: false,
      },
      left as NonNullable<typeof left>,
    );
    expect(evidence).toEqual({
      ramUserName: 'svc',
      leftoverAccessKeys: 'LTAI5tSvcKey000000000009 last used 2026-11-01T00:00:00.000Z',
    });
    expect(summary).toContain('RAM user svc: AccessKey LTAI5tSvcKey000000000009 stays active');
    expect(JSON.stringify({ evidence, runbook, summary })).not.toContain(keySecret);
  });
});
