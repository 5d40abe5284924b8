/**
 * Applies rotated passwords on a real Redis as ACL users: `ACL SETUSER <name> on resetpass
 * #<sha256> ~* &* +@all` (the hashed form, so the command holds no password).
 */
import { Redis } from 'ioredis';
import type { ServerBinding } from '../services/contracts';
import type { EngineBackend } from './engine-backend';
import { redisAclPasswordHash } from './password-hashes';

const CONNECT_TIMEOUT_MS = 5_000;

export async function connectRedisBackend(binding: ServerBinding): Promise<EngineBackend> {
  const admin = new Redis({
    host: binding.Host,
    port: binding.Port,
    username: binding.AdminUser,
    password: binding.AdminPassword,
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  admin.on('error', () => undefined);
  await admin.connect();

  return {
    engine: 'redis',
    async setPassword(accountName, password) {
      // ACL SETUSER arguments are separate protocol strings: no quoting needed, but a space in the
      // name would still be a different user than the one asked for.
      if (/\s/.test(accountName) || accountName.length === 0)
        throw new Error(`invalid Redis ACL user name ${JSON.stringify(accountName)}`);
      await admin.call(
        'ACL',
        'SETUSER',
        accountName,
        'on',
        'resetpass',
        redisAclPasswordHash(password),
        '~*',
        '&*',
        '+@all',
      );
    },
    async dropAccount(accountName) {
      await admin.call('ACL', 'DELUSER', accountName);
    },
    async close() {
      admin.disconnect();
    },
  };
}
