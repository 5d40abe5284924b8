import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../emulator/emulator';
import { parseSeed, SeedError } from '../../emulator/seed';

const valid = {
  AccountId: '1234567890123456',
  RegionId: 'cn-hangzhou',
  Now: '2026-01-01T00:00:00Z',
  AccessKeys: [{ AccessKeyId: 'LTAI5tSeededKey0001', AccessKeySecret: 'seeded-secret' }],
  Secrets: [
    {
      SecretName: 'prod/orders-db',
      SecretType: 'Rds',
      SecretData: '{"Accounts":[{"AccountName":"orders","AccountPassword":"Init-Passw0rd"}]}',
      ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-orders' },
      EnableAutomaticRotation: true,
      RotationInterval: '7d',
      LastRotationDate: '2025-12-28T00:00:00Z',
      Tags: { env: 'prod' },
      Faults: [{ Kind: 'RotationFailure', ErrorCode: 'InternalFailure', Times: 2 }],
    },
    { SecretName: 'app/token', SecretData: 'x' },
  ],
};

function problemsOf(input: unknown): readonly string[] {
  try {
    parseSeed(input);
  } catch (error) {
    if (error instanceof SeedError) return error.problems;
    throw error;
  }
  return [];
}

describe('the seed', () => {
  it('loads the format of issue 3 with the API names', () => {
    const emulator = createEmulator({ seed: valid });
    expect(emulator.clock.now()).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(emulator.kms.secretNames()).toEqual(['prod/orders-db', 'app/token']);
    expect(emulator.kms.getSecret('prod/orders-db')).toMatchObject({
      NextRotationDate: '2026-01-04T00:00:00Z',
      Tags: { env: 'prod' },
    });
    expect(emulator.auth.lookup('LTAI5tSeededKey0001')?.accountId).toBe('1234567890123456');
    expect(emulator.faults.list()).toEqual([
      expect.objectContaining({ Kind: 'RotationFailure', SecretName: 'prod/orders-db', Times: 2 }),
    ]);
  });

  it('names every bad entry in one SeedError', () => {
    const problems = problemsOf({
      ...valid,
      Secrets: [
        valid.Secrets[0],
        { SecretName: 'a', SecretType: 'Rds', SecretData: '{}', ExtendedConfig: { SecretSubType: 'SingleUser' } },
        { SecretName: 'b', SecretData: 'x', RotationInterval: '2y' },
        { SecretName: 'c', SecretType: 'Oracle', SecretData: 'x' },
        { SecretName: 'd', SecretData: 'x', Faults: [{ Kind: 'Meteor' }] },
      ],
    });
    expect(problems).toEqual([
      'Secrets[1].ExtendedConfig: ExtendedConfig.DBInstanceId is required for Rds secrets.',
      'Secrets[2].RotationInterval: "2y" is not an interval from 6h to 365d (an integer followed by d, h, m or s)',
      expect.stringMatching(/^Secrets\[3\]\.SecretType: /),
      expect.stringMatching(/^Secrets\[4\]\.Faults\[0\]\.Kind: /),
    ]);
  });

  it('refuses duplicate names, unknown fields and a bad date', () => {
    expect(
      problemsOf({
        Secrets: [
          { SecretName: 'a', SecretData: 'x' },
          { SecretName: 'a', SecretData: 'y' },
        ],
      }),
    ).toEqual(['Secrets[1].SecretName: "a" is also Secrets[0]']);
    expect(problemsOf({ Secrets: [{ SecretName: 'a', SecretData: 'x', Colour: 'red' }] })[0]).toMatch(
      /^Secrets\[0\]: /,
    );
    expect(problemsOf({ Now: 'yesterday' })).toEqual(['Now: "yesterday" is not a date (use 2026-01-01T00:00:00Z)']);
  });

  it('does not start half seeded: a seed the API rules refuse loads nothing', async () => {
    const emulator = createEmulator({ now: '2026-01-01T00:00:00Z' });
    const bad = {
      AccessKeys: [{ AccessKeyId: 'LTAI5tNotLoaded', AccessKeySecret: 's' }],
      Secrets: [
        { SecretName: 'ok', SecretData: 'x' },
        {
          SecretName: 'i-1/root',
          SecretType: 'ECS',
          SecretData: '{"UserName":"root","Password":"p"}',
          ExtendedConfig: { SecretSubType: 'Password', InstanceId: 'i-1' },
        },
      ],
    };
    await expect(emulator.loadSeed(bad)).rejects.toThrow(SeedError);
    await expect(emulator.loadSeed(bad)).rejects.toThrow(/Secrets\[1\]: InvalidParameter/);
    expect(emulator.kms.secretNames()).toEqual([]);
    expect(emulator.auth.lookup('LTAI5tNotLoaded')).toBeUndefined();
    expect(() => createEmulator({ seed: { Secrets: [{ SecretName: 'x' }] } })).toThrow(SeedError);
  });

  it('schedules deletion for DeleteAfterDays and marks deleted targets', () => {
    const emulator = createEmulator({
      now: '2026-01-01T00:00:00Z',
      seed: { Secrets: [{ ...valid.Secrets[0], Faults: undefined, DeleteAfterDays: 7, DeletedTarget: true }] },
    });
    expect(emulator.kms.getSecret('prod/orders-db')).toMatchObject({
      PlannedDeleteTime: '2026-01-08T00:00:00Z',
      deletedTarget: true,
    });
  });

  it('holds 20,000 seeded secrets with one clock task for all their rotations', () => {
    const secrets = Array.from({ length: 20_000 }, (_, i) => ({
      SecretName: `fleet/${i}`,
      SecretType: 'Rds',
      SecretData: '{"Accounts":[{"AccountName":"u","AccountPassword":"p"}]}',
      ExtendedConfig: { SecretSubType: 'SingleUser', DBInstanceId: `rm-${i}` },
      EnableAutomaticRotation: true,
      RotationInterval: `${7 + (i % 20)}d`,
      LastRotationDate: '2025-12-28T00:00:00Z',
    }));
    const emulator = createEmulator({ now: '2026-01-01T00:00:00Z', seed: { Secrets: secrets } });
    expect(emulator.kms.count()).toBe(20_000);
    expect(emulator.clock.pending()).toBe(1);
  });
});
