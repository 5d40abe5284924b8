/**
 * The key a deleted RAM secret leaves behind (issue 16): deleting a dynamic RAM secret does not
 * delete the RAM user's AccessKey (KMS "Manage dynamic RAM secrets": confirm no application still
 * uses it). For the deletion-scheduled alert: the user (ExtendedConfig.UserName), the AccessKey ids
 * that stay active (ram ListAccessKeys), and when each was last used (ram GetAccessKeyLastUsed,
 * when granted). The secret's value holds the AccessKeySecret: it is never read here.
 */
import { CloudError } from '../errors';
import type { LeftoverKeys } from '../domain/types';
import type { SecretDescription } from '../ports/kms';
import type { TargetReads } from './port';

export type { LeftoverKeys };

const code = (error: unknown) => (error instanceof CloudError ? error.code : 'ReadFailed');

export async function leftoverKeys(
  reads: Pick<TargetReads, 'ramAccessKeys' | 'accessKeyLastUsed'>,
  secret: Pick<SecretDescription, 'secretType' | 'extendedConfig'>,
): Promise<LeftoverKeys | undefined> {
  const userName = secret.secretType === 'RAMCredentials' ? secret.extendedConfig.UserName : undefined;
  if (typeof userName !== 'string' || userName === '') return undefined;
  let ids: string[] | undefined;
  try {
    ids = await reads.ramAccessKeys(userName);
  } catch (error) {
    return { userName, keys: [], notChecked: code(error) };
  }
  const keys: LeftoverKeys['keys'] = [];
  for (const accessKeyId of ids ?? []) {
    let lastUsed: string;
    try {
      const at = await reads.accessKeyLastUsed(userName, accessKeyId);
      // undefined: the key went away between the two calls; then it is not left behind.
      if (at === undefined) continue;
      lastUsed = at === null ? 'never' : new Date(at).toISOString();
    } catch (error) {
      lastUsed = `not checked (${code(error)})`;
    }
    keys.push({ accessKeyId, lastUsed });
  }
  return { userName, keys };
}

/**
 * A secret in its deletion window cannot hold state (stateless-episode.ts): every pass sees its
 * deletion alert as still to send and looks it up in CloudMonitor. Without this memo each pass would
 * also repeat the RAM reads; a warm function instance reuses what it read for a day (the alert goes
 * out on the first pass; a later reminder may say what was true up to a day earlier).
 */
export const LEFTOVER_KEYS_REUSE_MS = 86_400_000;
const MEMO_LIMIT = 1_000;
const memo = new Map<string, { at: number; left: LeftoverKeys | undefined }>();

export async function leftoverKeysOnce(
  reads: Pick<TargetReads, 'ramAccessKeys' | 'accessKeyLastUsed'>,
  secret: Pick<SecretDescription, 'secretName' | 'secretType' | 'extendedConfig' | 'plannedDeleteTime'>,
  now: number,
): Promise<LeftoverKeys | undefined> {
  const key = `${secret.secretName}\u0000${secret.plannedDeleteTime ?? ''}`;
  const hit = memo.get(key);
  if (hit && now - hit.at >= 0 && now - hit.at < LEFTOVER_KEYS_REUSE_MS && !hit.left?.notChecked) return hit.left;
  const left = await leftoverKeys(reads, secret);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, { at: now, left });
  return left;
}
