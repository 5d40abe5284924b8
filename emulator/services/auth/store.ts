/**
 * The emulator's key ring: the documented default pair, seeded AccessKeys, the current keys of RAM
 * secrets, and STS tokens issued to function roles. Lookups are O(1) so signature checks stay cheap.
 */
import { randomBytes } from 'node:crypto';
import type { SimClock } from '../../types';
import type { AuthStore, KeyRecord, PolicyDocument } from '../contracts';

/** FC hands functions STS credentials valid for 36 h (alibaba-cloud-apis.md §6.1). */
const DEFAULT_STS_SECONDS = 36 * 3600;

export interface EmulatorAuthStore extends AuthStore {
  /** Simulates "the key was deleted in RAM": later calls with it get InvalidAccessKeyId.NotFound. */
  deleteAccessKey(accessKeyId: string): boolean;
  keyCount(): number;
}

function token(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export function createAuthStore(deps: { clock: SimClock; accountId: string }): EmulatorAuthStore {
  const keys = new Map<string, KeyRecord>();
  const rolePolicies = new Map<string, PolicyDocument | undefined>();

  return {
    addAccessKey(key) {
      keys.set(key.accessKeyId, { ...key, accountId: key.accountId ?? deps.accountId });
    },
    removeAccessKey(accessKeyId) {
      keys.delete(accessKeyId);
    },
    deleteAccessKey(accessKeyId) {
      return keys.delete(accessKeyId);
    },
    lookup(accessKeyId) {
      const record = keys.get(accessKeyId);
      if (!record) return undefined;
      if (record.expiresAt !== undefined && record.expiresAt <= deps.clock.now()) {
        keys.delete(accessKeyId);
        return undefined;
      }
      return record;
    },
    issueStsToken({ roleName, sessionName = 'fc', durationSeconds = DEFAULT_STS_SECONDS }) {
      const accessKeyId = `STS.${token(18)}`;
      const accessKeySecret = token(30);
      const securityToken = `CAIS${token(96)}`;
      const expiresAt = deps.clock.now() + durationSeconds * 1000;
      keys.set(accessKeyId, {
        accessKeyId,
        accessKeySecret,
        accountId: deps.accountId,
        principal: `assumed-role/${roleName}/${sessionName}`,
        securityToken,
        expiresAt,
        policy: rolePolicies.get(roleName),
      });
      return {
        accessKeyId,
        accessKeySecret,
        securityToken,
        expiration: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      };
    },
    setRolePolicy(roleName, policy) {
      rolePolicies.set(roleName, policy);
      // Tokens already issued for the role follow the new policy, as a RAM policy change would.
      for (const record of keys.values()) {
        if (record.principal.startsWith(`assumed-role/${roleName}/`)) record.policy = policy;
      }
    },
    keyCount() {
      return keys.size;
    },
  };
}
