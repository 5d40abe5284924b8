/**
 * A healthy production fleet for the benchmarks, in the emulator's seed format: every type in a
 * realistic mix, each secret within policy (rotation on, 7-30 d interval, RDS in double-account
 * mode, Generic secrets younger than 90 d), so a sweep of it measures reading, not alerting.
 * Deterministic: secret i is the same in every run. Values are fake and never printed.
 */
import { seededRandom } from '../emulator/faults';

const DAY = 86_400_000;

export interface FleetSecret {
  SecretName: string;
  SecretType: 'Generic' | 'Rds' | 'Redis' | 'RAMCredentials' | 'ECS' | 'PolarDB';
  SecretData?: string;
  ExtendedConfig?: Record<string, string>;
  EnableAutomaticRotation?: boolean;
  RotationInterval?: string;
  LastRotationDate?: string;
  CreateTime?: string;
  Tags: Record<string, string>;
}

/** Share of each type in a fleet of 100 (what an account with many RDS databases looks like). */
const MIX: ReadonlyArray<[FleetSecret['SecretType'], number]> = [
  ['Rds', 45],
  ['PolarDB', 13],
  ['RAMCredentials', 15],
  ['ECS', 15],
  ['Redis', 10],
  ['Generic', 2],
];

export function typeAt(index: number): FleetSecret['SecretType'] {
  let slot = index % 100;
  for (const [type, share] of MIX) {
    if (slot < share) return type;
    slot -= share;
  }
  return 'Rds';
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

export function fleetSecret(index: number, now: number, rng: () => number = seededRandom(index + 1)): FleetSecret {
  const type = typeAt(index);
  const n = String(index).padStart(6, '0');
  const intervalDays = 7 + Math.floor(rng() * 24);
  // Rotated some hours to (interval - 1) days ago: due later, never overdue at the bench's start.
  const last = now - Math.floor(rng() * (intervalDays - 1) * DAY) - 3_600_000;
  const fake = () => Math.floor(rng() * 2 ** 48).toString(36);
  const managed = { EnableAutomaticRotation: true, RotationInterval: `${intervalDays}d`, LastRotationDate: iso(last) };
  const tags = { env: 'production', team: `team-${index % 17}` };
  switch (type) {
    case 'Rds':
      return {
        SecretName: `prod/rds/db-${n}`,
        SecretType: 'Rds',
        SecretData: JSON.stringify({
          Accounts: [
            { AccountName: `app${n}`, AccountPassword: fake() },
            { AccountName: `app${n}_clone`, AccountPassword: fake() },
          ],
        }),
        ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: `rm-bench${Math.floor(index / 20)}` },
        ...managed,
        Tags: tags,
      };
    case 'PolarDB':
      return {
        SecretName: `prod/polardb/db-${n}`,
        SecretType: 'PolarDB',
        ExtendedConfig: {
          SecretSubType: 'DoubleUsers',
          DBClusterId: `pc-bench${Math.floor(index / 20)}`,
          DBType: 'MySQL',
          AccountName: `app${n}`,
          CloneAccountName: `app${n}_clone`,
          AccountType: 'Normal',
          RegionId: 'cn-hangzhou',
        },
        ...managed,
        Tags: tags,
      };
    case 'Redis':
      return {
        SecretName: `prod/redis/cache-${n}`,
        SecretType: 'Redis',
        ExtendedConfig: {
          SecretSubType: 'DoubleUsers',
          InstanceId: `r-bench${Math.floor(index / 20)}`,
          AccountName: `app${n}`,
          CloneAccountName: `app${n}_clone`,
          AccountPrivilege: 'RoleReadWrite',
          RegionId: 'cn-hangzhou',
        },
        ...managed,
        Tags: tags,
      };
    case 'RAMCredentials':
      return {
        SecretName: `acs/ram/user/svc-${n}`,
        SecretType: 'RAMCredentials',
        SecretData: JSON.stringify({
          AccessKeys: [
            {
              AccessKeyId: `LTAI5tBench${n}${fake()}`.slice(0, 24),
              AccessKeySecret: fake() + fake(),
              GenerateTimestamp: iso(last),
            },
          ],
        }),
        ExtendedConfig: { SecretSubType: 'RamUserAccessKey', UserName: `svc-${n}` },
        ...managed,
        Tags: tags,
      };
    case 'ECS':
      return {
        SecretName: `acs/ecs/prod/host-${n}`,
        SecretType: 'ECS',
        SecretData: JSON.stringify({ UserName: 'root', Password: fake() }),
        ExtendedConfig: { SecretSubType: 'Password', RegionId: 'cn-hangzhou', InstanceId: `i-bench${n}` },
        ...managed,
        Tags: tags,
      };
    case 'Generic':
      return {
        SecretName: `prod/app/token-${n}`,
        SecretType: 'Generic',
        SecretData: fake(),
        CreateTime: iso(now - Math.floor(rng() * 60 * DAY)),
        Tags: tags,
      };
  }
}

export function fleetSeed(count: number, now: number): { Now: string; Secrets: FleetSecret[] } {
  return { Now: new Date(now).toISOString(), Secrets: Array.from({ length: count }, (_, i) => fleetSecret(i, now)) };
}
