/**
 * Redis (Tair): AUTH with the ACSCurrent account as an ACL user, then PING. The AUTH is sent by
 * hand rather than through the client's options so that a refusal comes back as the server's own
 * reply (WRONGPASS) instead of a closed connection. No reconnects, no offline queue.
 */
import { EXPIRED, closeQuietly, withDeadline } from './deadline';
import { type ProbePhase, errorText, networkFailure, timeoutReason } from './driver-errors';
import { driverMissing, loadRedis, type RedisClient } from './drivers';
import type { AccountProbe, ProbeResult } from './types';

export const probeRedis: AccountProbe = async (target, credential, timeouts) => {
  let Redis: RedisClient;
  try {
    Redis = await loadRedis();
  } catch (error) {
    return driverMissing(target, error);
  }
  const client = new Redis({
    host: target.host,
    port: target.port,
    // RESP2 and no client info: the connection handshake sends nothing, so the first command on
    // the wire is our AUTH (a HELLO, SETINFO or SELECT before it would fail with NOAUTH).
    protocol: 2,
    disableClientInfo: true,
    lazyConnect: true,
    connectTimeout: timeouts.connectTimeoutMs,
    commandTimeout: timeouts.queryTimeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableReadyCheck: false,
    enableOfflineQueue: false,
    autoResubscribe: false,
    tls: target.tls === 'off' ? undefined : { rejectUnauthorized: target.tls === 'verify', servername: target.host },
  });
  // ioredis reports the socket's error on the event and rejects connect() with "Connection is closed".
  let socketError: unknown;
  client.on('error', (error: unknown) => {
    socketError ??= error;
  });
  let phase: ProbePhase = 'connect';
  const work = (async (): Promise<ProbeResult> => {
    await client.connect();
    // From here on every wait is a command, bounded by commandTimeout (the query timeout).
    phase = 'login';
    await client.call('AUTH', credential.accountName, credential.password);
    if (target.database && target.database !== '0') await client.select(Number(target.database));
    phase = 'query';
    const pong = await client.ping();
    return pong === 'PONG'
      ? { ok: true }
      : { ok: false, reason: `PING answered ${JSON.stringify(String(pong).slice(0, 40))}` };
  })().catch((caught: unknown): ProbeResult => {
    const error = socketError !== undefined && /connection is closed/i.test(errorText(caught)) ? socketError : caught;
    const message = errorText(error);
    if (/^WRONGPASS|invalid username-password/i.test(message)) {
      return {
        ok: false,
        reason: `AUTH as ${JSON.stringify(credential.accountName)} to ${target.display} failed: the user does not exist, is disabled, or the password is wrong (WRONGPASS)`,
      };
    }
    if (/^NOPERM/.test(message))
      return {
        ok: false,
        reason: `AUTH as ${JSON.stringify(credential.accountName)} succeeded but PING is not permitted: ${message}`,
      };
    if (/ERR.*AUTH.*(no password|without any password)|ERR Client sent AUTH/i.test(message)) {
      return { ok: false, reason: `${target.display} has no ACL users or passwords configured: ${message}` };
    }
    const timeout = phase === 'connect' ? timeouts.connectTimeoutMs : timeouts.queryTimeoutMs;
    return (
      networkFailure(error, target, phase, timeout) ?? {
        ok: false,
        reason: `Redis probe of ${target.display} failed: ${message}`,
      }
    );
  });

  const budget = timeouts.connectTimeoutMs + timeouts.queryTimeoutMs + 500;
  const result = await withDeadline(budget, work, () => client.disconnect());
  // QUIT only on a healthy connection: after a timeout it would wait for the same silent server.
  if (result !== EXPIRED && result.ok)
    await closeQuietly(
      () => client.quit(),
      () => client.disconnect(),
    );
  else client.disconnect();
  return result === EXPIRED
    ? {
        ok: false,
        reason: timeoutReason(target, phase, phase === 'connect' ? timeouts.connectTimeoutMs : timeouts.queryTimeoutMs),
      }
    : result;
};
