/**
 * The readiness reader: for a managed secret, reads what its next rotation depends on and hands
 * the observations to the pure check (shared/domain/readiness.ts). One reader per sweep: every
 * read is keyed by resource, so ten secrets on one instance cost one DescribeDBInstanceAttribute.
 * A failing read (denied because the customer did not grant it, throttled, down) becomes
 * "not checked" for that cause: never a finding, never a thrown error.
 */
import { CloudError } from '../errors';
import type { SecretDescription } from '../ports/kms';
import {
  assessReadiness,
  assessSecretPolicy,
  databasePreconditions,
  ecsPreconditions,
  kmsInstancePrecondition,
  ramPreconditions,
  rolePrecondition,
  type Observation,
  type PreconditionResult,
  type ReadinessAssessment,
} from '../domain/readiness';
import type { TargetReads } from './port';

/** KMS's service-linked role per managed type (KMS docs; Redis and PolarDB names UNCONFIRMED). */
export const SERVICE_ROLES: Readonly<Record<string, string>> = {
  Rds: 'AliyunServiceRoleForKMSSecretsManagerForRDS',
  RAMCredentials: 'AliyunServiceRoleForKMSSecretsManagerForRAM',
  ECS: 'AliyunServiceRoleForKMSSecretsManagerForECS',
  Redis: 'AliyunServiceRoleForKMSSecretsManagerForRedis',
  PolarDB: 'AliyunServiceRoleForKMSSecretsManagerForPolarDB',
};

export type PolicyView =
  | { kind: 'no-policy' }
  | { kind: 'policy'; principals: string[]; broad: string[] }
  | { kind: 'not-checked'; code: string };

export interface ReadinessReader {
  /** The preconditions of the secret's next rotation and what the pure check makes of them. */
  assess(secret: SecretDescription, now: number): Promise<ReadinessAssessment & { results: PreconditionResult[] }>;
  /** Who a secret's policy admits to kms:GetSecretValue; shared-KMS secrets have none. */
  policy(secret: SecretDescription, accountId: string): Promise<PolicyView>;
  /** Cloud calls made so far (shared results are not counted twice). */
  calls(): number;
}

function codeOf(error: unknown): string {
  return error instanceof CloudError ? error.code : 'ReadFailed';
}

