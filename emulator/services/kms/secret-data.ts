/**
 * Per-type rules for managed secrets (alibaba-cloud-apis.md §3): which ExtendedConfig keys are
 * required, how the value looks at creation and after a rotation, and which account a
 * double-account rotation writes to.
 */
import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { kmsErrors } from './errors';
import type { SecretType } from './model';

const REQUIRED_CONFIG: Readonly<Record<SecretType, string[]>> = {
  Generic: [],
  Rds: ['SecretSubType', 'DBInstanceId'],
  Redis: ['SecretSubType', 'InstanceId', 'AccountName'],
  PolarDB: ['SecretSubType', 'DBClusterId', 'AccountName'],
  RAMCredentials: ['SecretSubType', 'UserName'],
  ECS: ['SecretSubType', 'InstanceId'],
};

const SUB_TYPES: Readonly<Record<SecretType, string[]>> = {
  Generic: [],
  Rds: ['SingleUser', 'DoubleUsers', 'DualUser'],
  Redis: ['DoubleUsers', 'DualUser'],
  PolarDB: ['DoubleUsers', 'DualUser'],
  RAMCredentials: ['RamUserAccessKey'],
  ECS: ['Password', 'SSHKey'],
};

/** Returns a problem text, or undefined when the ExtendedConfig fits the type. */
export function extendedConfigProblem(
  type: SecretType,
  config: Record<string, unknown> | undefined,
): string | undefined {
  if (type === 'Generic') return undefined;
  if (!config) return `ExtendedConfig is required for ${type} secrets.`;
  for (const key of REQUIRED_CONFIG[type]) {
    if (typeof config[key] !== 'string' || config[key] === '')
      return `ExtendedConfig.${key} is required for ${type} secrets.`;
  }
  const sub = config.SecretSubType as string;
  if (!SUB_TYPES[type].includes(sub))
    return `ExtendedConfig.SecretSubType "${sub}" is not one of ${SUB_TYPES[type].join(', ')}.`;
  return undefined;
}

export function isDoubleAccount(type: SecretType, config: Record<string, unknown> | undefined): boolean {
  const sub = config?.SecretSubType;
  return (type === 'Rds' || type === 'Redis' || type === 'PolarDB') && (sub === 'DoubleUsers' || sub === 'DualUser');
}

/** 24 characters from every class, like GetRandomPassword's default. */
export function randomPassword(length = 24, exclude = ''): string {
  const classes = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%+-.=@^_'].map((c) =>
    [...c].filter((ch) => !exclude.includes(ch)).join(''),
  );
  const all = classes.join('');
  const chars = classes.filter((c) => c.length > 0).map((c) => c[randomInt(c.length)] as string);
  while (chars.length < length) chars.push(all[randomInt(all.length)] as string);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.slice(0, length).join('');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Account + password form GetSecretValue returns for Rds/Redis/PolarDB (one object, not the array). */
export interface AccountValue {
  AccountName: string;
  AccountPassword: string;
}

/**
 * Validates SecretData at creation and returns the stored value. `$Auto` (Redis, PolarDB) makes
 * KMS generate the password for the configured account.
 */
export function initialValue(type: SecretType, data: string, config: Record<string, unknown> | undefined): string {
  if (type === 'Generic') return data;
  if (data === '$Auto' && (type === 'Redis' || type === 'PolarDB')) {
    return JSON.stringify({ AccountName: String(config?.AccountName), AccountPassword: randomPassword() });
  }
  const value = parseJson(data) as Record<string, unknown> | undefined;
  if (!value || typeof value !== 'object')
    throw kmsErrors.invalid('SecretData', `SecretData of a ${type} secret must be JSON.`);
  if (type === 'Rds' || type === 'Redis' || type === 'PolarDB') {
    const list = Array.isArray(value.Accounts)
      ? (value.Accounts as AccountValue[])
      : [value as unknown as AccountValue];
    const first = list[0];
    if (!first || typeof first.AccountName !== 'string' || typeof first.AccountPassword !== 'string') {
      throw kmsErrors.invalid('SecretData', 'Expected {"Accounts":[{"AccountName":"","AccountPassword":""}]}.');
    }
    return JSON.stringify({ AccountName: first.AccountName, AccountPassword: first.AccountPassword });
  }
  if (type === 'RAMCredentials') {
    const keys = Array.isArray(value.AccessKeys) ? (value.AccessKeys as Array<Record<string, unknown>>) : [value];
    const last = keys[keys.length - 1];
    if (!last || typeof last.AccessKeyId !== 'string' || typeof last.AccessKeySecret !== 'string') {
      throw kmsErrors.invalid('SecretData', 'Expected {"AccessKeys":[{"AccessKeyId":"","AccessKeySecret":""}]}.');
    }
    return data;
  }
  // ECS
  const sshKey = config?.SecretSubType === 'SSHKey';
  if (
    typeof value.UserName !== 'string' ||
    (sshKey ? typeof value.PrivateKey !== 'string' : typeof value.Password !== 'string')
  ) {
    throw kmsErrors.invalid(
      'SecretData',
      sshKey ? 'Expected {"UserName":"","PublicKey":"","PrivateKey":""}.' : 'Expected {"UserName":"","Password":""}.',
    );
  }
  return data;
}

/** The AccessKey pairs a RAMCredentials value holds (creation form has a list, rotated form one pair). */
export function ramKeysOf(value: string): Array<{ AccessKeyId: string; AccessKeySecret: string }> {
  const parsed = parseJson(value) as Record<string, unknown> | undefined;
  if (!parsed) return [];
  const list = Array.isArray(parsed.AccessKeys) ? (parsed.AccessKeys as Array<Record<string, unknown>>) : [parsed];
  return list
    .filter((k) => typeof k.AccessKeyId === 'string' && typeof k.AccessKeySecret === 'string')
    .map((k) => ({ AccessKeyId: k.AccessKeyId as string, AccessKeySecret: k.AccessKeySecret as string }));
}

export function accountOf(value: string): AccountValue | undefined {
  const parsed = parseJson(value) as AccountValue | undefined;
  return parsed && typeof parsed.AccountName === 'string' ? parsed : undefined;
}

/**
 * The account a rotation writes to: SingleUser keeps the account; double-account alternates
 * between `<account>` and its clone, so the version ACSCurrent leaves keeps working.
 */
export function nextAccountName(
  type: SecretType,
  config: Record<string, unknown> | undefined,
  current: string,
): string {
  if (!isDoubleAccount(type, config)) return current;
  const base = typeof config?.AccountName === 'string' ? config.AccountName : current.replace(/_clone$/, '');
  const clone = typeof config?.CloneAccountName === 'string' ? config.CloneAccountName : `${base}_clone`;
  return current === clone ? base : clone;
}

function sshString(text: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(text.length);
  return Buffer.concat([length, text]);
}

/** A fresh ed25519 pair: OpenSSH public key line, PKCS#8 PEM private key. */
export function sshKeyPair(comment: string): { PublicKey: string; PrivateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]);
  return {
    PublicKey: `ssh-ed25519 ${blob.toString('base64')} ${comment}`,
    PrivateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

export function newAccessKeyPair(): { AccessKeyId: string; AccessKeySecret: string } {
  const id = `LTAI5t${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 18)}`;
  return { AccessKeyId: id, AccessKeySecret: randomBytes(22).toString('base64url').slice(0, 30) };
}
