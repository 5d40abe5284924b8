/**
 * KMS's service-linked roles kept in RAM's own role store, so GetRole (ram/roles.ts) sees them and
 * removing one there is what fails the next rotation. Trust: the KMS secrets-manager service
 * principal; its exact name per product is UNCONFIRMED ("secretsmanager-<product>.kms.aliyuncs.com").
 */
import { ramDate, type RamStore } from '../ram/store';
import type { RoleDirectory } from './store';

export function serviceRoleDirectory(store: RamStore, accountId: string, now: () => number): RoleDirectory {
  return {
    has: (name) => store.roles.has(name),
    delete: (name) => store.roles.delete(name),
    add(name) {
      if (store.roles.has(name)) return;
      const product = name.replace(/^AliyunServiceRoleForKMSSecretsManagerFor/, '').toLowerCase();
      const date = ramDate(now());
      store.roles.set(name, {
        roleId: `3${String(Math.abs(hash(`${accountId}/${name}`)))
          .padStart(18, '0')
          .slice(0, 18)}`,
        roleName: name,
        arn: `acs:ram::${accountId}:role/aliyun-service-role/${name.toLowerCase()}`,
        description: `KMS secrets manager rotates ${product} credentials with this role.`,
        assumeRolePolicyDocument: JSON.stringify({
          Version: '1',
          Statement: [
            {
              Action: 'sts:AssumeRole',
              Effect: 'Allow',
              Principal: { Service: [`secretsmanager-${product}.kms.aliyuncs.com`] },
            },
          ],
        }),
        maxSessionDuration: 3600,
        createDate: date,
        updateDate: date,
      });
    },
  };
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}
