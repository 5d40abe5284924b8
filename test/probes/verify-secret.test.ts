/**
 * verifySecret: picks the probe from the secret type and target, reads ACSCurrent, probes, and
 * never lets the value out (reasons and log lines). KMS and STS are small hand-written fakes;
 * the PostgreSQL case logs in to the real server.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createCredentialBackend } from '../../emulator/backends';
import { loadConfig } from '../../shared/config';
import type { Config } from '../../shared/config-types';
import { CloudError } from '../../shared/errors';
import { createLogger } from '../../shared/log';
import type { CallerIdentity, StsPort } from '../../shared/ports/cloud';
import type { KmsPort, SecretDescription } from '../../shared/ports/kms';
import { type AccountProbe, PROBE_TAG_KEY, verifySecret } from '../../shared/probes';
import { SERVERS, requireServer, uniqueAccountName } from '../helpers/servers';

const ACCOUNT = '1234567890123456';
const postgresAvailable = await requireServer('postgresql');

function fakeKms(values: Record<string, string | Error>): KmsPort {
  const notUsed = () => {
    throw new Error('not used by verification');
  };
  return {
    async getSecretValue(secretName, options) {
      expect(options?.versionStage).toBe('ACSCurrent');
      const value = values[secretName];
      if (value === undefined)
        throw new CloudError({
          code: 'Forbidden.ResourceNotFound',
          message: 'not found',
          product: 'kms',
          action: 'GetSecretValue',
          retryable: false,
        });
      if (value instanceof Error) throw value;
      return { secretName, secretType: 'x', versionId: 'v1', versionStages: ['ACSCurrent'], secretData: value };
    },
    listSecretsPage: notUsed,
    listSecrets: notUsed,
    describeSecret: notUsed,
    listSecretVersionIds: notUsed,
    rotateSecret: notUsed,
    tagResource: notUsed,
    untagResource: notUsed,
  };
}

function fakeSts(answer: (accessKeyId: string) => CallerIdentity | CloudError): StsPort & { calls: number } {
  const sts = {
    calls: 0,
    async getCallerIdentity(credentials?: { accessKeyId: string; accessKeySecret: string }) {
      sts.calls += 1;
      const result = answer(credentials?.accessKeyId ?? '');
      if (result instanceof CloudError) throw result;
      return result;
    },
  };
  return sts;
}

function stsError(code: string, retryable = false): CloudError {
  return new CloudError({ code, message: code, product: 'sts', action: 'GetCallerIdentity', retryable });
}

function secret(tweak: Partial<SecretDescription> = {}): SecretDescription {
  return { secretName: 'db_prod', secretType: 'Rds', extendedConfig: {}, tags: {}, ...tweak };
}

function setup(
  values: Record<string, string | Error>,
  options: { sts?: StsPort; config?: Partial<Config['verification']>; probes?: Record<string, AccountProbe> } = {},
) {
  const lines: string[] = [];
  const base = loadConfig({ KRO_ACCOUNT_ID: ACCOUNT });
  const config: Config = { ...base, verification: { ...base.verification, ...options.config } };
  const deps = {
    kms: fakeKms(values),
    sts: options.sts ?? fakeSts(() => stsError('NotExpected')),
    config,
    logger: createLogger({ level: 'debug', writeLine: (line) => lines.push(line) }),
    probes: options.probes,
    timeouts: { connectTimeoutMs: 2000, queryTimeoutMs: 2000 },
  };
  return { deps, lines };
}

const RAM_VALUE = JSON.stringify({
  AccessKeyId: 'LTAI5tAbCdEfGhIjKlMn',
  AccessKeySecret: 'ram-key-secret-value-xyz',
  GenerateTimestamp: '2023-03-25T10:42:40Z',
});
const ramSecret = secret({
  secretName: 'acs/ram/user/alice',
  secretType: 'RAMCredentials',
  extendedConfig: { SecretSubType: 'RamUserAccessKey', UserName: 'alice' },
});

describe('verifySecret: choosing what to probe', () => {
  it('skips a database secret without a probe target, saying how to add one', async () => {
    const { deps } = setup({});
    await expect(verifySecret(deps, secret())).resolves.toEqual({
      status: 'skipped',
      reason: expect.stringMatching(
        /no probe target: tag the secret kro-probe=<postgresql\|mysql>:\/\/host:port\/database/,
      ),
    });
  });

  it('skips secret types that have no probe', async () => {
    const { deps } = setup({});
    await expect(verifySecret(deps, secret({ secretType: 'ECS' }))).resolves.toMatchObject({
      status: 'skipped',
      reason: 'no probe exists for ECS secrets',
    });
  });

  it('skips everything when verification is disabled', async () => {
    const { deps } = setup({}, { config: { enabled: false } });
    await expect(
      verifySecret(deps, secret({ tags: { [PROBE_TAG_KEY]: 'postgresql://127.0.0.1:5432' } })),
    ).resolves.toMatchObject({ status: 'skipped' });
  });

  it('fails on a target tag that carries credentials, without repeating them', async () => {
    const { deps } = setup({});
    const result = await verifySecret(
      deps,
      secret({ tags: { [PROBE_TAG_KEY]: 'postgresql://admin:tagpass99@10.0.0.5:5432/app' } }),
    );
    expect(result).toMatchObject({ status: 'failed', reason: expect.stringMatching(/must not carry credentials/) });
    expect(JSON.stringify(result)).not.toContain('tagpass99');
  });

  it('fails when the target engine cannot serve the secret type', async () => {
    const { deps } = setup({});
    await expect(
      verifySecret(deps, secret({ secretType: 'Redis', tags: { [PROBE_TAG_KEY]: 'mysql://10.0.0.5:3306' } })),
    ).resolves.toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/is mysql, which a Redis secret cannot be/),
    });
  });

  it('takes the target from KRO_VERIFY_TARGETS when the secret has no tag', async () => {
    const seen: string[] = [];
    const probe: AccountProbe = async (target) => (seen.push(target.display), { ok: true });
    const { deps } = setup(
      { db_prod: JSON.stringify({ AccountName: 'app', AccountPassword: 'pw-config-target' }) },
      { config: { targets: { db_prod: 'mysql://10.0.0.6:3306/app' } }, probes: { mysql: probe } },
    );
    await expect(verifySecret(deps, secret())).resolves.toEqual({ status: 'ok' });
    expect(seen).toEqual(['mysql://10.0.0.6:3306/app']);
  });
});

describe('verifySecret: reading the value', () => {
  it('skips, not fails, when KMS is throttling', async () => {
    const throttled = new CloudError({
      code: 'Rejected.Throttling',
      message: 'QPS Limit Exceeded',
      product: 'kms',
      action: 'GetSecretValue',
      retryable: true,
    });
    const { deps } = setup({ db_prod: throttled });
    await expect(
      verifySecret(deps, secret({ tags: { [PROBE_TAG_KEY]: 'postgresql://127.0.0.1:5432' } })),
    ).resolves.toMatchObject({ status: 'skipped' });
  });

  it('fails with the permission to grant when GetSecretValue is forbidden', async () => {
    const forbidden = new CloudError({
      code: 'Forbidden.NoPermission',
      message: 'no',
      product: 'kms',
      action: 'GetSecretValue',
      retryable: false,
    });
    const { deps } = setup({ db_prod: forbidden });
    await expect(
      verifySecret(deps, secret({ tags: { [PROBE_TAG_KEY]: 'postgresql://127.0.0.1:5432' } })),
    ).resolves.toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/kms:GetSecretValue/),
    });
  });

  it('fails on a value without an account, naming the missing field and not the value', async () => {
    const { deps } = setup({ db_prod: JSON.stringify({ AccountPassword: 'orphan-password-7' }) });
    const result = await verifySecret(deps, secret({ tags: { [PROBE_TAG_KEY]: 'postgresql://127.0.0.1:5432' } }));
    expect(result).toEqual({ status: 'failed', reason: 'the ACSCurrent value has no AccountName' });
  });
});

describe('verifySecret: never leaking the value', () => {
  it('scrubs the password from a reason built from a driver error that echoes it', async () => {
    const password = 'Echoed-Passw0rd!';
    const echoing: AccountProbe = async (_target, credential) => ({
      ok: false,
      reason: `driver said: bad password "${credential.password}" (${encodeURIComponent(credential.password)})`,
    });
    const { deps, lines } = setup(
      { db_prod: JSON.stringify({ AccountName: 'app', AccountPassword: password }) },
      { probes: { postgresql: echoing } },
    );
    const result = await verifySecret(deps, secret({ tags: { [PROBE_TAG_KEY]: 'postgresql://127.0.0.1:5432' } }));
    expect(result).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('driver said: bad password "[REDACTED]"'),
    });
    expect(JSON.stringify(result)).not.toContain('Echoed-Passw0rd');
    expect(lines.join('\n')).not.toContain('Echoed-Passw0rd');
    expect(lines.join('\n')).toContain('credential verification failed');
  });

  it('retries once, and only once, when the connection was cut', async () => {
    let calls = 0;
    const flaky: AccountProbe = async () => (
      (calls += 1),
      { ok: false, reason: 'connection was cut', transient: true }
    );
    const { deps } = setup(
      { db_prod: JSON.stringify({ AccountName: 'app', AccountPassword: 'pw-flaky-1' }) },
      { probes: { postgresql: flaky } },
    );
    await verifySecret(deps, secret({ tags: { [PROBE_TAG_KEY]: 'postgresql://127.0.0.1:5432' } }));
    expect(calls).toBe(2);
  });
});

describe('verifySecret: RAM AccessKeys', () => {
  it("passes when STS accepts the key and it belongs to the secret's user", async () => {
    const sts = fakeSts(() => ({ accountId: ACCOUNT, arn: `acs:ram::${ACCOUNT}:user/alice`, identityType: 'RAMUser' }));
    const { deps } = setup({ 'acs/ram/user/alice': RAM_VALUE }, { sts });
    await expect(verifySecret(deps, ramSecret)).resolves.toEqual({ status: 'ok' });
    expect(sts.calls).toBe(1);
  });

  it('fails when STS says the key was deleted, with the code and a masked key id', async () => {
    const { deps, lines } = setup(
      { 'acs/ram/user/alice': RAM_VALUE },
      { sts: fakeSts(() => stsError('InvalidAccessKeyId.NotFound')) },
    );
    const result = await verifySecret(deps, ramSecret);
    expect(result).toEqual({
      status: 'failed',
      reason:
        'STS refused AccessKey LTAI***KlMn: the AccessKey does not exist (deleted by rotation or by hand) (InvalidAccessKeyId.NotFound)',
    });
    expect(lines.join('\n')).not.toContain('ram-key-secret-value-xyz');
  });

  it('fails when the key works but belongs to another user', async () => {
    const sts = fakeSts(() => ({ accountId: ACCOUNT, arn: `acs:ram::${ACCOUNT}:user/bob` }));
    const { deps } = setup({ 'acs/ram/user/alice': RAM_VALUE }, { sts });
    await expect(verifySecret(deps, ramSecret)).resolves.toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/belongs to RAM user bob, not alice/),
    });
  });

  it('skips, not fails, when STS is throttling', async () => {
    const { deps } = setup(
      { 'acs/ram/user/alice': RAM_VALUE },
      { sts: fakeSts(() => stsError('Throttling.User', true)) },
    );
    await expect(verifySecret(deps, ramSecret)).resolves.toMatchObject({ status: 'skipped' });
  });
});

describe.skipIf(!postgresAvailable)('verifySecret against the real PostgreSQL', () => {
  const backend = createCredentialBackend();
  const binding = SERVERS.postgresql.binding;
  const account = uniqueAccountName();
  afterAll(async () => {
    await backend.dropAccount(binding, account);
    await backend.close();
  });

  it('passes with the ACSCurrent account and fails, without the value, once the server has another password', async () => {
    await backend.setPassword(binding, account, 'kms-current-pw-1');
    const target = { [PROBE_TAG_KEY]: `postgresql://127.0.0.1:${binding.Port}/postgres` };
    const value = JSON.stringify({ AccountName: account, AccountPassword: 'kms-current-pw-1' });
    const { deps } = setup({ db_prod: value });
    await expect(verifySecret(deps, secret({ tags: target }))).resolves.toEqual({ status: 'ok' });

    // "KMS reports success but the password was not applied": KMS and the server disagree.
    await backend.setPassword(binding, account, 'server-only-pw-2');
    const result = await verifySecret(deps, secret({ tags: target }));
    expect(result).toMatchObject({ status: 'failed', reason: expect.stringMatching(/password authentication failed/) });
    expect(JSON.stringify(result)).not.toMatch(/kms-current-pw-1|server-only-pw-2/);
  });
});
