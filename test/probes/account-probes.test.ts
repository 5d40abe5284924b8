/**
 * The PostgreSQL, MariaDB and Redis probes against the real servers on loopback. Each test makes
 * its own uniquely named account through the emulator's credential backend and removes it after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentialBackend } from '../../emulator/backends';
import { probeMysql, probePostgres, probeRedis, type AccountProbe, type ProbeTarget } from '../../shared/probes';
import {
  SERVERS,
  type ServerKind,
  closedPort,
  requireServer,
  silentServer,
  uniqueAccountName,
} from '../helpers/servers';

const available: Record<ServerKind, boolean> = {
  postgresql: await requireServer('postgresql'),
  mysql: await requireServer('mysql'),
  redis: await requireServer('redis'),
};

const PROBES: Record<ServerKind, AccountProbe> = { postgresql: probePostgres, mysql: probeMysql, redis: probeRedis };
const TIMEOUTS = { connectTimeoutMs: 1_000, queryTimeoutMs: 1_000 };
// A probe's hard budget is connect + query + 0.5 s; allow scheduling noise on top.
const BUDGET_MS = TIMEOUTS.connectTimeoutMs + TIMEOUTS.queryTimeoutMs + 1_500;

function targetOf(kind: ServerKind, port = SERVERS[kind].binding.Port): ProbeTarget {
  return { engine: kind, host: '127.0.0.1', port, tls: 'off', display: `${kind}://127.0.0.1:${port}` };
}

describe.each(['postgresql', 'mysql', 'redis'] as const)('%s probe', (kind) => {
  const backend = createCredentialBackend();
  const binding = SERVERS[kind].binding;
  const probe = PROBES[kind];
  const created: string[] = [];

  async function account(password: string): Promise<string> {
    const name = uniqueAccountName();
    created.push(name);
    await backend.setPassword(binding, name, password);
    return name;
  }

  beforeAll(async () => {
    if (!available[kind]) return;
    const enforcement = await backend.passwordEnforcement(binding);
    // Without it a wrong password would pass and these tests would prove nothing.
    expect(enforcement, enforcement.reason).toEqual({ enforced: true });
  });

  afterAll(async () => {
    for (const name of created) await backend.dropAccount(binding, name).catch(() => undefined);
    await backend.close();
  });

  it.skipIf(!available[kind])('passes with the current password', async () => {
    const password = 'Curr3nt-pa55word!';
    const name = await account(password);
    await expect(probe(targetOf(kind), { accountName: name, password }, TIMEOUTS)).resolves.toEqual({ ok: true });
  });

  it.skipIf(!available[kind])('fails with a wrong password, with a clear reason that does not contain it', async () => {
    const name = await account('the-real-one-42');
    const wrong = 'Wr0ng-but-guessable';
    const result = await probe(targetOf(kind), { accountName: name, password: wrong }, TIMEOUTS);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toMatch(/password|WRONGPASS|access denied/i);
    expect(result.reason).toContain(name);
    expect(result.reason).not.toContain(wrong);
    expect(result.reason).not.toContain('the-real-one-42');
  });

  it.skipIf(!available[kind])('fails with the old password after a rotation and passes with the new one', async () => {
    const name = await account('before-rotation-1');
    await backend.setPassword(binding, name, 'after-rotation-2');
    expect((await probe(targetOf(kind), { accountName: name, password: 'before-rotation-1' }, TIMEOUTS)).ok).toBe(
      false,
    );
    expect(await probe(targetOf(kind), { accountName: name, password: 'after-rotation-2' }, TIMEOUTS)).toEqual({
      ok: true,
    });
  });

  it.skipIf(!available[kind])('fails for an account that does not exist', async () => {
    const result = await probe(
      targetOf(kind),
      { accountName: uniqueAccountName('kro_none'), password: 'whatever-1' },
      TIMEOUTS,
    );
    expect(result.ok).toBe(false);
  });

  it('ends quickly with "connection refused" on a closed port', async () => {
    const started = Date.now();
    const result = await probe(
      targetOf(kind, await closedPort()),
      { accountName: 'kro_nobody', password: 'pw-closed-port' },
      TIMEOUTS,
    );
    expect(Date.now() - started).toBeLessThan(BUDGET_MS);
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/connection refused by 127\.0\.0\.1:\d+/),
    });
  });

  it('ends within its timeout against a server that accepts and never answers', async () => {
    const silent = await silentServer();
    try {
      const started = Date.now();
      const result = await probe(
        targetOf(kind, silent.port),
        { accountName: 'kro_nobody', password: 'pw-silent-server' },
        TIMEOUTS,
      );
      expect(Date.now() - started).toBeLessThan(BUDGET_MS);
      expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/within 1000 ms/) });
      if (!result.ok) expect(result.reason).not.toContain('pw-silent-server');
    } finally {
      await silent.close();
    }
  });
});
