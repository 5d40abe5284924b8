/**
 * Each server is told the password's verifier, never the password: a server log, a slow log or
 * pg_stat_statements then holds nothing that logs in. These are the servers' own formats:
 * - PostgreSQL SCRAM-SHA-256 (RFC 5802/7677, as libpq's PQencryptPasswordConn builds it),
 * - MariaDB mysql_native_password (`*` + upper-hex SHA1(SHA1(password))),
 * - Redis ACL `#<sha256 hex>`.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

const SCRAM_ITERATIONS = 4096;

export function postgresScramVerifier(password: string, salt: Buffer = randomBytes(16)): string {
  const salted = pbkdf2Sync(Buffer.from(saslprep(password), 'utf8'), salt, SCRAM_ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * The byte-changing steps of SASLprep (RFC 4013), as PostgreSQL and node-postgres apply them:
 * non-ASCII spaces become U+0020, "mapped to nothing" characters go, then NFKC.
 */
function saslprep(password: string): string {
  return password
    .replace(/[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g, ' ')
    .replace(/\u00AD|\u034F|\u1806|\u180B|\u180C|\u180D|\u200C|\u200D|\u2060|[\uFE00-\uFE0F]|\uFEFF/g, '')
    .normalize('NFKC');
}

export function mysqlNativePasswordHash(password: string): string {
  const once = createHash('sha1').update(password, 'utf8').digest();
  return `*${createHash('sha1').update(once).digest('hex').toUpperCase()}`;
}

export function redisAclPasswordHash(password: string): string {
  return `#${createHash('sha256').update(password, 'utf8').digest('hex')}`;
}
