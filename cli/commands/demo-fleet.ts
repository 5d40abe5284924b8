/**
 * The demo fleet that `npm start` seeds: 40 secrets (43 with the real servers) across every type and sub-type, each with an
 * `env` tag, and the trouble an ops team meets in real life, built so that over 60 simulated
 * days every check fires, transient failures are retried and recover, and permanent ones escalate.
 * Values are fake but shaped like the real thing (generated from a fixed seed), never real secrets.
 */
import { seededRandom } from '../../emulator/faults';
import type { FaultSpec } from '../../emulator/types';
import type { ServerBinding } from '../../emulator/services/contracts';
import type { TargetChange } from '../../emulator/services/targets/seed';

const DAY = 86_400_000;
/** The customer key (CMK) that encrypts the demo's RAM AccessKey secrets, as a security team would choose. */
export const DEMO_SECRETS_KEY_ID = 'key-hzz6demo0secrets0cmk1';
const DEMO_ACCOUNT_ID = '1234567890123456';

export interface DemoSecret {
  SecretName: string;
  SecretType: 'Generic' | 'Rds' | 'Redis' | 'RAMCredentials' | 'ECS' | 'PolarDB';
  SecretData: string;
  ExtendedConfig?: Record<string, string>;
  EnableAutomaticRotation?: boolean;
  RotationInterval?: string;
  LastRotationDate?: string;
  /** When the secret (its first version) was created; a Generic secret's age comes from here. */
  CreateTime?: string;
  /** Deletion already scheduled when the demo starts. */
  PlannedDeleteTime?: string;
  Tags: Record<string, string>;
  Faults?: FaultSpec[];
  /** The rotation target is gone: every rotation fails with the type's NotFound code. */
  DeletedTarget?: boolean;
  /** A real server whose account the rotation really changes (issue 7). */
  Backing?: ServerBinding;
  Description?: string;
  /** The customer key that encrypts it: reading its value then needs kms:Decrypt on that key. */
  EncryptionKeyId?: string;
  /** The KMS instance holding it; only such secrets have a secret policy. */
  DKMSInstanceId?: string;
  /** Its secret policy document (SetSecretPolicy). */
  Policy?: string;
}

export interface DemoSeed {
  AccountId: string;
  RegionId: string;
  Now: string;
  Secrets: DemoSecret[];
  /** Faults not tied to one secret's seed entry (event delivery). */
  Faults: FaultSpec[];
}

export interface DemoFleetOptions {
  now: string;
  realServers: { postgresql: boolean; mysql: boolean; redis: boolean };
  accountId?: string;
  regionId?: string;
}

/** What each troubled secret is meant to show, for the demo's narrative and its tests. */
export const DEMO_TROUBLE = {
  transient: 'prod/orders-db',
  transientRam: 'acs/ram/user/ci-deployer',
  permanent: 'acs/ecs/prod/payments-ecs-admin',
  deletedInstance: 'prod/legacy-reports-db',
  disabled: 'staging/search-cache',
  intervalOutOfPolicy: 'prod/analytics-polardb',
  singleUserProd: 'prod/billing-db',
  scheduledDeletion: 'dev/old-feature-flags',
  stuckRam: 'acs/ram/user/log-shipper',
  overdue: 'acs/ecs/prod/bastion-login',
  stale: 'prod/partner-api-token',
  eventDropped: 'prod/inventory-db',
  notApplied: 'prod/pg-orders-live',
  /** Not seeded trouble: the demo deletes this RAM user's current AccessKey mid-run (a console mistake). */
  keyDeleted: 'acs/ram/user/monitoring-agent',
  /** A RAM secret scheduled for deletion: its alert names the AccessKey the deletion leaves active. */
  ramDeletion: 'acs/ram/user/old-importer',
  /** Forecasts that come true (DEMO_TARGET_TIMELINE breaks their target, nobody fixes it). */
  forecastStoppedDb: 'prod/reports-replica-db',
  forecastSecondKey: 'acs/ram/user/etl-loader',
  /** A forecast fixed in time: Cloud Assistant goes offline, is restarted before the rotation is due. */
  forecastFixed: 'acs/ecs/prod/worker-03-login',
  /** A secret in a KMS instance whose policy lets anyone read it. */
  broadPolicy: 'prod/partner-sftp-password',
} as const;

