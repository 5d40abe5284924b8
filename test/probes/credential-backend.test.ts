/** The emulator's credential backend against the real servers: it really changes passwords. */
import { afterAll, describe, expect, it } from 'vitest';
import { createCredentialBackend } from '../../emulator/backends';
import { probeMysql, probePostgres, probeRedis, type AccountProbe } from '../../shared/probes';
import { SERVERS, type ServerKind, closedPort, requireServer, uniqueAccountName } from '../helpers/servers';

const available: Record<ServerKind, boolean> = {
  postgresql: await requireServer('postgresql'),
  mysql: await requireServer('mysql'),
  redis: await requireServer('redis'),
};
const PROBES: Record<ServerKind, AccountProbe> = { postgresql: probePostgres, mysql: probeMysql, redis: probeRedis };
const TIMEOUTS = { connectTimeoutMs: 2_000, queryTimeoutMs: 2_000 };

describe.each(['postgresql', 'mysql', 'redis'] as const)('credential backend on %s', (kind) => {
  const backend = createCredentialBackend();
  const binding = SERVERS[kind].binding;
  const created: string[] = [];
  const login = (accountName: string, password: string) =>
    PROBES[kind](
      { engine: kind, host: binding.Host, port: binding.Port, tls: 'off', display: kind },
      { accountName, password },
      TIMEOUTS,
    );

  afterAll(async () => {
    for (const name of created) await backend.dropAccount(binding, name).catch(() => undefined);
    await backend.close();
  });

  it.skipIf(!available[kind])('keeps the two accounts of a double-account secret independent', async () => {
    const account = uniqueAccountName();
    const clone = `${account}_clone`;
    created.push(account, clone);
    await backend.setPassword(binding, account, 'first-password-1');
    await backend.setPassword(binding, clone, 'second-password-2');
    expect(await login(account, 'first-password-1')).toEqual({ ok: true });
    expect(await login(clone, 'second-password-2')).toEqual({ ok: true });
    expect((await login(account, 'second-password-2')).ok).toBe(false);
  });

  it.skipIf(!available[kind])('quotes account names and passwords that contain quotes and semicolons', async () => {
    const account = `${uniqueAccountName()}'x"y;`;
    created.push(account);
    const password = `p'a"s\\s;--${'$'}{x}`;
    await backend.setPassword(binding, account, password);
    expect(await login(account, password)).toEqual({ ok: true });
  });

  it.skipIf(!available[kind])('removes an account with dropAccount, after which login fails', async () => {
    const account = uniqueAccountName();
    await backend.setPassword(binding, account, 'short-lived-1');
    await backend.dropAccount(binding, account);
    expect((await login(account, 'short-lived-1')).ok).toBe(false);
  });
});

describe('credential backend errors', () => {
  it('says which server it cannot reach', async () => {
    const backend = createCredentialBackend();
    const port = await closedPort();
    await expect(
      backend.setPassword({ Engine: 'mysql', Host: '127.0.0.1', Port: port }, 'kro_x', 'pw-unreachable'),
    ).rejects.toThrow(new RegExp(`cannot reach mysql at 127\\.0\\.0\\.1:${port} as admin`));
    await backend.close();
  });

  it('refuses an engine it does not know', async () => {
    const backend = createCredentialBackend();
    await expect(
      backend.setPassword({ Engine: 'oracle' as 'mysql', Host: '127.0.0.1', Port: 1521 }, 'kro_x', 'pw'),
    ).rejects.toThrow(/unsupported backing engine "oracle"/);
    await backend.close();
  });
});
