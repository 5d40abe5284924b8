/** The write-side secret APIs (§2). Each validates everything before it changes anything. */
import { randomUUID } from 'node:crypto';
import { ApiError, type ApiReply } from '../../types';
import { boolParam, jsonParam, liveSecret, purge, requireParam, requireSecret, type KmsContext } from './context';
import { buildSecret, intervalSeconds } from './create';
import { kmsErrors } from './errors';
import { apiDate, isManaged, nameFromParam, secretArn, type SecretRecord } from './model';
import { assertNotRotating, scheduleNext, startRotation } from './rotation';
import {
  IN_DELETE_WINDOW,
  MAX_STAGES,
  MAX_TAGS_PER_CALL,
  RECOVERY_WINDOW_DAYS,
  RESTORE_NOT_DELETED,
  UNSUPPORTED_FOR_TYPE,
  VERSION_EXISTS_WITH_OTHER_DATA,
  POLICY_NOT_SUPPORTED,
} from './unconfirmed';
import { tagsChanged, validateTags } from './tag-rules';
import { addVersion, moveStage } from './versions';

type Params = Record<string, string>;
const DAY_MS = 86_400_000;

function notDeleting(secret: SecretRecord): SecretRecord {
  if (secret.plannedDeleteAt !== undefined) throw kmsErrors.choice(IN_DELETE_WINDOW);
  return secret;
}

function parseTags(p: Params, name: string): Array<[string, string]> | undefined {
  const raw = jsonParam<Array<{ TagKey?: string; TagValue?: string }>>(p, name);
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) throw kmsErrors.invalid(name, 'Expected [{"TagKey":"k","TagValue":"v"}].');
  return raw.map((t) => {
    if (!t || typeof t.TagKey !== 'string') throw kmsErrors.invalid(name, 'Every tag needs a TagKey.');
    return [t.TagKey, String(t.TagValue ?? '')];
  });
}

export function createSecret(ctx: KmsContext, p: Params): ApiReply {
  const name = requireParam(p, 'SecretName');
  const versionId = requireParam(p, 'VersionId');
  const data = requireParam(p, 'SecretData');
  const extendedConfig = jsonParam<Record<string, unknown>>(p, 'ExtendedConfig');
  if (
    p.ExtendedConfig &&
    (p.ExtendedConfig.length > 1024 || typeof extendedConfig !== 'object' || extendedConfig === null)
  ) {
    throw kmsErrors.invalid('ExtendedConfig', 'A JSON object of at most 1024 characters.');
  }
  if (p.Policy && Buffer.byteLength(p.Policy) > 32768) throw kmsErrors.invalid('Policy', 'At most 32768 bytes.');
  const secret = buildSecret(ctx, {
    name,
    type: p.SecretType || 'Generic',
    data,
    dataType: p.SecretDataType || undefined,
    versionId,
    extendedConfig,
    enableAutomaticRotation: boolParam(p, 'EnableAutomaticRotation', false),
    rotationInterval: p.RotationInterval || undefined,
    description: p.Description || undefined,
    tags: parseTags(p, 'Tags'),
    policy: p.Policy || undefined,
    encryptionKeyId: p.EncryptionKeyId || undefined,
    dkmsInstanceId: p.DKMSInstanceId || undefined,
  });
  return {
    Arn: secretArn(ctx.regionId, ctx.accountId, secret.name),
    SecretName: secret.name,
    VersionId: versionId,
    SecretType: secret.type,
    AutomaticRotation: secret.autoRotation ? 'Enabled' : 'Disabled',
    ...(secret.intervalSeconds ? { RotationInterval: `${secret.intervalSeconds}s` } : {}),
    ...(secret.nextRotation !== undefined ? { NextRotationDate: apiDate(secret.nextRotation) } : {}),
    ...(secret.extendedConfig ? { ExtendedConfig: JSON.stringify(secret.extendedConfig) } : {}),
    ...(secret.dkmsInstanceId ? { DKMSInstanceId: secret.dkmsInstanceId } : {}),
  };
}

export function putSecretValue(ctx: KmsContext, p: Params): ApiReply {
  const secret = notDeleting(requireSecret(ctx, p));
  const versionId = requireParam(p, 'VersionId');
  const data = requireParam(p, 'SecretData');
  if (isManaged(secret.type)) throw kmsErrors.choice(UNSUPPORTED_FOR_TYPE);
  const dataType = p.SecretDataType || 'text';
  if (dataType !== 'text' && dataType !== 'binary')
    throw kmsErrors.invalid('SecretDataType', 'Expected text or binary.');
  if (Buffer.byteLength(data) > 30720) throw kmsErrors.invalid('SecretData', 'At most 30720 bytes.');
  const stages = jsonParam<string[]>(p, 'VersionStages') ?? ['ACSCurrent'];
  if (!Array.isArray(stages) || stages.some((s) => typeof s !== 'string' || s === '')) {
    throw kmsErrors.invalid('VersionStages', 'Expected a JSON array of stage names.');
  }
  const existing = secret.versions.find((v) => v.id === versionId);
  if (existing) {
    // The VersionId is the idempotency token: a replay with the same data is a no-op success.
    if (existing.data !== data) throw kmsErrors.choice(VERSION_EXISTS_WITH_OTHER_DATA);
    return { SecretName: secret.name, VersionId: versionId, VersionStages: { VersionStage: [...existing.stages] } };
  }
  const allStages = new Set(secret.versions.flatMap((v) => v.stages).concat(stages));
  if (allStages.has('ACSCurrent')) allStages.add('ACSPrevious');
  if (allStages.size > MAX_STAGES) throw kmsErrors.limitExceeded('version stage');
  const now = ctx.clock.now();
  const version = {
    id: versionId,
    data,
    dataType: dataType as 'text' | 'binary',
    createdAt: now,
    stages: [] as string[],
  };
  addVersion(secret, version, stages);
  secret.updatedAt = now;
  return { SecretName: secret.name, VersionId: versionId, VersionStages: { VersionStage: [...version.stages] } };
}

