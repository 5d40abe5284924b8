/**
 * The ACSCurrent value's shapes (reference §3): Rds/Redis/PolarDB `{"AccountName","AccountPassword"}`;
 * RAMCredentials `{"AccessKeyId","AccessKeySecret","GenerateTimestamp"}`. A Generic secret that a
 * team rotates itself may hold a database account under other common names. A problem is
 * described by the fields missing, never by what the value contains.
 */
import { isObject } from '../events/event-fields';
import type { AccessKeyCredential, AccountCredential } from './types';

export type CredentialParse<T> = { ok: true; credential: T } | { ok: false; problem: string };

function parseObject(secretData: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(secretData);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function firstString(value: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const field = value[key];
    if (typeof field === 'string' && field.length > 0) return field;
  }
  return undefined;
}

export function parseAccountCredential(secretData: string): CredentialParse<AccountCredential> {
  const value = parseObject(secretData);
  if (!value)
    return { ok: false, problem: 'the ACSCurrent value is not a JSON object {"AccountName","AccountPassword"}' };
  // Rotation stores the pair as AccountName/AccountPassword; CreateSecret's input wraps it in Accounts[].
  const source =
    Array.isArray(value.Accounts) && typeof value.Accounts[0] === 'object' && value.Accounts[0] !== null
      ? (value.Accounts[0] as Record<string, unknown>)
      : value;
  const accountName = firstString(source, ['AccountName', 'username', 'user', 'UserName']);
  const password = firstString(source, ['AccountPassword', 'password', 'Password']);
  if (!accountName || !password) {
    const missing = [accountName ? undefined : 'AccountName', password ? undefined : 'AccountPassword']
      .filter(Boolean)
      .join(' and ');
    return { ok: false, problem: `the ACSCurrent value has no ${missing}` };
  }
  return { ok: true, credential: { accountName, password } };
}

export function parseAccessKeyCredential(secretData: string): CredentialParse<AccessKeyCredential> {
  const value = parseObject(secretData);
  if (!value)
    return { ok: false, problem: 'the ACSCurrent value is not a JSON object {"AccessKeyId","AccessKeySecret"}' };
  const source =
    Array.isArray(value.AccessKeys) && typeof value.AccessKeys[0] === 'object' && value.AccessKeys[0] !== null
      ? (value.AccessKeys[0] as Record<string, unknown>)
      : value;
  const accessKeyId = firstString(source, ['AccessKeyId']);
  const accessKeySecret = firstString(source, ['AccessKeySecret']);
  if (!accessKeyId || !accessKeySecret) {
    const missing = [accessKeyId ? undefined : 'AccessKeyId', accessKeySecret ? undefined : 'AccessKeySecret']
      .filter(Boolean)
      .join(' and ');
    return { ok: false, problem: `the ACSCurrent value has no ${missing}` };
  }
  return { ok: true, credential: { accessKeyId, accessKeySecret } };
}

/** An AccessKey id for messages: enough to find it in the RAM console, not the whole id. */
export function maskAccessKeyId(accessKeyId: string): string {
  return accessKeyId.length <= 8
    ? `${accessKeyId.slice(0, 2)}***`
    : `${accessKeyId.slice(0, 4)}***${accessKeyId.slice(-4)}`;
}
