import { describe, expect, it } from 'vitest';
import { environmentKey, resolveCredentials } from '../../cli/credentials';
import { runSetup } from '../../cli/commands/setup';
import { createEmulator } from '../../emulator/emulator';
import { recordingIo } from './cli-io';

describe('one credentials story for s and kro', () => {
  it('takes the ALIBABA_CLOUD_* pair first, else the AccessKeyID / AccessKeySecret pair s deploy reads', async () => {
    expect(environmentKey({ AccessKeyID: 'LTAI-s', AccessKeySecret: 'sec-s' })).toEqual({
      accessKeyId: 'LTAI-s',
      accessKeySecret: 'sec-s',
    });
    expect(
      environmentKey({ AccessKeyID: 'LTAI-s', AccessKeySecret: 'sec-s', SecurityToken: 'tok' })?.securityToken,
    ).toBe('tok');
    expect(
      environmentKey({
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI-a',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'sec-a',
        AccessKeyID: 'LTAI-s',
        AccessKeySecret: 'sec-s',
      })?.accessKeyId,
    ).toBe('LTAI-a');
    expect(environmentKey({ AccessKeyID: 'LTAI-s' })).toBeUndefined();
    // Against Alibaba Cloud the named pair is used as is, without the default chain.
    expect(await resolveCredentials({ AccessKeyID: 'LTAI-s', AccessKeySecret: 'sec-s' }, undefined)).toEqual({
      accessKeyId: 'LTAI-s',
      accessKeySecret: 'sec-s',
    });
  });

  it('kro setup signs with the AccessKeyID pair: a wrong secret is refused by the emulator, the right one works', async () => {
    const emulator = createEmulator({ now: '2026-11-22T00:00:00Z', quotas: false });
    try {
      const endpoint = `127.0.0.1:${(await emulator.listen({ port: 0 })).port}`;
      const key = emulator.defaultAccessKey;
      const run = async (secret: string) => {
        const { io, stderr } = recordingIo({
          env: { AccessKeyID: key.accessKeyId, AccessKeySecret: secret, KRO_ALERT_MAIL: 'secops@example.com' },
        });
        return { status: await runSetup(['--endpoint', endpoint], io).catch(() => 1), stderr: stderr() };
      };
      // The account already holds KMS's service-linked roles; setup adds only the function role.
      const functionRole = () => emulator.ram.roles().filter((r) => r.roleName === 'kro-orchestrator');
      const before = emulator.ram.roles().length;
      expect((await run('not-the-secret')).status).toBe(1);
      expect(functionRole()).toEqual([]);
      expect((await run(key.accessKeySecret)).status).toBe(0);
      expect(functionRole()).toHaveLength(1);
      expect(emulator.ram.roles()).toHaveLength(before + 1);
    } finally {
      await emulator.close();
    }
  });
});
