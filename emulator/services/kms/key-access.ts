/**
 * Reading a secret's value decrypts it with its key. When that key is a customer key (CreateSecret
 * `EncryptionKeyId`), GetSecretValue also needs `kms:Decrypt` on the key: the GetSecretValue API page
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-getsecretvalue,
 * "If you use a customer master key (CMK) to encrypt the secret value, you must also have the
 * kms:Decrypt permission") and the KMS RAM action table; reference alibaba-cloud-apis.md §2, §10.
 * A secret without EncryptionKeyId uses the key KMS manages for it and needs nothing more.
 */
import type { ImpliedPermission } from '../../types';
import { liveSecret, type KmsContext } from './context';
import { nameFromParam } from './model';

export function keyArn(regionId: string, accountId: string, keyId: string): string {
  return `acs:kms:${regionId}:${accountId}:key/${keyId}`;
}

export function impliedPermissions(
  ctx: KmsContext,
  action: string,
  params: Record<string, string>,
): ImpliedPermission[] {
  if (action !== 'GetSecretValue' || !params.SecretName) return [];
  const keyId = liveSecret(ctx, nameFromParam(params.SecretName))?.encryptionKeyId;
  return keyId ? [{ permission: 'kms:Decrypt', resource: keyArn(ctx.regionId, ctx.accountId, keyId) }] : [];
}
