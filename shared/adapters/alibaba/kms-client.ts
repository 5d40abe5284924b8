/**
 * KMS Secrets Manager (2016-01-20) over openapi-core `callApi`: the installable typed SDK (1.2.0)
 * lacks RotateSecret and drops the rotation fields (DESIGN D1), so the models are our own.
 */
import type * as z from 'zod/mini';
import {
  type KmsPort,
  LIST_SECRETS_PAGE_SIZE,
  type ListSecretsOptions,
  type ListSecretsPage,
  type SecretDescription,
  type SecretSummary,
  type SecretValue,
  type SecretVersion,
  type Tags,
} from '../../ports/kms';
import type { Caller } from './caller';
import {
  acknowledgedReply,
  createSecretReply,
  type CreatedSecret,
  type CreateSecretInput,
  deleteSecretReply,
  type DeleteSecretInput,
  describeSecretReply,
  getSecretPolicyReply,
  getSecretValueReply,
  intervalParam,
  KMS_VERSION,
  listSecretsReply,
  listVersionIdsReply,
  putSecretValueReply,
  type PutSecretValueInput,
  rotateSecretReply,
  tagsParam,
  toCreated,
  toDescription,
  toSecretValue,
  toSummary,
  toVersions,
  type UpdateSecretVersionStageInput,
} from './kms-models';
import { callRpc, parseReply, type RpcParams } from './rpc';

export class KmsClient implements KmsPort {
  constructor(
    private readonly client: any,
    private readonly caller: Caller,
  ) {}

  private async invoke<S extends z.ZodMiniType>(action: string, params: RpcParams, schema: S): Promise<z.output<S>> {
    const body = await this.caller.call('kms', action, () => callRpc(this.client, action, KMS_VERSION, params));
    return parseReply(schema, body, 'kms', action);
  }

  async listSecretsPage(page: number, options: ListSecretsOptions = {}): Promise<ListSecretsPage> {
    const reply = await this.invoke(
      'ListSecrets',
      {
        PageNumber: page,
        PageSize: options.pageSize ?? LIST_SECRETS_PAGE_SIZE,
        FetchTags: options.fetchTags ?? false,
        // Filters is ONE JSON string, not flattened (alibaba-cloud-apis.md §2 ListSecrets).
        Filters: options.filters?.length
          ? JSON.stringify(options.filters.map((f) => ({ Key: f.key, Values: f.values })))
          : undefined,
      },
      listSecretsReply,
    );
    return {
      pageNumber: reply.PageNumber,
      pageSize: reply.PageSize,
      totalCount: reply.TotalCount,
      secrets: (reply.SecretList?.Secret ?? []).map(toSummary),
    };
  }

  async *listSecrets(options: ListSecretsOptions = {}): AsyncIterable<SecretSummary> {
    const pageSize = options.pageSize ?? LIST_SECRETS_PAGE_SIZE;
    let seen = 0;
    for (let page = 1; ; page++) {
      const result = await this.listSecretsPage(page, { ...options, pageSize });
      for (const secret of result.secrets) yield secret;
      seen += result.secrets.length;
      // Stop on a short or empty page too: TotalCount may move while we page.
      if (result.secrets.length === 0 || result.secrets.length < pageSize || seen >= result.totalCount) return;
    }
  }

  async describeSecret(secretName: string, options: { fetchTags?: boolean } = {}): Promise<SecretDescription> {
    const reply = await this.invoke(
      'DescribeSecret',
      { SecretName: secretName, FetchTags: options.fetchTags ?? true },
      describeSecretReply,
    );
    return toDescription(reply);
  }

  async listSecretVersionIds(
    secretName: string,
    options: { includeDeprecated?: boolean } = {},
  ): Promise<SecretVersion[]> {
    const versions: SecretVersion[] = [];
    const pageSize = 100;
    for (let page = 1; ; page++) {
      const reply = await this.invoke(
        'ListSecretVersionIds',
        {
          SecretName: secretName,
          IncludeDeprecated: options.includeDeprecated ?? false,
          PageNumber: page,
          PageSize: pageSize,
        },
        listVersionIdsReply,
      );
      const batch = toVersions(reply);
      versions.push(...batch);
      if (batch.length === 0 || batch.length < pageSize || versions.length >= reply.TotalCount) return versions;
    }
  }

  async getSecretValue(
    secretName: string,
    options: { versionStage?: string; versionId?: string } = {},
  ): Promise<SecretValue> {
    const reply = await this.invoke(
      'GetSecretValue',
      { SecretName: secretName, VersionStage: options.versionStage, VersionId: options.versionId },
      getSecretValueReply,
    );
    return toSecretValue(reply);
  }

