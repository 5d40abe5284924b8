/**
 * Loads a validated seed into the KMS store and key ring. A seed that the API rules refuse (an ECS
 * name without `acs/ecs/`...) is rolled back: nothing stays loaded.
 */
import { SeedError, type Seed, type SeedSecret } from '../../seed';
import { ApiError } from '../../types';
import type { KmsDeps, KmsService, NewSecret } from './index';
import type { SecretRecord } from './model';
import { accountOf } from './secret-data';
import { applyTargetsSeed } from '../targets/seed';

export interface SeedLoadDeps extends KmsDeps {
  kms: KmsService;
  seed: Seed;
}

const DAY_MS = 86_400_000;

function toNewSecret(s: SeedSecret, index: number): NewSecret {
  const data = s.SecretData ?? '$Auto';
  return {
    name: s.SecretName,
    type: s.SecretType,
    data,
    dataType: s.SecretDataType,
    versionId: s.VersionId ?? `seed-v${index + 1}`,
    extendedConfig: s.ExtendedConfig,
    enableAutomaticRotation: s.EnableAutomaticRotation,
    rotationInterval: s.RotationInterval,
    lastRotation: s.LastRotationDate ? Date.parse(s.LastRotationDate) : undefined,
    createdAt: s.CreateTime ? Date.parse(s.CreateTime) : undefined,
    description: s.Description,
    tags: s.Tags ? Object.entries(s.Tags) : undefined,
    dkmsInstanceId: s.DKMSInstanceId,
    policy: s.Policy,
    encryptionKeyId: s.EncryptionKeyId,
  };
}

function plannedDeleteAt(s: SeedSecret, now: number): number | undefined {
  if (s.PlannedDeleteTime) return Date.parse(s.PlannedDeleteTime);
  if (s.DeleteAfterDays) return now + s.DeleteAfterDays * DAY_MS;
  return undefined;
}

/**
 * Synchronous: loads every secret, and if the API rules refuse any, removes the ones it added and
 * throws one SeedError naming each refused entry. Returns the promise of the bound servers' writes.
 */
export function applySeed(deps: SeedLoadDeps): Promise<void> {
  const secrets = deps.seed.Secrets ?? [];
  const problems: string[] = [];
  const added: SecretRecord[] = [];
  const now = deps.clock.now();
  // Declared targets first, so the secrets below find them instead of creating healthy defaults.
  if (deps.seed.Targets) applyTargetsSeed(deps.kms.targets, deps.auth, deps.seed.Targets);
  secrets.forEach((s, i) => {
    if (deps.kms.getSecret(s.SecretName)) {
      problems.push(`Secrets[${i}].SecretName: "${s.SecretName}" already exists in the emulator`);
      return;
    }
    try {
      const secret = deps.kms.addSecret(toNewSecret(s, i), {
        deletedTarget: s.DeletedTarget,
        plannedDeleteAt: plannedDeleteAt(s, now),
        backing: s.Backing,
      });
      added.push(secret);
    } catch (error) {
      problems.push(`Secrets[${i}]: ${error instanceof ApiError ? `${error.code}: ${error.message}` : String(error)}`);
    }
  });
  if (problems.length > 0) {
    for (const secret of added) deps.kms.removeSecret(secret.name);
    throw new SeedError(problems);
  }

  for (const key of deps.seed.AccessKeys ?? []) {
    deps.auth.addAccessKey({
      accessKeyId: key.AccessKeyId,
      accessKeySecret: key.AccessKeySecret,
      principal: key.UserName ? `user/${key.UserName}` : 'root',
    });
  }
  for (const fault of deps.seed.Faults ?? []) deps.faults.add(fault);
  const writes: Array<Promise<void>> = [];
  secrets.forEach((s, i) => {
    const secret = added[i] as SecretRecord;
    for (const fault of s.Faults ?? []) deps.faults.add({ ...fault, SecretName: secret.name });
    const current = secret.versions[0];
    const account = current ? accountOf(current.data) : undefined;
    if (s.Backing && deps.backend && account) {
      writes.push(deps.backend.setPassword(s.Backing, account.AccountName, account.AccountPassword));
    }
  });
  return Promise.all(writes).then(() => undefined);
}
