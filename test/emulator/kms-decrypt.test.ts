/**
 * GetSecretValue on a secret encrypted with a customer key needs kms:Decrypt on that key
 * (GetSecretValue API page; KMS RAM action table; emulator/services/kms/key-access.ts).
 */
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../emulator/services/contracts';
import { emulatorFixture } from '../helpers/emulator';

const NOW = '2026-01-01T00:00:00Z';
const KEY_ID = 'key-hzz6aaaa0000bbbb1111c';
const OTHER_KEY = 'key-hzz6zzzz9999yyyy8888x';
const READ = { Effect: 'Allow' as const, Action: ['kms:GetSecretValue'], Resource: 'acs:kms:*:*:secret/*' };

function fixture() {
  return emulatorFixture({
    now: NOW,
    quotas: false,
    seed: {
      Secrets: [
        { SecretName: 'app/cmk', SecretData: 'value-under-cmk', EncryptionKeyId: KEY_ID },
        { SecretName: 'app/default', SecretData: 'value-under-service-key' },
      ],
    },
  });
}

function roleKey(f: ReturnType<typeof fixture>, statements: PolicyDocument['Statement']) {
  f.emulator.auth.setRolePolicy('reader', { Version: '1', Statement: statements });
  return f.emulator.auth.issueStsToken({ roleName: 'reader' });
}

describe('kms:Decrypt for CMK-encrypted secrets', () => {
  it('refuses GetSecretValue without kms:Decrypt on the key, and logs the refused permission', async () => {
    const f = fixture();
    const key = roleKey(f, [READ]);
    const res = await f.call('GetSecretValue', { SecretName: 'app/cmk' }, { key });
    expect([res.status, res.body.Code]).toEqual([403, 'Forbidden.NoPermission']);
    expect(JSON.stringify(res.body)).not.toContain('value-under-cmk');
    expect(f.emulator.callLog().at(-1)).toMatchObject({
      action: 'GetSecretValue',
      code: 'Forbidden.NoPermission',
      denied: 'kms:Decrypt',
    });
  });

  it('answers once the role may decrypt with that key, and records the permission used', async () => {
    const f = fixture();
    const key = roleKey(f, [
      READ,
      { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: `acs:kms:cn-hangzhou:*:key/${KEY_ID}` },
    ]);
    const res = await f.call('GetSecretValue', { SecretName: 'app/cmk' }, { key });
    expect([res.status, res.body.SecretData]).toEqual([200, 'value-under-cmk']);
    expect(f.emulator.callLog().at(-1)).toMatchObject({ status: 200, implied: ['kms:Decrypt'] });
  });

  it('checks the key the secret names, not any key', async () => {
    const f = fixture();
    const key = roleKey(f, [
      READ,
      { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: `acs:kms:*:*:key/${OTHER_KEY}` },
    ]);
    expect((await f.call('GetSecretValue', { SecretName: 'app/cmk' }, { key })).body.Code).toBe(
      'Forbidden.NoPermission',
    );
  });

  it('needs nothing more for a secret under the key KMS manages', async () => {
    const f = fixture();
    const key = roleKey(f, [READ]);
    expect((await f.call('GetSecretValue', { SecretName: 'app/default' }, { key })).status).toBe(200);
  });

  it('honours an explicit Deny on the key', async () => {
    const f = fixture();
    const key = roleKey(f, [
      READ,
      { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: 'acs:kms:*:*:key/*' },
      { Effect: 'Deny', Action: ['kms:Decrypt'], Resource: `acs:kms:*:*:key/${KEY_ID}` },
    ]);
    expect((await f.call('GetSecretValue', { SecretName: 'app/cmk' }, { key })).body.Code).toBe(
      'Forbidden.NoPermission',
    );
  });

  it('keeps the key id from CreateSecret and shows it in DescribeSecret', async () => {
    const f = fixture();
    expect(
      (
        await f.call('CreateSecret', {
          SecretName: 'app/new',
          VersionId: 'v1',
          SecretData: 'x',
          EncryptionKeyId: KEY_ID,
        })
      ).status,
    ).toBe(200);
    expect((await f.call('DescribeSecret', { SecretName: 'app/new' })).body.EncryptionKeyId).toBe(KEY_ID);
    const key = roleKey(f, [READ]);
    expect((await f.call('GetSecretValue', { SecretName: 'app/new' }, { key })).body.Code).toBe(
      'Forbidden.NoPermission',
    );
  });
});
