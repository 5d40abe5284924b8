/**
 * A secret as the orchestrator observes it, as plain data: the domain's own vocabulary. The KMS
 * port (shared/ports/kms.ts) returns these shapes; dates are epoch milliseconds, intervals seconds.
 */
export type SecretType = 'Generic' | 'Rds' | 'Redis' | 'RAMCredentials' | 'ECS' | 'PolarDB';
export type AutomaticRotation = 'Enabled' | 'Disabled' | 'Invalid';
export type Tags = Record<string, string>;

export interface SecretSummary {
  secretName: string;
  secretType: SecretType | string;
  createTime?: number;
  updateTime?: number;
  plannedDeleteTime?: number;
  tags: Tags;
}

export interface SecretDescription {
  secretName: string;
  arn?: string;
  secretType: SecretType | string;
  description?: string;
  createTime?: number;
  updateTime?: number;
  plannedDeleteTime?: number;
  automaticRotation?: AutomaticRotation | string;
  rotationIntervalSeconds?: number;
  lastRotationDate?: number;
  nextRotationDate?: number;
  /** Parsed from the JSON string the service returns; {} when absent. */
  extendedConfig: Record<string, unknown>;
  tags: Tags;
  /** The KMS instance holding the secret; absent for shared KMS (no secret policy, no end date). */
  dkmsInstanceId?: string;
}

export interface SecretVersion {
  versionId: string;
  createTime?: number;
  versionStages: string[];
}
