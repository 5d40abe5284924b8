/**
 * Which KMS API falls in which quota group. The documented groups (alibaba-cloud-apis.md §8) are
 * per account and region; which API belongs to which group is UNCONFIRMED, so this one table is
 * the project's choice, shared by the client's pacing and the emulator's throttling.
 */
export type QuotaGroup = 'read' | 'list' | 'write' | 'rotate';

export const QUOTA_GROUP_OF_ACTION: Readonly<Record<string, QuotaGroup>> = {
  DescribeSecret: 'read',
  GetSecretValue: 'read',
  ListSecrets: 'list',
  ListSecretVersionIds: 'list',
  PutSecretValue: 'list',
  UpdateSecret: 'list',
  UpdateSecretRotationPolicy: 'list',
  UpdateSecretVersionStage: 'list',
  RestoreSecret: 'list',
  TagResource: 'list',
  UntagResource: 'list',
  GetSecretPolicy: 'list',
  SetSecretPolicy: 'list',
  CreateSecret: 'write',
  DeleteSecret: 'write',
  RotateSecret: 'rotate',
};

/** Documented limits: calls per second, except rotate (per hour). */
export const DEFAULT_QUOTAS: Readonly<Record<QuotaGroup, { limit: number; perMs: number }>> = {
  read: { limit: 450, perMs: 1000 },
  list: { limit: 40, perMs: 1000 },
  write: { limit: 10, perMs: 1000 },
  rotate: { limit: 50, perMs: 3_600_000 },
};

export function quotaGroupOf(action: string): QuotaGroup {
  return QUOTA_GROUP_OF_ACTION[action] ?? 'list';
}
