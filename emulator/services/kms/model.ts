/** The KMS secret store's records, kept compact: 100,000 seeded secrets must fit well under 1 GiB. */
import type { ServerBinding } from '../contracts';

export const SECRET_TYPES = ['Generic', 'Rds', 'Redis', 'RAMCredentials', 'ECS', 'PolarDB'] as const;
export type SecretType = (typeof SECRET_TYPES)[number];
export type RotationState = 'Enabled' | 'Disabled' | 'Invalid';

export interface SecretVersion {
  id: string;
  /** The value GetSecretValue returns for this version. */
  data: string;
  dataType: 'text' | 'binary';
  createdAt: number;
  stages: string[];
}

export interface RotationRecord {
  at: number;
  versionId?: string;
  outcome: 'success' | 'failure' | 'started' | 'stuck';
  errorCode?: string;
  trigger: 'automatic' | 'immediate';
}

export interface RunningRotation {
  versionId: string;
  trigger: 'automatic' | 'immediate';
  startedAt: number;
  stuck: boolean;
}

export interface SecretRecord {
  name: string;
  type: SecretType;
  description?: string;
  encryptionKeyId?: string;
  dkmsInstanceId?: string;
  extendedConfig?: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  autoRotation: boolean;
  intervalSeconds?: number;
  lastRotation?: number;
  nextRotation?: number;
  state: RotationState;
  versions: SecretVersion[];
  tags?: Array<[string, string]>;
  policy?: string;
  plannedDeleteAt?: number;
  running?: RunningRotation;
  history?: RotationRecord[];
  deletedTarget?: boolean;
  backing?: ServerBinding;
}

export function isManaged(type: SecretType): boolean {
  return type !== 'Generic';
}

/** `2022-02-21T15:39:26Z`: UTC, no milliseconds (§2). */
// Every describe formats the same few dates of each secret again: remember recent ones.
const apiDates = new Map<number, string>();

export function apiDate(ms: number): string {
  let text = apiDates.get(ms);
  if (text === undefined) {
    if (apiDates.size >= 50_000) apiDates.clear();
    text = `${new Date(ms).toISOString().slice(0, 19)}Z`;
    apiDates.set(ms, text);
  }
  return text;
}

/** Accepts `30d`, `7d`, `604800s`, `12h`, `720m` (§2); returns seconds or undefined. */
export function parseInterval(text: string): number | undefined {
  const m = /^(\d{1,10})([dhms])$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = { d: 86400, h: 3600, m: 60, s: 1 }[m[2] as 'd' | 'h' | 'm' | 's'];
  return n * unit;
}

export function secretArn(regionId: string, accountId: string, name: string): string {
  return `acs:kms:${regionId}:${accountId}:secret/${name}`;
}

/** SecretName may be given as the secret's ARN (needed cross-account). */
export function nameFromParam(value: string): string {
  const m = /^acs:kms:[^:]*:[^:]*:secret\/(.+)$/.exec(value);
  return m ? (m[1] as string) : value;
}

export function currentVersion(secret: SecretRecord): SecretVersion | undefined {
  return secret.versions.find((v) => v.stages.includes('ACSCurrent'));
}
