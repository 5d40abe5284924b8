/**
 * Applies rotated passwords on a real MySQL/MariaDB (CREATE USER IF NOT EXISTS / ALTER USER), with
 * the mysql_native_password hash so the statement never carries the password. Accounts are
 * `'<name>'@'%'`: the development server resolves no names (skip_name_resolve), so a TCP login from
 * 127.0.0.1 matches '%' and never a 'localhost' entry.
 */
import { createConnection, escape, escapeId } from 'mysql2/promise';
import type { ServerBinding } from '../services/contracts';
import type { EngineBackend } from './engine-backend';
import { mysqlNativePasswordHash } from './password-hashes';

const CONNECT_TIMEOUT_MS = 5_000;

export async function connectMysqlBackend(binding: ServerBinding): Promise<EngineBackend> {
  const admin = await createConnection({
    host: binding.Host,
    port: binding.Port,
    user: binding.AdminUser ?? 'root',
    password: binding.AdminPassword ?? '',
    connectTimeout: CONNECT_TIMEOUT_MS,
  });
  admin.on('error', () => undefined);
  const account = (name: string) => `${escape(name)}@'%'`;

  return {
    engine: 'mysql',
    async setPassword(accountName, password) {
      const hash = escape(mysqlNativePasswordHash(password));
      await admin.query(`CREATE USER IF NOT EXISTS ${account(accountName)} IDENTIFIED BY PASSWORD ${hash}`);
      await admin.query(`ALTER USER ${account(accountName)} IDENTIFIED BY PASSWORD ${hash}`);
      if (binding.Database)
        await admin.query(`GRANT ALL PRIVILEGES ON ${escapeId(binding.Database)}.* TO ${account(accountName)}`);
    },
    async dropAccount(accountName) {
      await admin.query(`DROP USER IF EXISTS ${account(accountName)}`);
    },
    async close() {
      await admin.end();
    },
  };
}
