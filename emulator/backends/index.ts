/**
 * The emulator's CredentialBackend: KMS rotation of a secret seeded with `Backing: {Engine, Host,
 * Port}` calls setPassword, which changes the password on the real server. One admin connection
 * per server, opened on first use and ended by close().
 */
import type { CredentialBackend, ServerBinding } from '../services/contracts';
import type { EngineBackend } from './engine-backend';
import { connectMysqlBackend } from './mysql-backend';
import { connectPostgresBackend } from './postgres-backend';
import { connectRedisBackend } from './redis-backend';

export interface RealServerBackend extends CredentialBackend {
  /** Removes an account created through setPassword (test and emulator clean-up). */
  dropAccount(binding: ServerBinding, accountName: string): Promise<void>;
  /**
   * Whether a wrong password fails on this server. PostgreSQL with trust authentication accepts
   * any password unless the emulator could add its pg_hba rules; the reason says why not.
   */
  passwordEnforcement(binding: ServerBinding): Promise<{ enforced: boolean; reason?: string }>;
}

export function createCredentialBackend(): RealServerBackend {
  const connections = new Map<
    string,
    Promise<EngineBackend & { passwordAuth?: { enforced: boolean; reason?: string } }>
  >();

  function backendFor(binding: ServerBinding) {
    const key = `${binding.Engine}://${binding.AdminUser ?? ''}@${binding.Host}:${binding.Port}/${binding.Database ?? ''}`;
    let backend = connections.get(key);
    if (!backend) {
      backend = connect(binding);
      // A failed connection is not cached: the next rotation tries again.
      backend.catch(() => connections.delete(key));
      connections.set(key, backend);
    }
    return backend;
  }

  return {
    async setPassword(binding, accountName, password) {
      const backend = await backendFor(binding).catch((error: unknown) => {
        throw new Error(
          `cannot reach ${binding.Engine} at ${binding.Host}:${binding.Port} as admin: ${(error as Error).message}`,
        );
      });
      try {
        await backend.setPassword(accountName, password);
      } catch (error) {
        // Driver messages quote the statement at most, and statements carry only hashes.
        throw new Error(
          `cannot set the password of ${binding.Engine} account ${JSON.stringify(accountName)} at ${binding.Host}:${binding.Port}: ${(error as Error).message}`,
        );
      }
    },
    async dropAccount(binding, accountName) {
      await (await backendFor(binding)).dropAccount(accountName);
    },
    async passwordEnforcement(binding) {
      return (await backendFor(binding)).passwordAuth ?? { enforced: true };
    },
    async close() {
      const all = [...connections.values()];
      connections.clear();
      await Promise.allSettled(all.map(async (backend) => (await backend).close()));
    },
  };
}

function connect(
  binding: ServerBinding,
): Promise<EngineBackend & { passwordAuth?: { enforced: boolean; reason?: string } }> {
  switch (binding.Engine) {
    case 'postgresql':
      return connectPostgresBackend(binding);
    case 'mysql':
      return connectMysqlBackend(binding);
    case 'redis':
      return connectRedisBackend(binding);
    default:
      return Promise.reject(
        new Error(`unsupported backing engine ${JSON.stringify((binding as { Engine: unknown }).Engine)}`),
      );
  }
}