function str(config: Record<string, unknown>, key: string): string | undefined {
  const value = config[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The accounts a database rotation writes: ExtendedConfig.AccountName (Redis and PolarDB always
 * carry it), plus `<name>_clone` for double accounts. RDS secrets keep the name in the value only:
 * the forecast does not read values (DESIGN D6), so their account check says "not checked"
 * unless the ExtendedConfig names it.
 */
export function accountsOf(secret: Pick<SecretDescription, 'extendedConfig'>): string[] {
  const c = secret.extendedConfig;
  const name = str(c, 'AccountName');
  if (!name) return [];
  const sub = str(c, 'SecretSubType');
  if (sub !== 'DoubleUsers' && sub !== 'DualUser') return [name];
  const base = name.replace(/_clone$/, '');
  return [base, str(c, 'CloneAccountName') ?? `${base}_clone`];
}

export function createReadinessReader(reads: TargetReads): ReadinessReader {
  const cache = new Map<string, Promise<Observation<unknown>>>();
  let count = 0;

  function observe<T>(key: string, read: () => Promise<T | undefined>): Promise<Observation<T>> {
    let pending = cache.get(key) as Promise<Observation<T>> | undefined;
    if (!pending) {
      count++;
      pending = read().then(
        (value): Observation<T> => (value === undefined ? { kind: 'not-found' } : { kind: 'found', value }),
        (error: unknown): Observation<T> => ({ kind: 'unreadable', code: codeOf(error) }),
      );
      cache.set(key, pending as Promise<Observation<unknown>>);
    }
    return pending;
  }

  async function database(
    kind: 'rds-instance' | 'redis-instance' | 'polardb-cluster',
    id: string,
    needed: string[],
  ): Promise<PreconditionResult[]> {
    const [readInstance, readAccounts] =
      kind === 'rds-instance'
        ? [() => reads.rdsInstance(id), () => reads.rdsAccounts(id)]
        : kind === 'redis-instance'
          ? [() => reads.redisInstance(id), () => reads.redisAccounts(id)]
          : [() => reads.polardbCluster(id), () => reads.polardbAccounts(id)];
    const instance = await observe(`${kind}/${id}`, readInstance);
    // Accounts only matter (and are only read) when the instance is there and some are named.
    const accounts =
      instance.kind === 'found' && needed.length > 0
        ? await observe(`${kind}/${id}/accounts`, readAccounts)
        : undefined;
    return databasePreconditions({ kind, id }, instance, accounts, needed);
  }

  async function targetResults(secret: SecretDescription): Promise<PreconditionResult[]> {
    const c = secret.extendedConfig;
    switch (secret.secretType) {
      case 'Rds': {
        const id = str(c, 'DBInstanceId');
        return id ? database('rds-instance', id, accountsOf(secret)) : [];
      }
      case 'Redis': {
        const id = str(c, 'InstanceId');
        return id ? database('redis-instance', id, accountsOf(secret)) : [];
      }
      case 'PolarDB': {
        const id = str(c, 'DBClusterId');
        return id ? database('polardb-cluster', id, accountsOf(secret)) : [];
      }
      case 'ECS': {
        const id = str(c, 'InstanceId') ?? str(c, 'RegionInstanceId');
        if (!id) return [];
        const instance = await observe(`ecs-instance/${id}`, () => reads.ecsInstance(id));
        const running = instance.kind === 'found' && instance.value.status === 'Running';
        const agent = running
          ? await observe(`ecs-instance/${id}/cloud-assistant`, () => reads.cloudAssistant(id))
          : undefined;
        return ecsPreconditions({ kind: 'ecs-instance', id }, instance, agent);
      }
      case 'RAMCredentials': {
        const user = str(c, 'UserName');
        if (!user) return [];
        const found = await observe(`ram-user/${user}`, () => reads.ramUser(user));
        const keys =
          found.kind === 'found' ? await observe(`ram-user/${user}/keys`, () => reads.ramAccessKeys(user)) : undefined;
        const count: Observation<number> | undefined =
          keys && (keys.kind === 'found' ? { kind: 'found', value: keys.value.length } : keys);
        return ramPreconditions({ kind: 'ram-user', id: user }, found, count);
      }
      default:
        return [];
    }
  }

  return {
    async assess(secret, now) {
      const results: PreconditionResult[] = [];
      const role = SERVICE_ROLES[secret.secretType];
      if (role)
        results.push(
          rolePrecondition(
            { kind: 'service-role', id: role },
            await observe(`service-role/${role}`, () => reads.role(role)),
          ),
        );
      if (secret.dkmsInstanceId) {
        const id = secret.dkmsInstanceId;
        results.push(
          kmsInstancePrecondition(
            { kind: 'kms-instance', id },
            await observe(`kms-instance/${id}`, () => reads.kmsInstance(id)),
            now,
            secret.nextRotationDate,
          ),
        );
      }
      results.push(...(await targetResults(secret)));
      return {
        ...assessReadiness({ secretName: secret.secretName, nextRotationDate: secret.nextRotationDate, now, results }),
        results,
      };
    },
    async policy(secret, accountId) {
      if (!secret.dkmsInstanceId) return { kind: 'no-policy' };
      count++;
      try {
        const text = await reads.secretPolicy(secret.secretName);
        const verdict = assessSecretPolicy(text, accountId);
        return verdict.unparsable
          ? { kind: 'not-checked', code: 'PolicyNotJson' }
          : { kind: 'policy', principals: verdict.principals, broad: verdict.broad };
      } catch (error) {
        return { kind: 'not-checked', code: codeOf(error) };
      }
    },
    calls: () => count,
  };
}