/** The KMS instance holding the demo's secrets with a secret policy. */
export const DEMO_KMS_INSTANCE_ID = 'kst-hzz6demo0instance01';

/**
 * Changes to rotation targets during the run, as an ops team makes them without thinking of the
 * secrets (a replica stopped to save cost, a second AccessKey made by hand, an agent that died).
 * `day` is the demo's day (1 = the first 24 h); each lands at the start of that day, days before
 * the secret's NextRotationDate, so the readiness forecast can see it coming.
 */
export interface DemoTargetChange {
  day: number;
  secretName: string;
  change: TargetChange;
  note: string;
}

export const DEMO_TARGET_TIMELINE: readonly DemoTargetChange[] = [
  {
    day: 3,
    secretName: DEMO_TROUBLE.forecastSecondKey,
    change: { Kind: 'RamUser', Id: 'etl-loader', AddAccessKey: true },
    note: 'someone creates a second AccessKey for RAM user etl-loader by hand',
  },
  {
    day: 4,
    secretName: DEMO_TROUBLE.forecastStoppedDb,
    change: { Kind: 'RdsInstance', Id: 'rm-bp1replica01', Status: 'Stopped' },
    note: 'RDS instance rm-bp1replica01 is stopped to save cost',
  },
  {
    day: 7,
    secretName: DEMO_TROUBLE.forecastFixed,
    change: { Kind: 'EcsInstance', Id: 'i-bp1worker03', CloudAssistant: false },
    note: 'Cloud Assistant on i-bp1worker03 stops',
  },
  {
    day: 11,
    secretName: DEMO_TROUBLE.forecastFixed,
    change: { Kind: 'EcsInstance', Id: 'i-bp1worker03', CloudAssistant: true },
    note: 'the ops team restarts Cloud Assistant on i-bp1worker03 before its rotation is due',
  },
];

/**
 * What the ops team does after a page, as the runbooks say: removes the cause, then rotates the
 * secret by hand (`aliyun kms RotateSecret`), within a working day of the escalation. The recovery alert
 * then says how long each problem was open. Two are left as they are, so their reminders show how a
 * problem left open backs off to weekly: nobody brings back the deleted instance behind
 * DEMO_TROUBLE.deletedInstance, and nobody ends the hung rotation of DEMO_TROUBLE.stuckRam.
 */
export interface DemoOpsFix {
  day: number;
  /** UTC hour of that day (10:00 UTC is 18:00 in Beijing: the same working day as the page). */
  hour: number;
  secretName: string;
  note: string;
  /** The target put right; `undoAddedKey` deletes the AccessKey the timeline added by hand. */
  change?: TargetChange;
  undoAddedKey?: boolean;
}

export const DEMO_OPS_FIXES: readonly DemoOpsFix[] = [
  {
    day: 3,
    hour: 10,
    secretName: DEMO_TROUBLE.permanent,
    note: 'the ops team grants KMS the permission it lacked on i-bp1payments and rotates the secret by hand',
  },
  {
    day: 3,
    hour: 10,
    secretName: DEMO_TROUBLE.overdue,
    note: 'the ops team ends the hung Cloud Assistant command on i-bp1bastion1 and rotates the secret by hand',
  },

  {
    day: 12,
    hour: 2,
    secretName: DEMO_TROUBLE.forecastStoppedDb,
    change: { Kind: 'RdsInstance', Id: 'rm-bp1replica01', Status: 'Running' },
    note: 'the ops team starts rm-bp1replica01 again and rotates the secret by hand',
  },
  {
    day: 12,
    hour: 2,
    secretName: DEMO_TROUBLE.forecastSecondKey,
    undoAddedKey: true,
    note: 'the ops team deletes the AccessKey made by hand for etl-loader and rotates the secret by hand',
  },
];

type Rng = () => number;

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

function pick(rng: Rng, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rng() * alphabet.length)] ?? 'x';
  return out;
}

