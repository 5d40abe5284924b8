/**
 * The resources a managed rotation writes to (issue 16): RDS instances and accounts, ECS instances
 * with their Cloud Assistant, Redis (Tair) instances and accounts, PolarDB clusters and accounts,
 * RAM users and their AccessKeys, KMS instances with end dates, KMS service-linked roles. One store
 * per emulator: the rds/ecs/r-kvstore/polardb/ram providers answer from it, and a managed rotation
 * consults it (preconditions.ts) so its outcome follows from this state.
 *
 * A managed secret created without a declared target gets a healthy one (ensureFor), so a fleet
 * that does not care about targets behaves as before; a seed or the control API declares or changes
 * them.
 */
import type { SecretRecord } from '../kms/model';

/** Status values from the SDK models (aliyun/alibabacloud-typescript-sdk): rds-20140815
 * DescribeDBInstanceAttribute DBInstanceStatus, ecs-20140526 DescribeInstances Status,
 * r-kvstore-20150101 DescribeInstanceAttribute InstanceStatus, polardb-20170801
 * DescribeDBClusterAttribute DBClusterStatus. */
export const HEALTHY_STATUS = { rds: 'Running', ecs: 'Running', redis: 'Normal', polardb: 'Running' } as const;

export interface DbInstance {
  id: string;
  status: string;
  accounts: Set<string>;
  createdAt: number;
  /** Declared by the seed or the control API: its account list is exactly as given. */
  declared?: boolean;
}

export interface EcsInstance {
  id: string;
  status: string;
  cloudAssistant: boolean;
  createdAt: number;
}

export interface RamAccessKey {
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  createdAt: number;
  lastUsedAt?: number;
}

export interface RamUser {
  userName: string;
  userId: string;
  createdAt: number;
  keys: Map<string, RamAccessKey>;
}

export interface KmsInstance {
  id: string;
  endDate: number;
  createdAt: number;
}

/** The KMS service-linked role each managed type needs. RDS/RAM/ECS names: KMS docs
 * ("Service-linked roles for dynamic secrets"); Redis and PolarDB by analogy: UNCONFIRMED. */
export const SERVICE_ROLE_BY_TYPE: Readonly<Record<string, string>> = {
  Rds: 'AliyunServiceRoleForKMSSecretsManagerForRDS',
  RAMCredentials: 'AliyunServiceRoleForKMSSecretsManagerForRAM',
  ECS: 'AliyunServiceRoleForKMSSecretsManagerForECS',
  Redis: 'AliyunServiceRoleForKMSSecretsManagerForRedis',
  PolarDB: 'AliyunServiceRoleForKMSSecretsManagerForPolarDB',
};

/** Where service-linked roles live: RAM's own role store in a full emulator (GetRole sees them). */
export interface RoleDirectory {
  has(roleName: string): boolean;
  add(roleName: string): void;
  delete(roleName: string): boolean;
}

export class TargetStore {
  readonly rds = new Map<string, DbInstance>();
  readonly redis = new Map<string, DbInstance>();
  readonly polardb = new Map<string, DbInstance>();
  readonly ecs = new Map<string, EcsInstance>();
  readonly ramUsers = new Map<string, RamUser>();
  readonly kmsInstances = new Map<string, KmsInstance>();
  /** Service-linked roles; every role of SERVICE_ROLE_BY_TYPE exists at start. */
  readonly serviceRoles: RoleDirectory;
  private userSeq = 0;

  constructor(
    private readonly now: () => number,
    roles: RoleDirectory = new Set<string>(),
  ) {
    this.serviceRoles = roles;
    for (const role of Object.values(SERVICE_ROLE_BY_TYPE)) roles.add(role);
  }

