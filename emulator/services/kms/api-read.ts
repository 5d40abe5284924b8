/** The read-side secret APIs (§2): DescribeSecret, GetSecretValue, ListSecrets, ListSecretVersionIds, GetSecretPolicy, GetRandomPassword. */
import { ApiError, type ApiReply } from '../../types';
import { boolParam, intParam, jsonParam, liveSecret, requireSecret, type KmsContext } from './context';
import { kmsErrors } from './errors';
import { apiDate, currentVersion, isManaged, secretArn, type SecretRecord } from './model';
import { randomPassword } from './secret-data';
import { FUZZY_FILTER_KEYS, IN_DELETE_WINDOW, POLICY_NOT_SUPPORTED } from './unconfirmed';

type Params = Record<string, string>;

export function tagsReply(secret: SecretRecord): { Tag: Array<{ TagKey: string; TagValue: string }> } {
  return { Tag: (secret.tags ?? []).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) };
}

function rotationFields(secret: SecretRecord): Record<string, unknown> {
  if (!isManaged(secret.type)) return {};
  return {
    ...(secret.autoRotation && secret.intervalSeconds ? { RotationInterval: `${secret.intervalSeconds}s` } : {}),
    ...(secret.lastRotation !== undefined ? { LastRotationDate: apiDate(secret.lastRotation) } : {}),
    ...(secret.autoRotation && secret.nextRotation !== undefined
      ? { NextRotationDate: apiDate(secret.nextRotation) }
      : {}),
  };
}

export function automaticRotation(secret: SecretRecord): string {
  return secret.state === 'Invalid' ? 'Invalid' : secret.autoRotation ? 'Enabled' : 'Disabled';
}

export function describeSecret(ctx: KmsContext, p: Params): ApiReply {
  const secret = requireSecret(ctx, p);
  const fetchTags = boolParam(p, 'FetchTags', false);
  return {
    Arn: secretArn(ctx.regionId, ctx.accountId, secret.name),
    SecretName: secret.name,
    SecretType: secret.type,
    Description: secret.description ?? '',
    EncryptionKeyId: secret.encryptionKeyId ?? '',
    DKMSInstanceId: secret.dkmsInstanceId ?? '',
    CreateTime: apiDate(secret.createdAt),
    UpdateTime: apiDate(secret.updatedAt),
    ...(secret.plannedDeleteAt !== undefined ? { PlannedDeleteTime: apiDate(secret.plannedDeleteAt) } : {}),
    AutomaticRotation: automaticRotation(secret),
    ...rotationFields(secret),
    ...(secret.extendedConfig ? { ExtendedConfig: JSON.stringify(secret.extendedConfig) } : {}),
    ...(fetchTags ? { Tags: tagsReply(secret) } : {}),
  };
}

export function getSecretValue(ctx: KmsContext, p: Params): ApiReply {
  const secret = requireSecret(ctx, p);
  if (boolParam(p, 'DryRun', false)) {
    throw new ApiError(400, 'DryRunOperationError', 'Request validation has been passed with DryRun flag set.');
  }
  if (secret.plannedDeleteAt !== undefined) throw kmsErrors.choice(IN_DELETE_WINDOW);
  const managed = isManaged(secret.type);
  const stage = p.VersionStage || undefined;
  // Managed secrets ignore VersionId and expose only ACSCurrent/ACSPrevious (§2).
  const versionId = managed ? undefined : p.VersionId || undefined;
  if (managed && stage && stage !== 'ACSCurrent' && stage !== 'ACSPrevious') {
    throw kmsErrors.invalid('VersionStage', 'Managed secrets support ACSCurrent and ACSPrevious only.');
  }
  let version = versionId ? secret.versions.find((v) => v.id === versionId) : undefined;
  if (versionId && !version) throw kmsErrors.notFound();
  if (version && stage && !version.stages.includes(stage))
    throw kmsErrors.invalid('VersionStage', 'The version does not carry this stage.');
  if (!version) version = stage ? secret.versions.find((v) => v.stages.includes(stage)) : currentVersion(secret);
  if (!version) throw kmsErrors.notFound();
  return {
    SecretName: secret.name,
    SecretType: secret.type,
    SecretData: version.data,
    SecretDataType: version.dataType,
    VersionId: version.id,
    CreateTime: apiDate(version.createdAt),
    VersionStages: { VersionStage: [...version.stages] },
    ...(managed ? { AutomaticRotation: automaticRotation(secret), ...rotationFields(secret) } : {}),
    ...(managed && boolParam(p, 'FetchExtendedConfig', false) && secret.extendedConfig
      ? { ExtendedConfig: JSON.stringify(secret.extendedConfig) }
      : {}),
  };
}

interface Filter {
  Key: string;
  Values: string[];
}

const FILTER_KEYS = new Set([
  'SecretName',
  'Description',
  'TagKey',
  'TagValue',
  'DKMSInstanceId',
  'SecretType',
  'Creator',
]);

function parseFilters(p: Params): Filter[] {
  const filters = jsonParam<Filter[]>(p, 'Filters') ?? [];
  if (!Array.isArray(filters) || filters.length > 10) throw kmsErrors.invalid('Filters', 'At most 10 filters.');
  for (const f of filters) {
    if (!f || !FILTER_KEYS.has(f.Key) || !Array.isArray(f.Values) || f.Values.length === 0) {
      throw kmsErrors.invalid('Filters', `Unsupported filter ${JSON.stringify(f)}.`);
    }
  }
  return filters;
}

