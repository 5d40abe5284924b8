/** The orchestrator's domain vocabulary: plain data shared by checks, episodes and alerts. */
import type { SecretDescription, SecretVersion } from './secret';
import type { CheckId, Severity } from './check-catalog';

/** The checks and their metadata live in check-catalog.ts; re-exported here as the domain's vocabulary. */
export { CHECK_IDS, type CheckId, type Severity } from './check-catalog';

/** What the orchestrator knows about one secret at one moment. */
export interface ObservedSecret {
  description: SecretDescription;
  versions?: SecretVersion[];
  observedAt: number; // epoch ms
  /** The last rotation failure reported by an event or a remediation attempt. */
  lastFailure?: { errorCode: string; errorMessage?: string; at: number };
  /** When a rotation was seen to start (RotateSecret call, automatic start) and has not finished. */
  rotationStartedAt?: number;
  /** The last credential probe, where one ran. */
  verification?: { ok: boolean; reason?: string; at: number };
}

/**
 * The AccessKeys a deleted RAM secret leaves active (issue 16): the user, each key's id and when it
 * was last used ("never", an ISO date, or "not checked (<code>)"). Ids and dates only, never a secret.
 */
export interface LeftoverKeys {
  userName: string;
  keys: Array<{ accessKeyId: string; lastUsed: string }>;
  /** Why the user's keys could not be listed (denied, failing); then `keys` is empty. */
  notChecked?: string;
}

export interface Finding {
  checkId: CheckId;
  severity: Severity;
  secretName: string;
  /** One sentence for a human, no secret value. */
  summary: string;
  /** Facts behind the finding (dates, intervals, codes), no secret value. */
  evidence: Record<string, string | number | boolean>;
  runbook: string;
  /** What the failure shares with others, for grouping (RDS instance id, error code). */
  cause?: { errorCode?: string; target?: string };
  /** Whether retrying a rotation can fix it. */
  remediable: boolean;
}