  db(
    kind: 'rds' | 'redis' | 'polardb',
    id: string,
    init?: { status?: string; accounts?: string[]; declared?: boolean },
  ): DbInstance {
    const map = this[kind];
    let instance = map.get(id);
    if (!instance) {
      instance = { id, status: HEALTHY_STATUS[kind], accounts: new Set(), createdAt: this.now() };
      map.set(id, instance);
    }
    if (init?.status) instance.status = init.status;
    if (init?.declared) instance.declared = true;
    for (const a of init?.accounts ?? []) instance.accounts.add(a);
    return instance;
  }

  ecsInstance(id: string, init?: { status?: string; cloudAssistant?: boolean }): EcsInstance {
    let instance = this.ecs.get(id);
    if (!instance) {
      instance = { id, status: HEALTHY_STATUS.ecs, cloudAssistant: true, createdAt: this.now() };
      this.ecs.set(id, instance);
    }
    if (init?.status) instance.status = init.status;
    if (init?.cloudAssistant !== undefined) instance.cloudAssistant = init.cloudAssistant;
    return instance;
  }

  ramUser(userName: string): RamUser {
    let user = this.ramUsers.get(userName);
    if (!user) {
      // RAM user ids are 16 digits (ram-20150501 GetUser UserId example).
      user = { userName, userId: String(200_000_000_000_000 + ++this.userSeq), createdAt: this.now(), keys: new Map() };
      this.ramUsers.set(userName, user);
    }
    return user;
  }

  addKey(userName: string, accessKeyId: string): RamAccessKey {
    const key: RamAccessKey = { accessKeyId, status: 'Active', createdAt: this.now() };
    this.ramUser(userName).keys.set(accessKeyId, key);
    return key;
  }

  kmsInstance(id: string, endDate?: number): KmsInstance {
    let instance = this.kmsInstances.get(id);
    if (!instance) {
      // A healthy default: one year from now.
      instance = { id, endDate: this.now() + 365 * 86_400_000, createdAt: this.now() };
      this.kmsInstances.set(id, instance);
    }
    if (endDate !== undefined) instance.endDate = endDate;
    return instance;
  }

  /**
   * Creates the healthy target of a new managed secret unless it already exists. `keyIds` are the
   * AccessKey ids the secret's value holds (RAMCredentials).
   */
  ensureFor(
    secret: Pick<SecretRecord, 'type' | 'extendedConfig' | 'dkmsInstanceId'>,
    accounts: string[],
    keyIds: string[],
  ): void {
    const c = secret.extendedConfig ?? {};
    const str = (k: string) => (typeof c[k] === 'string' && c[k] !== '' ? (c[k] as string) : undefined);
    if (secret.dkmsInstanceId && !this.kmsInstances.has(secret.dkmsInstanceId)) this.kmsInstance(secret.dkmsInstanceId);
    switch (secret.type) {
      case 'Rds': {
        const id = str('DBInstanceId');
        // Secrets sharing an undeclared instance each bring their accounts.
        if (id && !this.rds.get(id)?.declared) this.db('rds', id, { accounts });
        break;
      }
      case 'Redis': {
        const id = str('InstanceId');
        // Secrets sharing an undeclared instance each bring their accounts.
        if (id && !this.redis.get(id)?.declared) this.db('redis', id, { accounts });
        break;
      }
      case 'PolarDB': {
        const id = str('DBClusterId');
        // Secrets sharing an undeclared instance each bring their accounts.
        if (id && !this.polardb.get(id)?.declared) this.db('polardb', id, { accounts });
        break;
      }
      case 'ECS': {
        const id = str('InstanceId');
        if (id && !this.ecs.has(id)) this.ecsInstance(id);
        break;
      }
      case 'RAMCredentials': {
        const user = str('UserName');
        if (user && !this.ramUsers.has(user)) {
          this.ramUser(user);
          for (const id of keyIds) this.addKey(user, id);
        }
        break;
      }
      default:
        break;
    }
  }

  clear(): void {
    for (const map of [this.rds, this.redis, this.polardb, this.ecs, this.ramUsers, this.kmsInstances]) map.clear();
    for (const role of Object.values(SERVICE_ROLE_BY_TYPE)) this.serviceRoles.add(role);
  }
}
