/**
 * The seed format (issue 3, item 12), in the API's own names, validated whole before anything is
 * loaded: one SeedError lists every bad entry, and the emulator never starts half seeded.
 */
import { z } from 'zod';
import type { FaultSpec } from './types';
import { SECRET_TYPES, parseInterval } from './services/kms/model';
import { extendedConfigProblem } from './services/kms/secret-data';
import { targetsSeedSchema } from './services/targets/seed';
import { DEFAULT_INTERVAL_BOUNDS, MAX_TAGS_PER_SECRET, RECOVERY_WINDOW_DAYS } from './services/kms/unconfirmed';

const FAULT_KINDS = [
  'RotationFailure',
  'RotationStuck',
  'RotationNotApplied',
  'ApiError',
  'Throttle',
  'Latency',
  'DropConnection',
  'EventDrop',
  'EventDuplicate',
  'EventReorder',
  'EventDelay',
  'FunctionCrash',
] as const;

const dateText = z.string().refine((s) => !Number.isNaN(Date.parse(s)), {
  error: (issue) => `${JSON.stringify(issue.input)} is not a date (use 2026-01-01T00:00:00Z)`,
});

export const faultSchema = z
  .object({
    Kind: z.enum(FAULT_KINDS),
    Id: z.string().optional(),
    SecretName: z.string().optional(),
    Product: z.enum(['kms', 'actiontrail', 'cms', 'sts', 'fc', 'ram', 'rds', 'ecs', 'r-kvstore', 'polardb']).optional(),
    Action: z.string().optional(),
    Group: z.string().optional(),
    EventType: z.string().optional(),
    FunctionName: z.string().optional(),
    ErrorCode: z.string().optional(),
    ErrorMessage: z.string().optional(),
    HttpStatus: z.number().int().min(400).max(599).optional(),
    Ms: z.number().int().min(0).optional(),
    Times: z.number().int().min(1).optional(),
    Rate: z.number().min(0).max(1).optional(),
  })
  .strict();

const bindingSchema = z
  .object({
    Engine: z.enum(['postgresql', 'mysql', 'redis']),
    Host: z.string().min(1),
    Port: z.number().int().min(1).max(65535),
    AdminUser: z.string().optional(),
    AdminPassword: z.string().optional(),
    Database: z.string().optional(),
  })
  .strict();