export function updateSecret(ctx: KmsContext, p: Params): ApiReply {
  const secret = notDeleting(requireSecret(ctx, p));
  const customRaw = p['ExtendedConfig.CustomData'];
  let custom: Record<string, unknown> | undefined;
  if (customRaw !== undefined && customRaw !== '') {
    if (!isManaged(secret.type)) throw kmsErrors.choice(UNSUPPORTED_FOR_TYPE);
    custom = jsonParam<Record<string, unknown>>(p, 'ExtendedConfig.CustomData');
    if (!custom || typeof custom !== 'object' || Object.keys(custom).length > 10) {
      throw kmsErrors.invalid('ExtendedConfig.CustomData', 'A JSON object of at most 10 pairs.');
    }
  }
  if (p.Description !== undefined) secret.description = p.Description;
  if (custom) secret.extendedConfig = { ...(secret.extendedConfig ?? {}), CustomData: custom };
  secret.updatedAt = ctx.clock.now();
  return { SecretName: secret.name };
}

export function updateSecretRotationPolicy(ctx: KmsContext, p: Params): ApiReply {
  const secret = notDeleting(requireSecret(ctx, p));
  requireParam(p, 'EnableAutomaticRotation');
  const enable = boolParam(p, 'EnableAutomaticRotation', false);
  if (!isManaged(secret.type)) throw kmsErrors.choice(UNSUPPORTED_FOR_TYPE);
  if (enable && !p.RotationInterval) throw kmsErrors.missing('RotationInterval');
  const interval = enable ? intervalSeconds(ctx, p.RotationInterval as string) : undefined;
  assertNotRotating(ctx, secret);
  const now = ctx.clock.now();
  secret.autoRotation = enable;
  secret.updatedAt = now;
  if (enable && interval) {
    secret.intervalSeconds = interval;
    // First run = last rotation + interval (§2); a date already past is due at once.
    secret.nextRotation = (secret.lastRotation ?? now) + interval * 1000;
    secret.state = 'Enabled';
  } else {
    secret.nextRotation = undefined;
    if (secret.state !== 'Invalid') secret.state = 'Disabled';
  }
  scheduleNext(ctx, secret);
  return { SecretName: secret.name };
}

export function updateSecretVersionStage(ctx: KmsContext, p: Params): ApiReply {
  const secret = notDeleting(requireSecret(ctx, p));
  const stage = requireParam(p, 'VersionStage');
  if (isManaged(secret.type)) throw kmsErrors.choice(UNSUPPORTED_FOR_TYPE);
  const removeFrom = p.RemoveFromVersion || undefined;
  const moveTo = p.MoveToVersion || undefined;
  if (!removeFrom && !moveTo) throw kmsErrors.missing('MoveToVersion');
  const reserved = stage === 'ACSCurrent' || stage === 'ACSPrevious';
  if (reserved && !moveTo) throw kmsErrors.invalid('MoveToVersion', `${stage} can only be moved.`);
  const from = removeFrom ? secret.versions.find((v) => v.id === removeFrom) : undefined;
  const to = moveTo ? secret.versions.find((v) => v.id === moveTo) : undefined;
  if ((removeFrom && !from) || (moveTo && !to)) throw kmsErrors.notFound();
  if (from && !from.stages.includes(stage))
    throw kmsErrors.invalid('RemoveFromVersion', 'The version does not carry this stage.');
  if (!from && to && !reserved && secret.versions.some((v) => v !== to && v.stages.includes(stage))) {
    throw kmsErrors.invalid('RemoveFromVersion', 'The stage is on another version: name it in RemoveFromVersion.');
  }
  if (
    to &&
    !secret.versions.some((v) => v.stages.includes(stage)) &&
    new Set(secret.versions.flatMap((v) => v.stages)).size >= MAX_STAGES
  ) {
    throw kmsErrors.limitExceeded('version stage');
  }
  if (from && !to) from.stages = from.stages.filter((s) => s !== stage);
  if (to) moveStage(secret, stage, to);
  secret.updatedAt = ctx.clock.now();
  return { SecretName: secret.name };
}