  async rotateSecret(secretName: string, versionId: string): Promise<{ versionId: string }> {
    const reply = await this.invoke(
      'RotateSecret',
      { SecretName: secretName, VersionId: versionId },
      rotateSecretReply,
    );
    return { versionId: reply.VersionId };
  }

  async tagResource(secretName: string, tags: Tags): Promise<void> {
    await this.invoke('TagResource', { SecretName: secretName, Tags: tagsParam(tags) }, acknowledgedReply);
  }

  async untagResource(secretName: string, tagKeys: string[]): Promise<void> {
    await this.invoke('UntagResource', { SecretName: secretName, TagKeys: JSON.stringify(tagKeys) }, acknowledgedReply);
  }

  async createSecret(input: CreateSecretInput): Promise<CreatedSecret> {
    const reply = await this.invoke(
      'CreateSecret',
      {
        SecretName: input.secretName,
        VersionId: input.versionId,
        SecretData: input.secretData,
        SecretDataType: input.secretDataType,
        SecretType: input.secretType,
        ExtendedConfig: input.extendedConfig ? JSON.stringify(input.extendedConfig) : undefined,
        EnableAutomaticRotation: input.enableAutomaticRotation,
        RotationInterval:
          input.rotationIntervalSeconds !== undefined ? intervalParam(input.rotationIntervalSeconds) : undefined,
        EncryptionKeyId: input.encryptionKeyId,
        DKMSInstanceId: input.dkmsInstanceId,
        Description: input.description,
        Tags: input.tags && Object.keys(input.tags).length > 0 ? tagsParam(input.tags) : undefined,
        Policy: input.policy,
      },
      createSecretReply,
    );
    return toCreated(reply);
  }

  async putSecretValue(input: PutSecretValueInput): Promise<{ versionId: string; versionStages: string[] }> {
    const reply = await this.invoke(
      'PutSecretValue',
      {
        SecretName: input.secretName,
        VersionId: input.versionId,
        SecretData: input.secretData,
        SecretDataType: input.secretDataType,
        VersionStages: input.versionStages ? JSON.stringify(input.versionStages) : undefined,
      },
      putSecretValueReply,
    );
    return { versionId: reply.VersionId, versionStages: reply.VersionStages };
  }

  async updateSecretRotationPolicy(
    secretName: string,
    policy: { enableAutomaticRotation: boolean; rotationIntervalSeconds?: number },
  ): Promise<void> {
    await this.invoke(
      'UpdateSecretRotationPolicy',
      {
        SecretName: secretName,
        EnableAutomaticRotation: policy.enableAutomaticRotation,
        RotationInterval:
          policy.rotationIntervalSeconds !== undefined ? intervalParam(policy.rotationIntervalSeconds) : undefined,
      },
      acknowledgedReply,
    );
  }

  async updateSecret(
    secretName: string,
    update: { description?: string; customData?: Record<string, string> },
  ): Promise<void> {
    await this.invoke(
      'UpdateSecret',
      {
        SecretName: secretName,
        Description: update.description,
        'ExtendedConfig.CustomData': update.customData ? JSON.stringify(update.customData) : undefined,
      },
      acknowledgedReply,
    );
  }

  async updateSecretVersionStage(input: UpdateSecretVersionStageInput): Promise<void> {
    await this.invoke(
      'UpdateSecretVersionStage',
      {
        SecretName: input.secretName,
        VersionStage: input.versionStage,
        RemoveFromVersion: input.removeFromVersion,
        MoveToVersion: input.moveToVersion,
      },
      acknowledgedReply,
    );
  }

  async deleteSecret(input: DeleteSecretInput): Promise<{ plannedDeleteTime?: number }> {
    const reply = await this.invoke(
      'DeleteSecret',
      {
        SecretName: input.secretName,
        RecoveryWindowInDays: input.recoveryWindowInDays,
        ForceDeleteWithoutRecovery: input.forceDeleteWithoutRecovery,
      },
      deleteSecretReply,
    );
    return reply.PlannedDeleteTime !== undefined ? { plannedDeleteTime: reply.PlannedDeleteTime } : {};
  }

  async restoreSecret(secretName: string): Promise<void> {
    await this.invoke('RestoreSecret', { SecretName: secretName }, acknowledgedReply);
  }

  async getSecretPolicy(secretName: string, policyName = 'default'): Promise<string> {
    const reply = await this.invoke(
      'GetSecretPolicy',
      { SecretName: secretName, PolicyName: policyName },
      getSecretPolicyReply,
    );
    return reply.Policy;
  }

  async setSecretPolicy(secretName: string, policy: string, policyName = 'default'): Promise<void> {
    await this.invoke(
      'SetSecretPolicy',
      { SecretName: secretName, Policy: policy, PolicyName: policyName },
      acknowledgedReply,
    );
  }
}
