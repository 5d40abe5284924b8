/**
 * Whether a managed rotation can succeed given the state of its target (alibaba-cloud-apis.md §11):
 * the first failed precondition, with the code the rotation fails with. Checked when the rotation
 * runs, before any injected fault, so "the instance is stopped" is why it fails.
 */
import type { SecretRecord } from '../kms/model';
import { accountOf, isDoubleAccount, nextAccountName, ramKeysOf } from '../kms/secret-data';
import { HEALTHY_STATUS, SERVICE_ROLE_BY_TYPE, type TargetStore } from './store';

export interface TargetFailure {
  errorCode: string;
  errorMessage: string;
}

/** RAM allows 2 AccessKeys per user ("do not enable two AccessKey pairs" page; CreateAccessKey). */
export const MAX_ACCESS_KEYS_PER_USER = 2;

/**
 * The codes. Documented: `LimitExceeded.User.AccessKey` (RAM CreateAccessKey, HTTP 409),
 * `EntityNotExist.User` / `EntityNotExist.Role` (RAM GetUser / GetRole), `Rejected.Unavailable`
 * (secrets FAQ: the KMS instance expired), `InvalidDBInstanceId.NotFound` (RDS). The codes a
 * managed rotation reports for a stopped instance, a missing account, a stopped ECS instance or
 * an offline Cloud Assistant are UNCONFIRMED: the product's own API codes are used (RDS
 * ResetAccountPassword `IncorrectDBInstanceState`, `InvalidAccountName.NotFound`; ECS
 * `IncorrectInstanceStatus`); change them here.
 */
export const TARGET_ERRORS = {
  rdsMissing: {
    errorCode: 'InvalidDBInstanceId.NotFound',
    errorMessage: 'Specified instance does not exist or not support.',
  },
  rdsNotRunning: {
    errorCode: 'IncorrectDBInstanceState',
    errorMessage: 'Current DB instance state does not support this operation.',
  },
  accountMissing: { errorCode: 'InvalidAccountName.NotFound', errorMessage: 'The specified account does not exist.' },
  redisMissing: { errorCode: 'InvalidInstanceId.NotFound', errorMessage: 'The specified instance is not found.' },
  redisNotNormal: {
    errorCode: 'IncorrectDBInstanceState',
    errorMessage: 'Current DB instance state does not support this operation.',
  },
  polardbMissing: { errorCode: 'InvalidDBClusterId.NotFound', errorMessage: 'The specified DBClusterId is not found.' },
  polardbNotRunning: {
    errorCode: 'OperationDenied.DBClusterStatus',
    errorMessage: 'The operation is not permitted due to status of cluster.',
  },
  ecsMissing: { errorCode: 'InvalidInstanceId.NotFound', errorMessage: 'The specified InstanceId does not exist.' },
  ecsNotRunning: {
    errorCode: 'IncorrectInstanceStatus',
    errorMessage: 'The current status of the resource does not support this operation.',
  },
  cloudAssistantOffline: {
    errorCode: 'ClientNotRunning',
    errorMessage: 'The Cloud Assistant client is not running on the instance.',
  },
  userMissing: { errorCode: 'EntityNotExist.User', errorMessage: 'The user does not exist.' },
  keyLimit: {
    errorCode: 'LimitExceeded.User.AccessKey',
    errorMessage: 'The count of AccessKey of the user exceeds the limit.',
  },
  roleMissing: { errorCode: 'EntityNotExist.Role', errorMessage: 'The role does not exist.' },
  kmsInstanceExpired: { errorCode: 'Rejected.Unavailable', errorMessage: 'The KMS instance is unavailable.' },
} as const satisfies Record<string, TargetFailure>;

function configString(secret: SecretRecord, key: string): string | undefined {
  const value = secret.extendedConfig?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The accounts a rotation of a database secret needs: the current one, and the other of a pair. */
export function accountsNeeded(secret: SecretRecord, currentData: string | undefined): string[] {
  const current =
    (currentData ? accountOf(currentData)?.AccountName : undefined) ?? configString(secret, 'AccountName');
  if (!current) return [];
  if (!isDoubleAccount(secret.type, secret.extendedConfig)) return [current];
  return [current, nextAccountName(secret.type, secret.extendedConfig, current)];
}

export function targetFailure(
  store: TargetStore,
  secret: SecretRecord,
  currentData: string | undefined,
  now: number,
): TargetFailure | undefined {
  if (secret.dkmsInstanceId) {
    const instance = store.kmsInstances.get(secret.dkmsInstanceId);
    if (instance && instance.endDate <= now) return TARGET_ERRORS.kmsInstanceExpired;
  }
  const role = SERVICE_ROLE_BY_TYPE[secret.type];
  if (role && !store.serviceRoles.has(role)) return TARGET_ERRORS.roleMissing;
  switch (secret.type) {
    case 'Rds':
      return dbFailure(
        store.rds.get(configString(secret, 'DBInstanceId') ?? ''),
        HEALTHY_STATUS.rds,
        accountsNeeded(secret, currentData),
        {
          missing: TARGET_ERRORS.rdsMissing,
          notHealthy: TARGET_ERRORS.rdsNotRunning,
        },
      );
    case 'Redis':
      return dbFailure(
        store.redis.get(configString(secret, 'InstanceId') ?? ''),
        HEALTHY_STATUS.redis,
        accountsNeeded(secret, currentData),
        {
          missing: TARGET_ERRORS.redisMissing,
          notHealthy: TARGET_ERRORS.redisNotNormal,
        },
      );
    case 'PolarDB':
      return dbFailure(
        store.polardb.get(configString(secret, 'DBClusterId') ?? ''),
        HEALTHY_STATUS.polardb,
        accountsNeeded(secret, currentData),
        {
          missing: TARGET_ERRORS.polardbMissing,
          notHealthy: TARGET_ERRORS.polardbNotRunning,
        },
      );
    case 'ECS': {
      const instance = store.ecs.get(configString(secret, 'InstanceId') ?? '');
      if (!instance) return TARGET_ERRORS.ecsMissing;
      if (instance.status !== HEALTHY_STATUS.ecs) return TARGET_ERRORS.ecsNotRunning;
      if (!instance.cloudAssistant) return TARGET_ERRORS.cloudAssistantOffline;
      return undefined;
    }
    case 'RAMCredentials': {
      const user = store.ramUsers.get(configString(secret, 'UserName') ?? '');
      if (!user) return TARGET_ERRORS.userMissing;
      // KMS creates the new key before it deletes the old one, so a user already at the limit fails.
      if (user.keys.size >= MAX_ACCESS_KEYS_PER_USER) return TARGET_ERRORS.keyLimit;
      return undefined;
    }
    default:
      return undefined;
  }
}

function dbFailure(
  instance: { status: string; accounts: Set<string> } | undefined,
  healthy: string,
  accounts: string[],
  codes: { missing: TargetFailure; notHealthy: TargetFailure },
): TargetFailure | undefined {
  if (!instance) return codes.missing;
  if (instance.status !== healthy) return codes.notHealthy;
  if (accounts.some((a) => !instance.accounts.has(a))) return TARGET_ERRORS.accountMissing;
  return undefined;
}

/** The AccessKey ids a RAM secret's value holds (for the healthy default user). */
export function keyIdsOf(data: string | undefined): string[] {
  return ramKeysOf(data ?? '').map((k) => k.AccessKeyId);
}