function fieldOf(secret: SecretRecord, key: string): string[] {
  switch (key) {
    case 'SecretName':
      return [secret.name];
    case 'Description':
      return [secret.description ?? ''];
    case 'TagKey':
      return (secret.tags ?? []).map(([k]) => k);
    case 'TagValue':
      return (secret.tags ?? []).map(([, v]) => v);
    case 'DKMSInstanceId':
      return [secret.dkmsInstanceId ?? ''];
    case 'SecretType':
      return [secret.type.toLowerCase()];
    default:
      return [];
  }
}

function matchesFilters(secret: SecretRecord, filters: Filter[]): boolean {
  return filters.every((f) => {
    const fields = fieldOf(secret, f.Key);
    const fuzzy = FUZZY_FILTER_KEYS.has(f.Key);
    return f.Values.some((raw) => {
      const value = f.Key === 'SecretType' ? raw.toLowerCase() : raw;
      return fields.some((field) => (fuzzy ? field.includes(value) : field === value));
    });
  });
}

export function listSecrets(ctx: KmsContext, p: Params): ApiReply {
  const fetchTags = boolParam(p, 'FetchTags', false);
  const page = intParam(p, 'PageNumber', 1, 1, Number.MAX_SAFE_INTEGER);
  const size = intParam(p, 'PageSize', 10, 1, 100);
  const filters = parseFilters(p);
  const skip = (page - 1) * size;
  const rows: ApiReply[] = [];
  let total = 0;
  const now = ctx.clock.now();
  // One pass, no copy of the store: count every match, keep only this page's rows.
  for (const secret of ctx.secrets.values()) {
    if (secret.plannedDeleteAt !== undefined && secret.plannedDeleteAt <= now) {
      liveSecret(ctx, secret.name);
      continue;
    }
    if (filters.length > 0 && !matchesFilters(secret, filters)) continue;
    if (total >= skip && rows.length < size) {
      rows.push({
        SecretName: secret.name,
        SecretType: secret.type,
        CreateTime: apiDate(secret.createdAt),
        UpdateTime: apiDate(secret.updatedAt),
        ...(secret.plannedDeleteAt !== undefined ? { PlannedDeleteTime: apiDate(secret.plannedDeleteAt) } : {}),
        ...(fetchTags ? { Tags: tagsReply(secret) } : {}),
      });
    }
    total++;
  }
  return { PageNumber: page, PageSize: size, TotalCount: total, SecretList: { Secret: rows } };
}

export function listSecretVersionIds(ctx: KmsContext, p: Params): ApiReply {
  const secret = requireSecret(ctx, p);
  const includeDeprecated = boolParam(p, 'IncludeDeprecated', false);
  const page = intParam(p, 'PageNumber', 1, 1, Number.MAX_SAFE_INTEGER);
  const size = intParam(p, 'PageSize', 20, 1, 100);
  const versions = secret.versions.filter((v) => includeDeprecated || v.stages.length > 0);
  return {
    SecretName: secret.name,
    PageNumber: page,
    PageSize: size,
    TotalCount: versions.length,
    VersionIds: {
      VersionId: versions.slice((page - 1) * size, page * size).map((v) => ({
        VersionId: v.id,
        CreateTime: apiDate(v.createdAt),
        VersionStages: { VersionStage: [...v.stages] },
      })),
    },
  };
}

/** The policy a secret in a KMS instance has until SetSecretPolicy: its own account may do anything
 * (KMS "secret policy" page: by default the Alibaba Cloud account has all permissions). */
export function defaultSecretPolicy(accountId: string): string {
  return JSON.stringify({
    Version: '1',
    Statement: [
      {
        Sid: 'kms default secret policy',
        Effect: 'Allow',
        Principal: { RAM: [`acs:ram::${accountId}:*`] },
        Action: ['kms:*'],
        Resource: ['*'],
      },
    ],
  });
}

export function getSecretPolicy(ctx: KmsContext, p: Params): ApiReply {
  const secret = requireSecret(ctx, p);
  if (p.PolicyName && p.PolicyName !== 'default') throw kmsErrors.notFound();
  if (!secret.dkmsInstanceId) throw kmsErrors.choice(POLICY_NOT_SUPPORTED);
  return { Policy: secret.policy ?? defaultSecretPolicy(ctx.accountId) };
}

export function getRandomPassword(_ctx: KmsContext, p: Params): ApiReply {
  const length = intParam(p, 'PasswordLength', 32, 8, 128);
  const exclude = p.ExcludeCharacters ?? '';
  let password = randomPassword(length, exclude);
  if (p.ExcludeLowercase === 'true') password = password.replace(/[a-z]/g, 'A');
  if (p.ExcludeUppercase === 'true') password = password.replace(/[A-Z]/g, 'b');
  if (p.ExcludeNumbers === 'true') password = password.replace(/[0-9]/g, 'c');
  if (p.ExcludePunctuation === 'true') password = password.replace(/[^A-Za-z0-9]/g, 'd');
  return { RandomPassword: password };
}
