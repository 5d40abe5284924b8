/**
 * The KMS 2016-01-20 secrets provider, plus read-only accessors for tests and reports (never
 * values). State lives in one Map keyed by name; rotation times in one due queue.
 */
import { isKmsAction, KMS_WRITE_ACTIONS, type KmsAction } from '../../../shared/kms-operations';
import type { FaultRegistry } from '../../faults';
import { ApiError, type ApiReply, type ApiRequest, type Provider, type SimClock } from '../../types';
import type { AuthStore, CredentialBackend, EventBus } from '../contracts';
import * as read from './api-read';
import * as tags from './api-tag-resources';
import * as write from './api-write';
import { liveSecret, purge, type KmsContext } from './context';
import { ramKeysOf } from './secret-data';
import { buildSecret, type NewSecret } from './create';
import { DueQueue } from './due-queue';
import { impliedPermissions } from './key-access';
import { apiDate, type RotationRecord, type SecretRecord } from './model';
import { startRotation } from './rotation';
import { DEFAULT_INTERVAL_BOUNDS, MAX_TAGS_PER_SECRET, UPDATE_TIME_MOVES } from './unconfirmed';
import { eventShapes, type EventShapes } from '../event-shapes';
import { getKmsInstance } from './instances';
import { TargetStore } from '../targets/store';
import { accountsNeeded, keyIdsOf } from '../targets/preconditions';

type Handler = (ctx: KmsContext, params: Record<string, string>) => ApiReply | Promise<ApiReply>;

/** One handler per operation of the shared table (shared/kms-operations.ts): the type refuses a missing or an extra one. */
const HANDLERS: Readonly<Record<KmsAction, Handler>> = {
  CreateSecret: write.createSecret,
  DescribeSecret: read.describeSecret,
  GetSecretValue: read.getSecretValue,
  ListSecrets: read.listSecrets,
  ListSecretVersionIds: read.listSecretVersionIds,
  PutSecretValue: write.putSecretValue,
  UpdateSecret: write.updateSecret,
  UpdateSecretRotationPolicy: write.updateSecretRotationPolicy,
  UpdateSecretVersionStage: write.updateSecretVersionStage,
  DeleteSecret: write.deleteSecret,
  RestoreSecret: write.restoreSecret,
  RotateSecret: write.rotateSecret,
  TagResource: write.tagResource,
  UntagResource: write.untagResource,
  SetSecretPolicy: write.setSecretPolicy,
  GetSecretPolicy: read.getSecretPolicy,
  GetRandomPassword: read.getRandomPassword,
  TagResources: tags.tagResources,
  UntagResources: tags.untagResources,
  ListTagResources: tags.listTagResources,
  GetKmsInstance: getKmsInstance,
};

/** What tests and reports see of a secret: everything but the values. */
export interface SecretView {
  SecretName: string;
  SecretType: string;
  ExtendedConfig?: Record<string, unknown>;
  AutomaticRotation: string;
  RotationInterval?: string;
  LastRotationDate?: string;
  NextRotationDate?: string;
  PlannedDeleteTime?: string;
  Tags: Record<string, string>;
  versions: Array<{ VersionId: string; VersionStages: string[]; CreateTime: string }>;
  rotationHistory: RotationRecord[];
  rotating?: { versionId: string; trigger: string; startedAt: number; stuck: boolean };
  deletedTarget: boolean;
  backed: boolean;
}

export interface KmsService extends Provider {
  secretNames(): string[];
  getSecret(name: string): SecretView | undefined;
  /** Adds a secret as CreateSecret would, bypassing the wire (seed loader). */
  addSecret(
    input: NewSecret,
    extra?: { deletedTarget?: boolean; plannedDeleteAt?: number; backing?: SecretRecord['backing'] },
  ): SecretRecord;
  /** Marks the RDS instance / RAM user / ECS instance behind a secret deleted: rotations fail. */
  setTargetDeleted(name: string, deleted: boolean): void;
  /** Starts a rotation as the scheduler would (for tests of the automatic path). */
  rotateNow(name: string, trigger?: 'automatic' | 'immediate'): Promise<void>;
  /** Removes a secret at once (seed rollback), with the AccessKeys a RAM secret registered. */
  removeSecret(name: string): void;
  count(): number;
  clear(): void;
  /** The rotation targets (RDS, ECS, Redis, PolarDB, RAM users, KMS instances, service roles). */
  readonly targets: TargetStore;
}

export interface KmsDeps {
  clock: SimClock;
  faults: FaultRegistry;
  auth: AuthStore;
  bus: EventBus;
  accountId: string;
  regionId: string;
  backend?: CredentialBackend;
  intervalBounds?: { minSeconds: number; maxSeconds: number };
  targets?: TargetStore;
  maxTagsPerSecret?: number;
  updateTime?: Partial<{ tags: boolean; rotation: boolean }>;
  eventShapes?: Partial<EventShapes>;
}

