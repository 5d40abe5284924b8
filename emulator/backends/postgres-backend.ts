/** Applies rotated passwords on a real PostgreSQL (CREATE ROLE ... LOGIN / ALTER ROLE ... PASSWORD). */
import { Client } from 'pg';
import type { ServerBinding } from '../services/contracts';
import { postgresScramVerifier } from './password-hashes';
import {
  PASSWORD_AUTH_GROUP,
  type PasswordAuthState,
  ensurePasswordAuthentication,
  isAlreadyExists,
} from './postgres-password-auth';
import type { EngineBackend } from './engine-backend';

const CONNECT_TIMEOUT_MS = 5_000;

export async function connectPostgresBackend(
  binding: ServerBinding,
): Promise<EngineBackend & { passwordAuth: PasswordAuthState }> {
  const admin = new Client({
    host: binding.Host,
    port: binding.Port,
    user: binding.AdminUser ?? 'postgres',
    password: binding.AdminPassword,
    database: 'postgres',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An idle admin connection dropped by the server must not crash the process.
  admin.on('error', () => undefined);
  await admin.connect();
  const passwordAuth = await ensurePasswordAuthentication(admin);

  return {
    engine: 'postgresql',
    passwordAuth,
    async setPassword(accountName, password) {
      const role = admin.escapeIdentifier(accountName);
      const verifier = admin.escapeLiteral(postgresScramVerifier(password));
      const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [accountName]);
      if (!exists.rowCount) {
        try {
          await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD ${verifier}`);
        } catch (error) {
          if (!isAlreadyExists(error)) throw error;
        }
      }
      await admin.query(`ALTER ROLE ${role} LOGIN PASSWORD ${verifier}`);
      await admin.query(`GRANT ${admin.escapeIdentifier(PASSWORD_AUTH_GROUP)} TO ${role}`);
      if (binding.Database)
        await admin.query(`GRANT CONNECT ON DATABASE ${admin.escapeIdentifier(binding.Database)} TO ${role}`);
    },
    async dropAccount(accountName) {
      const role = admin.escapeIdentifier(accountName);
      const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [accountName]);
      if (!exists.rowCount) return;
      // Sessions of the role would block DROP ROLE.
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [accountName]);
      if (binding.Database)
        await admin.query(`REVOKE ALL ON DATABASE ${admin.escapeIdentifier(binding.Database)} FROM ${role}`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
    },
    async close() {
      await admin.end();
    },
  };
}
