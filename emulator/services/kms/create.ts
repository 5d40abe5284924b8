/** Building a secret record: shared by CreateSecret and the seed loader, so both obey the same rules. */
import { type KmsContext } from './context';
import { kmsErrors } from './errors';
import { SECRET_TYPES, isManaged, parseInterval, type SecretRecord, type SecretType } from './model';
import { scheduleNext } from './rotation';
import { extendedConfigProblem, initialValue, ramKeysOf } from './secret-data';
import { validateTags } from './tag-rules';
import { MAX_SECRETS } from './unconfirmed';
import { accountsNeeded, keyIdsOf } from '../targets/preconditions';

export interface NewSecret {
  name: string;
  type: string;
  data: string;
  dataType?: string;
  versionId: string;
  extendedConfig?: Record<string, unknown>;
  enableAutomaticRotation?: boolean;
  rotationInterval?: string;
  lastRotation?: number;
  createdAt?: number;
  description?: string;
  tags?: Array<[string, string]>;
  policy?: string;
  encryptionKeyId?: string;
  dkmsInstanceId?: string;
}

const NAME_PATTERN = /^[A-Za-z0-9_/+=.@-]{1,192}$/;

/** Returns the interval in seconds, or throws InvalidParameter naming the bound. */
export function intervalSeconds(ctx: KmsContext, text: string): number {
  const seconds = parseInterval(text);
  const { minSeconds, maxSeconds } = ctx.intervalBounds;
  if (seconds === undefined)
    throw kmsErrors.invalid('RotationInterval', `"${text}" is not an integer followed by d, h, m or s.`);
  if (seconds < minSeconds || seconds > maxSeconds) {
    throw kmsErrors.invalid('RotationInterval', `"${text}" is outside ${minSeconds / 3600}h-${maxSeconds / 3600}h.`);
  }
  return seconds;
}

function resolveName(type: SecretType, name: string, config: Record<string, unknown> | undefined): string {
  if (type === 'RAMCredentials' && name === '$Auto') return `acs/ram/user/${String(config?.UserName ?? '')}`;
  if (!NAME_PATTERN.test(name))
    throw kmsErrors.invalid('SecretName', 'At most 192 characters from [A-Za-z0-9_/+=.@-].');
  if (type === 'ECS' && !name.startsWith('acs/ecs/'))
    throw kmsErrors.invalid('SecretName', 'ECS secret names start with "acs/ecs/".');
  if ((type === 'Generic' || type === 'Rds' || type === 'Redis' || type === 'PolarDB') && name.startsWith('acs/')) {
    throw kmsErrors.invalid('SecretName', 'The prefix "acs/" is reserved.');
  }
  return name;
}

export function buildSecret(ctx: KmsContext, input: NewSecret): SecretRecord {
  if (!(SECRET_TYPES as readonly string[]).includes(input.type)) {
    throw kmsErrors.invalid('SecretType', `Expected one of ${SECRET_TYPES.join(', ')}.`);
  }
  const type = input.type as SecretType;
  const problem = extendedConfigProblem(type, input.extendedConfig);
  if (problem) throw kmsErrors.invalid('ExtendedConfig', problem);
  const name = resolveName(type, input.name, input.extendedConfig);
  if (input.versionId.length > 64) throw kmsErrors.invalid('VersionId', 'At most 64 characters.');
  if (Buffer.byteLength(input.data) > 30720) throw kmsErrors.invalid('SecretData', 'At most 30720 bytes.');
  const dataType = input.dataType ?? 'text';
  if (dataType !== 'text' && dataType !== 'binary')
    throw kmsErrors.invalid('SecretDataType', 'Expected text or binary.');
  if (isManaged(type) && dataType !== 'text') throw kmsErrors.invalid('SecretDataType', 'Managed secrets are text.');
  const auto = isManaged(type) && input.enableAutomaticRotation === true;
  if (auto && !input.rotationInterval) throw kmsErrors.missing('RotationInterval');
  const interval = auto && input.rotationInterval ? intervalSeconds(ctx, input.rotationInterval) : undefined;
  if (input.tags) validateTags(input.tags, ctx.maxTagsPerSecret);
  if (input.description && input.description.length > 1024)
    throw kmsErrors.invalid('Description', 'At most 1024 characters.');

  const existing = ctx.secrets.get(name);
  if (existing) {
    if (existing.plannedDeleteAt !== undefined && existing.plannedDeleteAt > ctx.clock.now()) {
      throw kmsErrors.choice({
        status: 409,
        code: 'Rejected.ResourceInDeleteWindow',
        message: 'The secret is planned to be deleted.',
      });
    }
    if (existing.plannedDeleteAt === undefined) throw kmsErrors.exists();
  }
  if (ctx.secrets.size >= MAX_SECRETS) throw kmsErrors.limitExceeded('secret');

  const now = ctx.clock.now();
  const createdAt = input.createdAt ?? now;
  const data = initialValue(type, input.data, input.extendedConfig);
  const secret: SecretRecord = {
    name,
    type,
    createdAt,
    updatedAt: now,
    autoRotation: auto,
    state: auto ? 'Enabled' : 'Disabled',
    versions: [{ id: input.versionId, data, dataType, createdAt, stages: ['ACSCurrent'] }],
    ...(input.description ? { description: input.description } : {}),
    ...(input.encryptionKeyId ? { encryptionKeyId: input.encryptionKeyId } : {}),
    ...(input.dkmsInstanceId ? { dkmsInstanceId: input.dkmsInstanceId } : {}),
    ...(isManaged(type) && input.extendedConfig ? { extendedConfig: { CustomData: {}, ...input.extendedConfig } } : {}),
    ...(interval ? { intervalSeconds: interval } : {}),
    ...(input.lastRotation !== undefined ? { lastRotation: input.lastRotation } : {}),
    ...(input.tags && input.tags.length > 0 ? { tags: input.tags } : {}),
    ...(input.policy ? { policy: input.policy } : {}),
  };
  if (interval) secret.nextRotation = (input.lastRotation ?? now) + interval * 1000;
  ctx.secrets.set(name, secret);
  // A managed secret's target exists unless the seed or the control API said otherwise.
  if (isManaged(type)) ctx.targets.ensureFor(secret, accountsNeeded(secret, data), keyIdsOf(data));
  if (type === 'RAMCredentials') {
    for (const key of ramKeysOf(data)) {
      ctx.auth.addAccessKey({
        accessKeyId: key.AccessKeyId,
        accessKeySecret: key.AccessKeySecret,
        principal: `user/${String(input.extendedConfig?.UserName)}`,
      });
    }
  }
  scheduleNext(ctx, secret);
  return secret;
}