export function createKms(deps: KmsDeps): KmsService {
  const secrets = new Map<string, SecretRecord>();
  const ctx: KmsContext = {
    ...deps,
    intervalBounds: deps.intervalBounds ?? DEFAULT_INTERVAL_BOUNDS,
    maxTagsPerSecret: deps.maxTagsPerSecret ?? MAX_TAGS_PER_SECRET,
    updateTime: { ...UPDATE_TIME_MOVES, ...deps.updateTime },
    eventShapes: eventShapes(deps.eventShapes),
    secrets,
    targets: deps.targets ?? new TargetStore(() => deps.clock.now()),
    due: new DueQueue(deps.clock, async (name) => {
      const secret = liveSecret(ctx, name);
      if (!secret || !secret.autoRotation || secret.state === 'Invalid' || secret.running) return;
      await startRotation(ctx, secret, 'automatic', write.automaticVersionId());
    }),
  };

  return {
    product: 'kms',
    version: '2016-01-20',
    writeActions: KMS_WRITE_ACTIONS,
    handle(req: ApiRequest) {
      const handler = isKmsAction(req.action) ? HANDLERS[req.action] : undefined;
      if (!handler)
        throw new ApiError(
          404,
          'InvalidAction.NotFound',
          'Specified api is not found, please check your url and method.',
        );
      return handler(ctx, req.params);
    },
    targets: ctx.targets,
    impliedPermissions: (action, params) => impliedPermissions(ctx, action, params),
    secretNames: () => [...secrets.keys()],
    getSecret(name) {
      const s = liveSecret(ctx, name);
      return s ? view(s) : undefined;
    },
    addSecret(input, extra = {}) {
      const secret = buildSecret(ctx, input);
      if (extra.deletedTarget) {
        secret.deletedTarget = true;
        setTargetPresent(ctx, secret, false);
      }
      if (extra.backing) secret.backing = extra.backing;
      if (extra.plannedDeleteAt !== undefined) {
        secret.plannedDeleteAt = extra.plannedDeleteAt;
        ctx.due.remove(secret.name);
      }
      return secret;
    },
    setTargetDeleted(name, deleted) {
      const secret = secrets.get(name);
      if (!secret) throw new Error(`no secret named ${name}`);
      secret.deletedTarget = deleted;
      setTargetPresent(ctx, secret, !deleted);
    },
    async rotateNow(name, trigger = 'automatic') {
      const secret = liveSecret(ctx, name);
      if (!secret) throw new Error(`no secret named ${name}`);
      await startRotation(ctx, secret, trigger, write.automaticVersionId());
    },
    removeSecret(name) {
      const secret = secrets.get(name);
      if (!secret) return;
      if (secret.type === 'RAMCredentials') {
        for (const v of secret.versions)
          for (const key of ramKeysOf(v.data)) deps.auth.removeAccessKey(key.AccessKeyId);
      }
      purge(ctx, secret);
    },
    count: () => secrets.size,
    clear() {
      for (const name of secrets.keys()) ctx.due.remove(name);
      secrets.clear();
    },
  };
}

/** The legacy "target deleted" switch, mirrored into the target store so the describes agree. */
function setTargetPresent(ctx: KmsContext, secret: SecretRecord, present: boolean): void {
  const c = secret.extendedConfig ?? {};
  const id = String(c.DBInstanceId ?? c.InstanceId ?? c.DBClusterId ?? c.UserName ?? '');
  const map = {
    Rds: ctx.targets.rds,
    Redis: ctx.targets.redis,
    PolarDB: ctx.targets.polardb,
    ECS: ctx.targets.ecs,
    RAMCredentials: ctx.targets.ramUsers,
  }[secret.type as string];
  if (!map) return;
  if (!present) map.delete(id);
  else {
    const current = secret.versions.find((v) => v.stages.includes('ACSCurrent'))?.data;
    ctx.targets.ensureFor(secret, accountsNeeded(secret, current), keyIdsOf(current));
  }
}

function view(s: SecretRecord): SecretView {
  return {
    SecretName: s.name,
    SecretType: s.type,
    ...(s.extendedConfig ? { ExtendedConfig: structuredClone(s.extendedConfig) } : {}),
    AutomaticRotation: read.automaticRotation(s),
    ...(s.autoRotation && s.intervalSeconds ? { RotationInterval: `${s.intervalSeconds}s` } : {}),
    ...(s.lastRotation !== undefined ? { LastRotationDate: apiDate(s.lastRotation) } : {}),
    ...(s.autoRotation && s.nextRotation !== undefined ? { NextRotationDate: apiDate(s.nextRotation) } : {}),
    ...(s.plannedDeleteAt !== undefined ? { PlannedDeleteTime: apiDate(s.plannedDeleteAt) } : {}),
    Tags: Object.fromEntries(s.tags ?? []),
    versions: s.versions.map((v) => ({
      VersionId: v.id,
      VersionStages: [...v.stages],
      CreateTime: apiDate(v.createdAt),
    })),
    rotationHistory: (s.history ?? []).map((h) => ({ ...h })),
    ...(s.running ? { rotating: { ...s.running } } : {}),
    deletedTarget: s.deletedTarget === true,
    backed: s.backing !== undefined,
  };
}

export type { NewSecret };
