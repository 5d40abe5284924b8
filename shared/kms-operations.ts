/**
 * Every KMS operation the project speaks, declared once: whether it writes (ActionTrail records
 * write calls, and only those reach EventBridge as `kms:ActionTrail:ApiCall`) and which quota
 * group of the shared gateway it counts against. The emulator's KMS handlers are keyed by this
 * table (emulator/services/kms/index.ts: a handler per operation, no more, no less), its
 * throttling and the client's pacing read the quota group from it (quota-groups.ts).
 *
 * Quota groups: the documented groups (alibaba-cloud-apis.md §8: create/delete 10 QPS, query and
 * get values 450, list and metadata 40, RotateSecret 50 per hour) are per account and region;
 * which API belongs to which group is UNCONFIRMED, so this table is the project's choice.
 * Writes: the KMS API reference's read/write classification of each operation (ActionTrail logs
 * write events by default, alibaba-cloud-apis.md §4).
 */
import type { QuotaGroup } from './quota-groups';

export interface KmsOperation {
  access: 'read' | 'write';
  quota: QuotaGroup;
}

export const KMS_OPERATIONS = {
  CreateSecret: { access: 'write', quota: 'write' },
  DescribeSecret: { access: 'read', quota: 'read' },
  GetSecretValue: { access: 'read', quota: 'read' },
  ListSecrets: { access: 'read', quota: 'list' },
  ListSecretVersionIds: { access: 'read', quota: 'list' },
  PutSecretValue: { access: 'write', quota: 'list' },
  UpdateSecret: { access: 'write', quota: 'list' },
  UpdateSecretRotationPolicy: { access: 'write', quota: 'list' },
  UpdateSecretVersionStage: { access: 'write', quota: 'list' },
  DeleteSecret: { access: 'write', quota: 'write' },
  RestoreSecret: { access: 'write', quota: 'list' },
  RotateSecret: { access: 'write', quota: 'rotate' },
  TagResource: { access: 'write', quota: 'list' },
  UntagResource: { access: 'write', quota: 'list' },
  SetSecretPolicy: { access: 'write', quota: 'list' },
  GetSecretPolicy: { access: 'read', quota: 'list' },
  GetRandomPassword: { access: 'read', quota: 'list' },
  TagResources: { access: 'write', quota: 'list' },
  UntagResources: { access: 'write', quota: 'list' },
  /** The KMS instance's status and end date (readiness forecast). */
  GetKmsInstance: { access: 'read', quota: 'list' },
  ListTagResources: { access: 'read', quota: 'list' },
} as const satisfies Record<string, KmsOperation>;

export type KmsAction = keyof typeof KMS_OPERATIONS;

export function isKmsAction(action: string): action is KmsAction {
  return Object.hasOwn(KMS_OPERATIONS, action);
}

/** The operations ActionTrail records (write calls). */
export const KMS_WRITE_ACTIONS: ReadonlySet<string> = new Set(
  (Object.keys(KMS_OPERATIONS) as KmsAction[]).filter((action) => KMS_OPERATIONS[action].access === 'write'),
);