export function deleteSecret(ctx: KmsContext, p: Params): ApiReply {
  const secret = requireSecret(ctx, p);
  const force = boolParam(p, 'ForceDeleteWithoutRecovery', false);
  const now = ctx.clock.now();
  if (force) {
    purge(ctx, secret);
    return { SecretName: secret.name, PlannedDeleteTime: apiDate(now) };
  }
  const raw = p.RecoveryWindowInDays;
  const days = raw === undefined || raw === '' ? RECOVERY_WINDOW_DAYS.default : Number(raw);
  if (!Number.isInteger(days) || days < RECOVERY_WINDOW_DAYS.min || days > RECOVERY_WINDOW_DAYS.max) {
    throw kmsErrors.invalid(
      'RecoveryWindowInDays',
      `Expected ${RECOVERY_WINDOW_DAYS.min} to ${RECOVERY_WINDOW_DAYS.max}.`,
    );
  }
  if (secret.plannedDeleteAt === undefined) {
    secret.plannedDeleteAt = now + days * DAY_MS;
    secret.updatedAt = now;
    ctx.due.remove(secret.name);
  }
  return { SecretName: secret.name, PlannedDeleteTime: apiDate(secret.plannedDeleteAt) };
}

export function restoreSecret(ctx: KmsContext, p: Params): ApiReply {
  const secret = requireSecret(ctx, p);
  if (secret.plannedDeleteAt === undefined) throw kmsErrors.choice(RESTORE_NOT_DELETED);
  secret.plannedDeleteAt = undefined;
  secret.updatedAt = ctx.clock.now();
  scheduleNext(ctx, secret);
  return { SecretName: secret.name };
}

function tagTarget(ctx: KmsContext, p: Params): SecretRecord {
  if (!p.SecretName) {
    // Only secrets live in this emulator: a key or certificate is never found.
    if (p.KeyId) throw new ApiError(404, 'Forbidden.KeyNotFound', 'The specified key is not found.');
    throw kmsErrors.missing('SecretName');
  }
  const secret = liveSecret(ctx, nameFromParam(p.SecretName));
  if (!secret) throw kmsErrors.notFound();
  return notDeleting(secret);
}

export function tagResource(ctx: KmsContext, p: Params): ApiReply {
  const secret = tagTarget(ctx, p);
  requireParam(p, 'Tags');
  const tags = parseTags(p, 'Tags') ?? [];
  if (tags.length > MAX_TAGS_PER_CALL) throw kmsErrors.limitExceeded('tag');
  const merged = new Map(secret.tags ?? []);
  for (const [k, v] of tags) merged.set(k, v);
  const next = [...merged.entries()];
  validateTags(next, ctx.maxTagsPerSecret);
  tagsChanged(ctx, secret, next);
  return {};
}

export function untagResource(ctx: KmsContext, p: Params): ApiReply {
  const secret = tagTarget(ctx, p);
  requireParam(p, 'TagKeys');
  const keys = jsonParam<string[]>(p, 'TagKeys');
  if (!Array.isArray(keys)) throw kmsErrors.invalid('TagKeys', 'Expected ["k1","k2"].');
  tagsChanged(
    ctx,
    secret,
    (secret.tags ?? []).filter(([k]) => !keys.includes(k)),
  );
  return {};
}

export function setSecretPolicy(ctx: KmsContext, p: Params): ApiReply {
  const secret = requireSecret(ctx, p);
  const policy = requireParam(p, 'Policy');
  if (p.PolicyName && p.PolicyName !== 'default') throw kmsErrors.notFound();
  if (!secret.dkmsInstanceId) throw kmsErrors.choice(POLICY_NOT_SUPPORTED);
  if (Buffer.byteLength(policy) > 32768) throw kmsErrors.invalid('Policy', 'At most 32768 bytes.');
  const parsed = jsonParam<{ Statement?: unknown }>(p, 'Policy');
  if (!parsed || !Array.isArray(parsed.Statement))
    throw kmsErrors.invalid('Policy', 'Expected {"Version":"1","Statement":[...]}.');
  secret.policy = policy;
  return {};
}

export async function rotateSecret(ctx: KmsContext, p: Params): Promise<ApiReply> {
  const secret = notDeleting(requireSecret(ctx, p));
  const versionId = requireParam(p, 'VersionId');
  if (versionId.length > 64) throw kmsErrors.invalid('VersionId', 'At most 64 characters.');
  if (!isManaged(secret.type)) throw kmsErrors.choice(UNSUPPORTED_FOR_TYPE);
  const reply = {
    Arn: secretArn(ctx.regionId, ctx.accountId, secret.name),
    SecretName: secret.name,
    VersionId: versionId,
  };
  // The VersionId is the idempotency token: a version (or a running rotation) with it means "done".
  if (secret.versions.some((v) => v.id === versionId) || secret.running?.versionId === versionId) return reply;
  await startRotation(ctx, secret, 'immediate', versionId);
  return reply;
}

export function automaticVersionId(): string {
  return `kms-auto-${randomUUID()}`;
}
