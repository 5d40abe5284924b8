/**
 * Fuzzing the emulator's seed parser: seed files are written by hand. parseSeed either returns a
 * seed or throws one SeedError listing the problems; and a seed it accepts loads into a fresh
 * emulator without any other exception (a SeedError there too, never a crash half way).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../emulator/emulator';
import { parseSeed, SeedError } from '../../emulator/seed';
import { fleetSecret } from '../../bench/fleet';

const START = Date.parse('2026-01-05T00:00:00Z');

const TYPES = ['Generic', 'Rds', 'Redis', 'RAMCredentials', 'ECS', 'PolarDB'];
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '2026-01-01T00:00:00Z',
    'yesterday',
    '30d',
    '6h',
    '5h',
    '366d',
    '7d',
    '{}',
    '{"Accounts":[{"AccountName":"a","AccountPassword":"p"}]}',
    '{"AccessKeys":[{"AccessKeyId":"LTAI5tX","AccessKeySecret":"s"}]}',
    '{"UserName":"root","Password":"x"}',
  ),
);
const extendedConfig = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(
    fc.constantFrom(
      'SecretSubType',
      'DBInstanceId',
      'CustomData',
      'InstanceId',
      'UserName',
      'RegionId',
      'AccountName',
      'CloneAccountName',
      'DBClusterId',
      'DBType',
      'AccountType',
      'AccountPrivilege',
    ),
    fc.oneof(text, fc.constantFrom('SingleUser', 'DoubleUsers', 'RamUserAccessKey', 'Password', 'SSHKey')),
    { maxKeys: 6 },
  ),
  fc.jsonValue(),
);
const FIELDS = [
  'SecretName',
  'SecretType',
  'SecretData',
  'ExtendedConfig',
  'EnableAutomaticRotation',
  'RotationInterval',
  'LastRotationDate',
  'CreateTime',
  'Tags',
  'DeleteAfterDays',
  'PlannedDeleteTime',
  'Faults',
  'Backing',
  'DeletedTarget',
  'VersionId',
  'Unknown',
];
const fieldValue = fc.oneof(
  text,
  extendedConfig,
  fc.jsonValue(),
  fc.integer({ min: -1, max: 40 }),
  fc.boolean(),
  fc.constantFrom(...TYPES),
);
// A valid secret of the bench fleet (every type), then none, one or two tweaks: most seeds stay
// loadable, so the loader is exercised as much as the parser.
const secret = fc
  .tuple(
    fc.nat({ max: 99 }),
    fc.array(fc.tuple(fc.constantFrom(...FIELDS), fc.option(fieldValue, { nil: undefined })), { maxLength: 2 }),
  )
  .map(([i, tweaks]) => {
    const base: Record<string, unknown> = { ...fleetSecret(i, START) };
    for (const [field, value] of tweaks) {
      if (value === undefined) delete base[field];
      else base[field] = value;
    }
    return base;
  });
const seedLike = fc.record(
  {
    AccountId: fc.oneof(fc.constant('1234567890123456'), fc.string({ maxLength: 17 })),
    RegionId: fc.oneof(fc.constant('cn-hangzhou'), fc.string({ maxLength: 4 })),
    Now: fc.oneof(fc.constant('2026-01-05T00:00:00Z'), text),
    AccessKeys: fc.array(
      fc.record({ AccessKeyId: fc.string({ maxLength: 8 }), AccessKeySecret: fc.string({ maxLength: 8 }) }),
      { maxLength: 2 },
    ),
    Secrets: fc.array(secret, { maxLength: 4 }),
    Faults: fc.oneof(fc.constant([]), fc.jsonValue()),
  },
  { requiredKeys: ['Secrets'] },
);

function parsed(input: unknown): 'ok' | 'refused' {
  try {
    parseSeed(input);
    return 'ok';
  } catch (error) {
    if (!(error instanceof SeedError)) throw error;
    expect(error.problems.length).toBeGreaterThan(0);
    return 'refused';
  }
}

describe('fuzzing the seed parser', () => {
  it('throws only SeedError on arbitrary JSON values and text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.string({ maxLength: 60 }), fc.json()), (input) => {
        parsed(input);
      }),
      { numRuns: 1000 },
    );
  });

  it('throws only SeedError on seed-shaped input, and an accepted seed loads without a crash', async () => {
    let loadedSecrets = 0;
    await fc.assert(
      fc.asyncProperty(seedLike, async (input) => {
        if (parsed(input) !== 'ok') return;
        loadedSecrets += input.Secrets?.length ?? 0;
        try {
          await createEmulator({ seed: input, verifySignatures: false }).ready;
        } catch (error) {
          // The loader checks a few things parseSeed cannot (the API's name rules): a SeedError still.
          if (!(error instanceof SeedError)) throw error;
        }
      }),
      // A fixed seed: the count below depends on what the generator drew, so it must not vary by run.
      { numRuns: 600, seed: 42 },
    );
    // The generator must reach the loader with real secrets, not only refusals.
    expect(loadedSecrets).toBeGreaterThan(20);
  });
});
