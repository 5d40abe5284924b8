/**
 * The development PostgreSQL trusts every TCP login from 127.0.0.1 (pg_hba `host all all
 * 127.0.0.1/32 trust`): any password would log in, and a probe could never fail. The emulator
 * makes its own accounts members of one group role and puts two rules for that group above the
 * trust rule, so those accounts, and only those, must present their SCRAM password. Every other
 * role on the server keeps trust. The edit is idempotent, checked with pg_hba_file_rules, rolled
 * back if the server reports an error in the file, and confirmed by a failing wrong-password login.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import { postgresScramVerifier } from './password-hashes';

export const PASSWORD_AUTH_GROUP = 'kro_password_auth';
const MARKER = '# kro-emulator:';
const RULES = [
  `${MARKER} members of ${PASSWORD_AUTH_GROUP} (emulator-managed accounts) must log in with their password`,
  `host all +${PASSWORD_AUTH_GROUP} 127.0.0.1/32 scram-sha-256`,
  `host all +${PASSWORD_AUTH_GROUP} ::1/128 scram-sha-256`,
];
// Serialises concurrent test processes editing the same file.
const LOCK_KEY = 0x6b726f01;

export interface PasswordAuthState {
  enforced: boolean;
  /** Why not, when not: shown to whoever relies on wrong passwords failing. */
  reason?: string;
}

export async function ensureGroupRole(admin: Client): Promise<void> {
  const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [PASSWORD_AUTH_GROUP]);
  if (exists.rowCount) return;
  try {
    await admin.query(`CREATE ROLE ${admin.escapeIdentifier(PASSWORD_AUTH_GROUP)} NOLOGIN`);
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
}

/** Adds the rules when missing and reloads; never weakens any rule already there. */
export async function ensurePasswordAuthentication(admin: Client): Promise<PasswordAuthState> {
  await ensureGroupRole(admin);
  await admin.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
  try {
    const { rows } = await admin.query<{ hba_file: string }>('SHOW hba_file');
    const path = rows[0]?.hba_file;
    if (!path) return { enforced: false, reason: 'the server did not report its hba_file' };
    const current =
      (await admin.query<{ text: string }>('SELECT pg_read_file($1) AS text', [path])).rows[0]?.text ?? '';
    if (!current.includes(RULES[1]!)) {
      await writeServerFile(admin, path, `${RULES.join('\n')}\n${current}`);
      const errors = await admin.query<{ line_number: number; error: string }>(
        'SELECT line_number, error FROM pg_hba_file_rules WHERE error IS NOT NULL',
      );
      if (errors.rowCount) {
        await writeServerFile(admin, path, current);
        return {
          enforced: false,
          reason: `pg_hba.conf rejected the rule: ${errors.rows[0]?.error ?? 'unknown error'} (file restored)`,
        };
      }
      await admin.query('SELECT pg_reload_conf()');
    }
  } catch (error) {
    return {
      enforced: false,
      reason: `cannot edit pg_hba.conf as ${admin.user ?? 'admin'}: ${(error as Error).message}`,
    };
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
  }
  return confirmPasswordRequired(admin);
}

/** The postmaster applies a reload asynchronously: wait (bounded) until a wrong password is refused. */
async function confirmPasswordRequired(admin: Client): Promise<PasswordAuthState> {
  // A throw-away member of the group, one per check, so concurrent checks never share it.
  const sentinel = `${PASSWORD_AUTH_GROUP}_check_${randomBytes(4).toString('hex')}`;
  const verifier = admin.escapeLiteral(postgresScramVerifier(randomBytes(24).toString('base64')));
  await admin.query(
    `CREATE ROLE ${admin.escapeIdentifier(sentinel)} LOGIN PASSWORD ${verifier} IN ROLE ${admin.escapeIdentifier(PASSWORD_AUTH_GROUP)}`,
  );
  try {
    for (let attempt = 0; attempt < 40; attempt += 1) {
      const probe = new Client({
        host: admin.host,
        port: admin.port,
        user: sentinel,
        password: 'wrong-password',
        database: 'postgres',
        connectionTimeoutMillis: 2_000,
      });
      try {
        await probe.connect();
        await probe.end();
      } catch (error) {
        if ((error as { code?: string }).code === '28P01') return { enforced: true };
        return { enforced: false, reason: `checking password authentication failed: ${(error as Error).message}` };
      }
      await delay(25);
    }
    return {
      enforced: false,
      reason: 'PostgreSQL still accepts a wrong password for emulator accounts after reloading pg_hba.conf',
    };
  } finally {
    await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(sentinel)}`);
  }
}

/** Writes exact bytes as the server's own user (superuser only): COPY would escape tabs. */
async function writeServerFile(admin: Client, path: string, content: string): Promise<void> {
  const { rows } = await admin.query<{ oid: number }>("SELECT lo_from_bytea(0, convert_to($1, 'UTF8')) AS oid", [
    content,
  ]);
  const oid = rows[0]?.oid;
  try {
    await admin.query('SELECT lo_export($1, $2)', [oid, path]);
  } finally {
    await admin.query('SELECT lo_unlink($1)', [oid]);
  }
}

export function isAlreadyExists(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  // 42710 duplicate_object; 23505 when two sessions create the same role at once.
  return code === '42710' || code === '23505';
}
