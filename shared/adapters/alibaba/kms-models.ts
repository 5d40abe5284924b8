/**
 * KMS 2016-01-20 request and reply models (alibaba-cloud-apis.md §2). Replies are validated at
 * run time: unknown fields are tolerated (dropped), missing required ones are an InvalidResponse.
 */
import * as z from 'zod/mini';
import type { SecretDescription, SecretSummary, SecretValue, SecretVersion, Tags } from '../../ports/kms';
import {
  optionalText,
  wireCount,
  wireDate,
  wireInterval,
  wireJsonObject,
  wireStages,
  wireTags,
  wireText,
} from './wire-values';

export const KMS_VERSION = '2016-01-20';

// ---- requests of the calls beyond KmsPort ----

export interface CreateSecretInput {
  secretName: string;
  versionId: string;
  /** Sensitive. */
  secretData: string;
  secretDataType?: 'text' | 'binary';
  secretType?: string;
  extendedConfig?: Record<string, unknown>;
  enableAutomaticRotation?: boolean;
  /** Seconds; sent as `<n>s`. */
  rotationIntervalSeconds?: number;
  encryptionKeyId?: string;
  dkmsInstanceId?: string;
  description?: string;
  tags?: Tags;
  policy?: string;
}

export interface CreatedSecret {
  arn?: string;
  secretName: string;
  versionId?: string;
  secretType?: string;
  automaticRotation?: string;
  rotationIntervalSeconds?: number;
  nextRotationDate?: number;
  extendedConfig: Record<string, unknown>;
}

export interface PutSecretValueInput {
  secretName: string;
  versionId: string;
  /** Sensitive. */
  secretData: string;
  secretDataType?: 'text' | 'binary';
  versionStages?: string[];
}

export interface UpdateSecretVersionStageInput {
  secretName: string;
  versionStage: string;
  removeFromVersion?: string;
  moveToVersion?: string;
}

export interface DeleteSecretInput {
  secretName: string;
  recoveryWindowInDays?: number;
  forceDeleteWithoutRecovery?: boolean;
}

export const tagsParam = (tags: Tags) =>
  JSON.stringify(Object.entries(tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })));
export const intervalParam = (seconds: number) => `${Math.round(seconds)}s`;

// ---- replies ----

const required = z.string().check(z.minLength(1));

export const describeSecretReply = z.object({
  SecretName: required,
  Arn: optionalText,
  SecretType: wireText,
  Description: optionalText,
  CreateTime: wireDate,
  UpdateTime: wireDate,
  PlannedDeleteTime: wireDate,
  AutomaticRotation: optionalText,
  RotationInterval: wireInterval,
  LastRotationDate: wireDate,
  NextRotationDate: wireDate,
  ExtendedConfig: wireJsonObject,
  Tags: wireTags,
  /** The KMS instance holding the secret; empty for shared KMS (DescribeSecretResponseBody). */
  DKMSInstanceId: optionalText,
});

export function toDescription(r: z.output<typeof describeSecretReply>): SecretDescription {
  return compact({
    secretName: r.SecretName,
    arn: r.Arn,
    secretType: r.SecretType,
    description: r.Description,
    createTime: r.CreateTime,
    updateTime: r.UpdateTime,
    plannedDeleteTime: r.PlannedDeleteTime,
    automaticRotation: r.AutomaticRotation,
    rotationIntervalSeconds: r.RotationInterval,
    lastRotationDate: r.LastRotationDate,
    nextRotationDate: r.NextRotationDate,
    extendedConfig: r.ExtendedConfig,
    tags: r.Tags,
    dkmsInstanceId: r.DKMSInstanceId || undefined,
  });
}

const secretSummary = z.object({
  SecretName: required,
  SecretType: optionalText,
  CreateTime: wireDate,
  UpdateTime: wireDate,
  PlannedDeleteTime: wireDate,
  Tags: wireTags,
});

export const listSecretsReply = z.object({
  PageNumber: wireCount,
  PageSize: wireCount,
  TotalCount: wireCount,
  SecretList: z.optional(z.object({ Secret: z.optional(z.array(secretSummary)) })),
});

export function toSummary(s: z.output<typeof secretSummary>): SecretSummary {
  return compact({
    secretName: s.SecretName,
    // ListSecrets omits the type of Generic secrets in some samples.
    secretType: s.SecretType ?? 'Generic',
    createTime: s.CreateTime,
    updateTime: s.UpdateTime,
    plannedDeleteTime: s.PlannedDeleteTime,
    tags: s.Tags,
  });
}

export const getSecretValueReply = z.object({
  SecretName: required,
  SecretType: z.optional(wireText),
  SecretData: z.string(),
  SecretDataType: optionalText,
  VersionId: required,
  CreateTime: wireDate,
  VersionStages: wireStages,
});

export function toSecretValue(r: z.output<typeof getSecretValueReply>): SecretValue {
  return compact({
    secretName: r.SecretName,
    secretType: r.SecretType ?? 'Generic',
    versionId: r.VersionId,
    versionStages: r.VersionStages,
    secretData: r.SecretData,
    secretDataType: r.SecretDataType,
    createTime: r.CreateTime,
  });
}

export const listVersionIdsReply = z.object({
  PageNumber: z.optional(wireCount),
  PageSize: z.optional(wireCount),
  TotalCount: wireCount,
  VersionIds: z.optional(
    z.object({
      VersionId: z.optional(
        z.array(z.object({ VersionId: required, CreateTime: wireDate, VersionStages: wireStages })),
      ),
    }),
  ),
});

export function toVersions(r: z.output<typeof listVersionIdsReply>): SecretVersion[] {
  return (r.VersionIds?.VersionId ?? []).map((v) =>
    compact({ versionId: v.VersionId, createTime: v.CreateTime, versionStages: v.VersionStages }),
  );
}

export const rotateSecretReply = z.object({ VersionId: required, SecretName: optionalText, Arn: optionalText });

export const createSecretReply = z.object({
  SecretName: required,
  Arn: optionalText,
  VersionId: optionalText,
  SecretType: optionalText,
  AutomaticRotation: optionalText,
  RotationInterval: wireInterval,
  NextRotationDate: wireDate,
  ExtendedConfig: wireJsonObject,
});

export function toCreated(r: z.output<typeof createSecretReply>): CreatedSecret {
  return compact({
    arn: r.Arn,
    secretName: r.SecretName,
    versionId: r.VersionId,
    secretType: r.SecretType,
    automaticRotation: r.AutomaticRotation,
    rotationIntervalSeconds: r.RotationInterval,
    nextRotationDate: r.NextRotationDate,
    extendedConfig: r.ExtendedConfig,
  });
}

export const putSecretValueReply = z.object({
  SecretName: optionalText,
  VersionId: required,
  VersionStages: wireStages,
});
export const deleteSecretReply = z.object({ SecretName: optionalText, PlannedDeleteTime: wireDate });
export const getSecretPolicyReply = z.object({ Policy: z.string() });
export const acknowledgedReply = z.object({ RequestId: optionalText });

/** Optional fields absent rather than undefined. */
function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}
