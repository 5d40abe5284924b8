/** PostgreSQL (RDS, PolarDB): log in with the ACSCurrent account and run SELECT 1. */
import { EXPIRED, closeQuietly, withDeadline } from './deadline';
import { type ProbePhase, errorText, messageOf, networkFailure, timeoutReason } from './driver-errors';
import { driverMissing, loadPg, type PgClient } from './drivers';
import type { AccountProbe, ProbeResult } from './types';

// SQLSTATE class 28 = invalid authorization; 3D000 = the database does not exist.
const AUTH_CODES: Readonly<Record<string, string>> = {
  '28P01': 'password authentication failed',
  '28000': 'the server refused the login (no pg_hba.conf rule, or the role may not log in)',
  '3D000': 'the database does not exist',
  '42501': 'the account lacks a privilege the login needs',
};

export const probePostgres: AccountProbe = async (target, credential, timeouts) => {
  let Client: PgClient;
  try {
    Client = await loadPg();
  } catch (error) {
    return driverMissing(target, error);
  }
  const client = new Client({
    host: target.host,
    port: target.port,
    user: credential.accountName,
    password: credential.password,
    database: target.database ?? 'postgres',
    connectionTimeoutMillis: timeouts.connectTimeoutMs,
    query_timeout: timeouts.queryTimeoutMs,
    statement_timeout: timeouts.queryTimeoutMs,
    application_name: 'kro-probe',
    ssl: target.tls === 'off' ? false : { rejectUnauthorized: target.tls === 'verify' },
  });
  client.on('error', () => undefined);
  const destroy = () =>
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  let phase: ProbePhase = 'connect';
  let connected = false;
  const work = (async (): Promise<ProbeResult> => {
    await client.connect();
    connected = true;
    phase = 'query';
    const { rows } = await client.query<{ one: number }>('SELECT 1 AS one');
    return rows[0]?.one === 1 ? { ok: true } : { ok: false, reason: 'SELECT 1 returned an unexpected result' };
  })().catch((error: unknown) => classify(error, phase));

  function classify(error: unknown, at: ProbePhase): ProbeResult {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && AUTH_CODES[code]) {
      return {
        ok: false,
        reason: `login as ${JSON.stringify(credential.accountName)} to ${target.display} failed: ${AUTH_CODES[code]} (${code}: ${messageOf(error)})`,
      };
    }
    const timeout = at === 'connect' ? timeouts.connectTimeoutMs : timeouts.queryTimeoutMs;
    return (
      networkFailure(error, target, at, timeout) ?? {
        ok: false,
        reason: `PostgreSQL probe of ${target.display} failed while ${at === 'connect' ? 'logging in' : 'querying'}: ${errorText(error)}`,
      }
    );
  }

  const budget = timeouts.connectTimeoutMs + timeouts.queryTimeoutMs + 500;
  const result = await withDeadline(budget, work, destroy);
  // A polite end() after a failure can wait for the same server that just failed to answer.
  if (connected && result !== EXPIRED && result.ok) await closeQuietly(() => client.end(), destroy);
  else destroy();
  return result === EXPIRED
    ? {
        ok: false,
        reason: timeoutReason(target, phase, phase === 'connect' ? timeouts.connectTimeoutMs : timeouts.queryTimeoutMs),
      }
    : result;
};