const intervalText = z.string().refine(
  (s) => {
    const seconds = parseInterval(s);
    return (
      seconds !== undefined &&
      seconds >= DEFAULT_INTERVAL_BOUNDS.minSeconds &&
      seconds <= DEFAULT_INTERVAL_BOUNDS.maxSeconds
    );
  },
  {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not an interval from 6h to 365d (an integer followed by d, h, m or s)`,
  },
);

const secretSchema = z
  .object({
    SecretName: z.string().min(1).max(192),
    SecretType: z.enum(SECRET_TYPES).default('Generic'),
    SecretData: z.string().optional(),
    SecretDataType: z.enum(['text', 'binary']).optional(),
    VersionId: z.string().min(1).max(64).optional(),
    Description: z.string().max(1024).optional(),
    ExtendedConfig: z.record(z.string(), z.unknown()).optional(),
    EnableAutomaticRotation: z.boolean().optional(),
    RotationInterval: intervalText.optional(),
    LastRotationDate: dateText.optional(),
    CreateTime: dateText.optional(),
    Tags: z.record(z.string(), z.string()).optional(),
    /** The customer key (CMK) that encrypts the secret: GetSecretValue then needs kms:Decrypt on it. */
    EncryptionKeyId: z.string().min(1).max(128).optional(),
    Faults: z.array(faultSchema).optional(),
    Backing: bindingSchema.optional(),
    PlannedDeleteTime: dateText.optional(),
    DeleteAfterDays: z.number().int().min(RECOVERY_WINDOW_DAYS.min).max(RECOVERY_WINDOW_DAYS.max).optional(),
    DeletedTarget: z.boolean().optional(),
    /** The KMS instance holding the secret (CreateSecret DKMSInstanceId); only such secrets have a policy. */
    DKMSInstanceId: z.string().min(1).optional(),
    /** SetSecretPolicy's document (secrets in a KMS instance). */
    Policy: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const problem = extendedConfigProblem(s.SecretType, s.ExtendedConfig);
    if (problem) ctx.addIssue({ code: 'custom', path: ['ExtendedConfig'], message: problem });
    const autoData = s.SecretType === 'Redis' || s.SecretType === 'PolarDB';
    if (s.SecretData === undefined && !autoData)
      ctx.addIssue({ code: 'custom', path: ['SecretData'], message: 'is required for this SecretType' });
    if (s.EnableAutomaticRotation && !s.RotationInterval)
      ctx.addIssue({
        code: 'custom',
        path: ['RotationInterval'],
        message: 'is required when EnableAutomaticRotation is true',
      });
    if (s.EnableAutomaticRotation && s.SecretType === 'Generic')
      ctx.addIssue({
        code: 'custom',
        path: ['EnableAutomaticRotation'],
        message: 'Generic secrets have no managed rotation',
      });
    if (s.Tags && Object.keys(s.Tags).length > MAX_TAGS_PER_SECRET)
      ctx.addIssue({ code: 'custom', path: ['Tags'], message: `at most ${MAX_TAGS_PER_SECRET} tags` });
    if (s.Backing && !['Rds', 'PolarDB', 'Redis'].includes(s.SecretType))
      ctx.addIssue({
        code: 'custom',
        path: ['Backing'],
        message: 'only Rds, PolarDB and Redis secrets can be backed by a server',
      });
    if (s.Policy && !s.DKMSInstanceId)
      ctx.addIssue({
        code: 'custom',
        path: ['Policy'],
        message: 'only secrets in a KMS instance (DKMSInstanceId) have a secret policy',
      });
    if (s.PlannedDeleteTime && s.DeleteAfterDays)
      ctx.addIssue({
        code: 'custom',
        path: ['DeleteAfterDays'],
        message: 'give PlannedDeleteTime or DeleteAfterDays, not both',
      });
  });

const keySchema = z
  .object({
    AccessKeyId: z.string().min(1),
    AccessKeySecret: z.string().min(1),
    UserName: z.string().optional(),
  })
  .strict();

export const seedSchema = z
  .object({
    AccountId: z
      .string()
      .regex(/^\d{16}$/, 'must be 16 digits')
      .optional(),
    RegionId: z.string().min(1).optional(),
    Now: dateText.optional(),
    AccessKeys: z.array(keySchema).optional(),
    Secrets: z.array(secretSchema).optional(),
    Faults: z.array(faultSchema).optional(),
    /** Rotation targets (emulator/services/targets/seed.ts); undeclared ones are created healthy. */
    Targets: targetsSeedSchema.optional(),
  })
  .strict()
  .superRefine((seed, ctx) => {
    const seen = new Map<string, number>();
    (seed.Secrets ?? []).forEach((s, i) => {
      const first = seen.get(s.SecretName);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['Secrets', i, 'SecretName'],
          message: `"${s.SecretName}" is also Secrets[${first}]`,
        });
      else seen.set(s.SecretName, i);
    });
  });

export type Seed = z.infer<typeof seedSchema>;
export type SeedSecret = z.infer<typeof secretSchema>;
export type SeedFault = FaultSpec;

export class SeedError extends Error {
  override readonly name = 'SeedError';
  constructor(readonly problems: readonly string[]) {
    super(
      `invalid seed (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`,
    );
  }
}

function pathText(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out || '(seed)';
}

/** Parses and validates a seed (object or JSON text); throws one SeedError naming every bad entry. */
export function parseSeed(input: unknown): Seed {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new SeedError([`not JSON: ${(error as Error).message}`]);
    }
  }
  const result = seedSchema.safeParse(value);
  if (result.success) return result.data;
  throw new SeedError(result.error.issues.map((issue) => `${pathText(issue.path)}: ${issue.message}`));
}
