/**
 * The key a deleted RAM secret leaves behind (issue 16): deleting a dynamic RAM secret does not
 * delete the RAM user's AccessKey (KMS "Manage dynamic RAM secrets": confirm no application still
 * uses it). For the deletion-scheduled alert: the user, the AccessKey ids that stay active, and when
 * each was last used (ram GetAccessKeyLastUsed, when granted). Ids and dates only: never a secret.
 */
import { CloudError } from '../errors';
import type { SecretDescription } from '../ports/kms';
import type { TargetReads } from './port';

export interface LeftoverKey {
  accessKeyId: string;
  /** ISO date, "never", or "not checked (<code>)". */
  lastUsed: string;
}

export interface LeftoverKeys {
  userName: string;
  keys: LeftoverKey[];
  /** Set when the user's keys could not be listed (denied, failing). */
  notChecked?: string;
}

const code = (error: unknown) => (error instanceof CloudError ? error.code : 'ReadFailed');

export async function leftoverKeys(
  reads: TargetReads,
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
  const keys: LeftoverKey[] = [];
  for (const accessKeyId of ids ?? []) {
    let lastUsed: string;
    try {
      const at = await reads.accessKeyLastUsed(userName, accessKeyId);
      lastUsed = at === undefined || at === null ? 'never' : new Date(at).toISOString();
    } catch (error) {
      lastUsed = `not checked (${code(error)})`;
    }
    keys.push({ accessKeyId, lastUsed });
  }
  return { userName, keys };
}

/** Evidence and one runbook sentence for the deletion-scheduled alert of a RAM secret. */
export function leftoverKeyEvidence(left: LeftoverKeys): { evidence: Record<string, string>; runbook: string } {
  const evidence: Record<string, string> = { ramUser: left.userName };
  if (left.notChecked) evidence.accessKeys = `not checked (${left.notChecked})`;
  else evidence.accessKeys = left.keys.map((k) => `${k.accessKeyId} last used ${k.lastUsed}`).join('; ') || 'none';
  return {
    evidence,
    runbook: `Deleting this RAM secret leaves the AccessKey(s) of RAM user ${left.userName} active. Once no application uses them (check the last use), disable then delete them in RAM (UpdateAccessKey Status=Inactive, then DeleteAccessKey).`,
  };
}