const password = (rng: Rng) => `${pick(rng, ALNUM, 14)}#${pick(rng, ALNUM, 5)}`;
const accessKeyId = (rng: Rng) => `LTAI5t${pick(rng, ALNUM, 18)}`;
const accessKeySecret = (rng: Rng) => pick(rng, ALNUM, 30);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function rdsData(rng: Rng, account: string, double: boolean): string {
  const accounts = [{ AccountName: account, AccountPassword: password(rng) }];
  if (double) accounts.push({ AccountName: `${account}_clone`, AccountPassword: password(rng) });
  return JSON.stringify({ Accounts: accounts });
}

const ramData = (rng: Rng, at: number) =>
  JSON.stringify({
    AccessKeys: [{ AccessKeyId: accessKeyId(rng), AccessKeySecret: accessKeySecret(rng), GenerateTimestamp: iso(at) }],
  });

function sshData(rng: Rng, user: string): string {
  const body = pick(rng, ALNUM, 64);
  return JSON.stringify({
    UserName: user,
    PublicKey: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${pick(rng, ALNUM, 43)} ${user}@demo`,
    PrivateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----\n`,
  });
}

export function demoFleet(options: DemoFleetOptions): DemoSeed {
  const rng = seededRandom(20260101);
  const now = Date.parse(options.now);
  const ago = (days: number) => iso(now - days * DAY);
  const region = options.regionId ?? 'cn-hangzhou';
  const secrets: DemoSecret[] = [];
  const add = (s: DemoSecret) => secrets.push(s);
  const rds = (
    name: string,
    env: string,
    sub: 'SingleUser' | 'DoubleUsers',
    instance: string,
    interval: string,
    lastDaysAgo: number,
    extra: Partial<DemoSecret> = {},
  ) =>
    add({
      SecretName: name,
      SecretType: 'Rds',
      SecretData: rdsData(rng, name.split('/').pop()!.replace(/-/g, '_'), sub === 'DoubleUsers'),
      ExtendedConfig: { SecretSubType: sub, DBInstanceId: instance },
      EnableAutomaticRotation: true,
      RotationInterval: interval,
      LastRotationDate: ago(lastDaysAgo),
      Tags: { env, team: 'platform' },
      ...extra,
    });
  const ram = (user: string, env: string, interval: string, lastDaysAgo: number, extra: Partial<DemoSecret> = {}) =>
    add({
      SecretName: `acs/ram/user/${user}`,
      SecretType: 'RAMCredentials',
      SecretData: ramData(rng, now - lastDaysAgo * DAY),
      ExtendedConfig: { SecretSubType: 'RamUserAccessKey', UserName: user },
      EnableAutomaticRotation: true,
      RotationInterval: interval,
      LastRotationDate: ago(lastDaysAgo),
      Tags: { env, team: 'identity' },
      EncryptionKeyId: DEMO_SECRETS_KEY_ID,
      ...extra,
    });
  const ecs = (
    name: string,
    env: string,
    sub: 'Password' | 'SSHKey',
    instance: string,
    interval: string,
    lastDaysAgo: number,
    extra: Partial<DemoSecret> = {},
  ) =>
    add({
      SecretName: `acs/ecs/${name}`,
      SecretType: 'ECS',
      SecretData:
        sub === 'Password' ? JSON.stringify({ UserName: 'root', Password: password(rng) }) : sshData(rng, 'ops'),
      ExtendedConfig: { SecretSubType: sub, RegionId: region, InstanceId: instance },
      EnableAutomaticRotation: true,
      RotationInterval: interval,
      LastRotationDate: ago(lastDaysAgo),
      Tags: { env, team: 'compute' },
      ...extra,
    });
  const redis = (
    name: string,
    env: string,
    instance: string,
    interval: string,
    lastDaysAgo: number,
    extra: Partial<DemoSecret> = {},
  ) =>
    add({
      SecretName: name,
      SecretType: 'Redis',
      SecretData: JSON.stringify({ AccountName: 'app', AccountPassword: password(rng) }),
      ExtendedConfig: {
        SecretSubType: 'DoubleUsers',
        InstanceId: instance,
        AccountName: 'app',
        CloneAccountName: 'app_clone',
        AccountPrivilege: 'RoleReadWrite',
        RegionId: region,
      },
      EnableAutomaticRotation: true,
      RotationInterval: interval,
      LastRotationDate: ago(lastDaysAgo),
      Tags: { env, team: 'cache' },
      ...extra,
    });
  const polardb = (
    name: string,
    env: string,
    cluster: string,
    interval: string,
    lastDaysAgo: number,
    extra: Partial<DemoSecret> = {},
  ) =>
    add({
      SecretName: name,
      SecretType: 'PolarDB',
      SecretData: JSON.stringify({ AccountName: 'analyst', AccountPassword: password(rng) }),
      ExtendedConfig: {
        SecretSubType: 'DoubleUsers',
        DBClusterId: cluster,
        DBType: 'MySQL',
        AccountName: 'analyst',
        CloneAccountName: 'analyst_clone',
        AccountType: 'Normal',
        RegionId: region,
      },
      EnableAutomaticRotation: true,
      RotationInterval: interval,
      LastRotationDate: ago(lastDaysAgo),
      Tags: { env, team: 'data' },
      ...extra,
    });
  const generic = (name: string, env: string, createdDaysAgo: number, extra: Partial<DemoSecret> = {}) =>
    add({
      SecretName: name,
      SecretType: 'Generic',
      SecretData: JSON.stringify({ token: `tok_${pick(rng, ALNUM, 32)}` }),
      CreateTime: ago(createdDaysAgo),
      Tags: { env, team: 'apps' },
      ...extra,
    });

  // Healthy secrets, rotating on schedule through the 60 days.
  rds('prod/users-db', 'prod', 'DoubleUsers', 'rm-bp1users01', '14d', 3);
  rds('prod/catalog-db', 'prod', 'DoubleUsers', 'rm-bp1catalog1', '30d', 12);
  rds('staging/orders-db', 'staging', 'DoubleUsers', 'rm-bp1stgorders', '30d', 20);
  rds('dev/sandbox-db', 'dev', 'SingleUser', 'rm-bp1sandbox1', '30d', 2);
  ram('build-bot', 'prod', '30d', 5);
  ecs('prod/web-01-login', 'prod', 'Password', 'i-bp1web01', '30d', 9);
  ecs('prod/web-02-ssh', 'prod', 'SSHKey', 'i-bp1web02', '30d', 15);
  ecs('staging/batch-ssh', 'staging', 'SSHKey', 'i-bp1batch01', '14d', 4);
  redis('prod/session-cache', 'prod', 'r-bp1session01', '7d', 2);
  redis('dev/feature-cache', 'dev', 'r-bp1feature1', '30d', 10);
  polardb('prod/warehouse-polardb', 'prod', 'pc-bp1warehouse', '30d', 8);
  polardb('staging/reporting-polardb', 'staging', 'pc-bp1reporting', '30d', 25);
  generic('prod/webhook-signing-key', 'prod', 20);
  generic('staging/smtp-relay', 'staging', 30);
  generic('dev/test-api-key', 'dev', 5);

  // Transient trouble that retries fix.
  rds(DEMO_TROUBLE.transient, 'prod', 'DoubleUsers', 'rm-bp1orders01', '7d', 6, {
    Faults: [{ Kind: 'RotationFailure', ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Failure.', Times: 2 }],
  });
  ram('ci-deployer', 'prod', '30d', 27, {
    Faults: [
      {
        Kind: 'RotationFailure',
        ErrorCode: 'ServiceUnavailableTemporary',
        ErrorMessage: 'Service Unavailable Temporary.',
        Times: 1,
      },
    ],
  });
  redis('prod/rate-limit-cache', 'prod', 'r-bp1ratelimit', '14d', 13, {
    Faults: [
      {
        Kind: 'RotationFailure',
        ErrorCode: 'IncorrectDBInstanceState',
        ErrorMessage: 'Current DB instance state does not support this operation.',
        Times: 1,
      },
    ],
  });
  // The failure event of this one is lost on the bus: only the sweep can notice.
  rds(DEMO_TROUBLE.eventDropped, 'prod', 'DoubleUsers', 'rm-bp1inventory', '14d', 12, {
    Faults: [{ Kind: 'RotationFailure', ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Failure.', Times: 1 }],
  });

  // Trouble that needs a human: escalated at once.
  ecs('prod/payments-ecs-admin', 'prod', 'Password', 'i-bp1payments', '30d', 28, {
    Faults: [
      {
        Kind: 'RotationFailure',
        ErrorCode: 'Forbidden.NoPermission',
        ErrorMessage: 'This operation is forbidden by permission system.',
      },
    ],
  });
  rds(DEMO_TROUBLE.deletedInstance, 'prod', 'DoubleUsers', 'rm-bp1legacy01', '30d', 26, { DeletedTarget: true });

  // Policy violations and lifecycle warnings.
  redis(DEMO_TROUBLE.disabled, 'staging', 'r-bp1search01', '30d', 40, {
    EnableAutomaticRotation: false,
    RotationInterval: undefined,
  });
  rds('prod/crm-db', 'prod', 'DoubleUsers', 'rm-bp1crm0001', '30d', 45, {
    EnableAutomaticRotation: false,
    RotationInterval: undefined,
  });
  polardb(DEMO_TROUBLE.intervalOutOfPolicy, 'prod', 'pc-bp1analytics', '90d', 20);
  rds(DEMO_TROUBLE.singleUserProd, 'prod', 'SingleUser', 'rm-bp1billing01', '30d', 16);
  generic(DEMO_TROUBLE.stale, 'prod', 200);
  generic(DEMO_TROUBLE.scheduledDeletion, 'dev', 60, { PlannedDeleteTime: iso(now + 9 * DAY) });

  // Rotations that start and never finish: RAM (stuck-in-progress) and ECS (overdue).
  ram('log-shipper', 'prod', '30d', 29, { Faults: [{ Kind: 'RotationStuck' }] });
  ecs('prod/bastion-login', 'prod', 'Password', 'i-bp1bastion1', '14d', 13, { Faults: [{ Kind: 'RotationStuck' }] });

  // Forecasts (issue 16): targets that change during the run (DEMO_TARGET_TIMELINE).
  rds(DEMO_TROUBLE.forecastStoppedDb, 'prod', 'DoubleUsers', 'rm-bp1replica01', '30d', 20);
  ram('etl-loader', 'prod', '30d', 22);
  ecs('prod/worker-03-login', 'prod', 'Password', 'i-bp1worker03', '30d', 16);
  // A RAM user retired: its secret is scheduled for deletion, its AccessKey is still there.
  ram('old-importer', 'dev', '30d', 10, { PlannedDeleteTime: iso(now + 12 * DAY) });
  // Who can read a secret: one policy admits anyone, one only the account's own role.
  const policy = (principal: string) =>
    JSON.stringify({
      Version: '1',
      Statement: [
        { Effect: 'Allow', Principal: { RAM: [principal] }, Action: ['kms:GetSecretValue'], Resource: ['*'] },
      ],
    });
  const account = options.accountId ?? DEMO_ACCOUNT_ID;
  generic(DEMO_TROUBLE.broadPolicy, 'prod', 10, {
    DKMSInstanceId: DEMO_KMS_INSTANCE_ID,
    Policy: policy('*'),
  });
  generic('prod/ledger-signing-key', 'prod', 10, {
    DKMSInstanceId: DEMO_KMS_INSTANCE_ID,
    Policy: policy(`acs:ram::${account}:role/ledger-app`),
  });

  // A few more ordinary secrets, so the fleet reads like a real account.
  ram('monitoring-agent', 'staging', '30d', 18);
  ecs('dev/jumpbox-ssh', 'dev', 'SSHKey', 'i-bp1jump01', '30d', 22);
  generic('prod/payment-gateway-api-key', 'prod', 45);
  rds('prod/audit-log-db', 'prod', 'DoubleUsers', 'rm-bp1auditlog', '30d', 1);
  // Held in a dedicated KMS instance (the forecast reads its end date), its policy admitting only
  // the account's own application role.
  // Its ExtendedConfig names the account (UNCONFIRMED for RDS), so the forecast checks the accounts too.
  rds('prod/ledger-db', 'prod', 'DoubleUsers', 'rm-bp1ledger01', '30d', 11, {
    ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-bp1ledger01', AccountName: 'ledger_db' },
    DKMSInstanceId: 'kst-hzz6demo0ledger',
    Policy: policy(`acs:ram::${account}:role/ledger-app`),
  });

  addRealServerSecrets(options, rng, add, ago);

  return {
    AccountId: options.accountId ?? DEMO_ACCOUNT_ID,
    RegionId: region,
    Now: options.now,
    Secrets: secrets,
    Faults: [
      // Lost and duplicated deliveries: the sweep must repair the first, dedupe the second.
      {
        Kind: 'EventDrop',
        SecretName: DEMO_TROUBLE.eventDropped,
        EventType: 'kms:CloudMonitor:Secret[RotateSecret:Failure]',
        Times: 1,
      },
      { Kind: 'EventDuplicate', EventType: 'kms:CloudMonitor:Secret[RotateSecret:Success]', Rate: 0.3 },
      { Kind: 'EventDuplicate', SecretName: DEMO_TROUBLE.transient, Times: 3 },
    ],
  };
}

/** Secrets bound to the machine's PostgreSQL, MariaDB and Redis, when they are there. */
function addRealServerSecrets(
  options: DemoFleetOptions,
  rng: Rng,
  add: (s: DemoSecret) => void,
  ago: (d: number) => string,
): void {
  const { postgresql, mysql, redis } = options.realServers;
  const probeTag = (engine: string, host: string, port: number) => ({ 'kro-probe': `${engine}://${host}:${port}` });
  if (postgresql) {
    add({
      SecretName: DEMO_TROUBLE.notApplied,
      SecretType: 'Rds',
      SecretData: rdsData(rng, 'kro_demo_orders', true),
      ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-local-postgres' },
      EnableAutomaticRotation: true,
      RotationInterval: '7d',
      LastRotationDate: ago(5),
      Tags: { env: 'prod', team: 'platform', ...probeTag('postgresql', '127.0.0.1', 5432) },
      Backing: { Engine: 'postgresql', Host: '127.0.0.1', Port: 5432, AdminUser: 'postgres', Database: 'postgres' },
      // KMS reports success, the server keeps the old password: only a probe can tell.
      Faults: [{ Kind: 'RotationNotApplied', Times: 1 }],
    });
  }
  if (mysql) {
    add({
      SecretName: 'prod/mysql-shop-live',
      SecretType: 'Rds',
      SecretData: rdsData(rng, 'kro_demo_shop', true),
      ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-local-mariadb' },
      EnableAutomaticRotation: true,
      RotationInterval: '14d',
      LastRotationDate: ago(10),
      Tags: { env: 'prod', team: 'platform', ...probeTag('mysql', '127.0.0.1', 3306) },
      Backing: { Engine: 'mysql', Host: '127.0.0.1', Port: 3306, AdminUser: 'root', AdminPassword: '' },
    });
  }
  if (redis) {
    add({
      SecretName: 'prod/redis-queue-live',
      SecretType: 'Redis',
      SecretData: JSON.stringify({ AccountName: 'kro_demo_queue', AccountPassword: password(rng) }),
      ExtendedConfig: {
        SecretSubType: 'DoubleUsers',
        InstanceId: 'r-local-redis',
        AccountName: 'kro_demo_queue',
        CloneAccountName: 'kro_demo_queue_clone',
        RegionId: 'cn-hangzhou',
      },
      EnableAutomaticRotation: true,
      RotationInterval: '7d',
      LastRotationDate: ago(4),
      Tags: { env: 'prod', team: 'cache', ...probeTag('redis', '127.0.0.1', 6379) },
      Backing: { Engine: 'redis', Host: '127.0.0.1', Port: 6379 },
    });
  }
}

/** Every SecretData string in the seed and the fields inside it: what no output may ever contain. */
export function secretValuesOf(seed: DemoSeed): string[] {
  const values = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.length >= 8) values.add(v);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) if (!/name|timestamp|publickey/i.test(k)) walk(inner);
    }
  };
  for (const s of seed.Secrets) {
    values.add(s.SecretData);
    try {
      walk(JSON.parse(s.SecretData));
    } catch {
      // SecretData that is not JSON is a value by itself, already added.
    }
  }
  return [...values];
}
