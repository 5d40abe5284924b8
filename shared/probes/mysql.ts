/** MySQL and MariaDB (RDS, PolarDB): log in with the ACSCurrent account and run SELECT 1. */
import type { Connection } from 'mysql2/promise';
import { EXPIRED, closeQuietly, withDeadline } from './deadline';
import { type ProbePhase, errorText, messageOf, networkFailure, timeoutReason } from './driver-errors';
import { driverMissing, loadMysql, type MysqlCreateConnection } from './drivers';
import type { AccountProbe, ProbeResult } from './types';

const AUTH_CODES: Readonly<Record<string, string>> = {
  ER_ACCESS_DENIED_ERROR: 'access denied (wrong password or unknown account)',
  ER_DBACCESS_DENIED_ERROR: 'the account may not use the database',
  ER_BAD_DB_ERROR: 'the database does not exist',
  ER_ACCOUNT_HAS_BEEN_LOCKED: 'the account is locked',
  ER_MUST_CHANGE_PASSWORD_LOGIN: 'the password has expired',
  ER_HOST_NOT_PRIVILEGED: "the server does not accept logins from the function's address",
};

export const probeMysql: AccountProbe = async (target, credential, timeouts) => {
  let createConnection: MysqlCreateConnection;
  try {
    createConnection = await loadMysql();
  } catch (error) {
    return driverMissing(target, error);
  }
  let connection: Connection | undefined;
  let phase: ProbePhase = 'connect';
  const destroy = () => connection?.destroy();
  const work = (async (): Promise<ProbeResult> => {
    connection = await createConnection({
      host: target.host,
      port: target.port,
      user: credential.accountName,
      password: credential.password,
      database: target.database,
      connectTimeout: timeouts.connectTimeoutMs,
      ssl: target.tls === 'off' ? undefined : { rejectUnauthorized: target.tls === 'verify' },
    });
    connection.on('error', () => undefined);
    phase = 'query';
    const [rows] = await connection.query({ sql: 'SELECT 1 AS one', timeout: timeouts.queryTimeoutMs });
    const first = (rows as Array<{ one?: unknown }>)[0];
    return Number(first?.one) === 1 ? { ok: true } : { ok: false, reason: 'SELECT 1 returned an unexpected result' };
  })().catch((error: unknown): ProbeResult => {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && AUTH_CODES[code]) {
      return {
        ok: false,
        reason: `login as ${JSON.stringify(credential.accountName)} to ${target.display} failed: ${AUTH_CODES[code]} (${code}: ${messageOf(error)})`,
      };
    }
    const timeout = phase === 'connect' ? timeouts.connectTimeoutMs : timeouts.queryTimeoutMs;
    return (
      networkFailure(error, target, phase, timeout) ?? {
        ok: false,
        reason: `MySQL probe of ${target.display} failed while ${phase === 'connect' ? 'logging in' : 'querying'}: ${errorText(error)}`,
      }
    );
  });

  const budget = timeouts.connectTimeoutMs + timeouts.queryTimeoutMs + 500;
  const result = await withDeadline(budget, work, destroy);
  // A polite end() after a failure can wait for the same server that just failed to answer.
  if (connection && result !== EXPIRED && result.ok) {
    const open = connection;
    await closeQuietly(
      () => open.end(),
      () => open.destroy(),
    );
  } else destroy();
  return result === EXPIRED
    ? {
        ok: false,
        reason: timeoutReason(target, phase, phase === 'connect' ? timeouts.connectTimeoutMs : timeouts.queryTimeoutMs),
      }
    : result;
};
