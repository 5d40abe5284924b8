/**
 * The KMS shared gateway's quota groups and their documented limits (alibaba-cloud-apis.md §8).
 * Which operation falls in which group is declared with the operation in kms-operations.ts,
 * shared by the client's pacing and the emulator's throttling.
 */
import { isKmsAction, KMS_OPERATIONS } from './kms-operations';

export type QuotaGroup = 'read' | 'list' | 'write' | 'rotate';

/** Documented limits: calls per second, except rotate (per hour). */
export const DEFAULT_QUOTAS: Readonly<Record<QuotaGroup, { limit: number; perMs: number }>> = {
  read: { limit: 450, perMs: 1000 },
  list: { limit: 40, perMs: 1000 },
  write: { limit: 10, perMs: 1000 },
  rotate: { limit: 50, perMs: 3_600_000 },
};

/** An operation the table does not know counts as list and metadata, the most guarded per-second group. */
export function quotaGroupOf(action: string): QuotaGroup {
  return isKmsAction(action) ? KMS_OPERATIONS[action].quota : 'list';
}
