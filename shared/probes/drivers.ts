/**
 * The database drivers (pg, mysql2, ioredis: about 1.2 MB bundled) are loaded on the first probe
 * that needs one, not with the handler: most invocations never probe, and each FC bundle's cold
 * start pays for every byte it requires. The specifiers must stay exactly `import('pg')`,
 * `import('mysql2/promise')` and `import('ioredis')`: scripts/build.ts turns each into a sibling
 * file of the function bundle (pg.js, mysql2.js, ioredis.js).
 */
import type { ProbeResult, ProbeTarget } from './types';

export type PgClient = typeof import('pg').Client;
export type MysqlCreateConnection = typeof import('mysql2/promise').createConnection;
export type RedisClient = typeof import('ioredis').Redis;

// CommonJS drivers: esbuild/tsx put the exports on the namespace, Node's ESM loader (vitest) may
// put them under `default` only.
function exported<T>(mod: unknown, name: string): T {
  const ns = mod as Record<string, unknown> & { default?: Record<string, unknown> };
  const value = ns[name] ?? ns.default?.[name];
  if (value === undefined) throw new Error(`the driver module has no export ${name}`);
  return value as T;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load();
    // A failed load (a missing sibling file) is tried again by the next probe.
    loading.catch(() => (loading = undefined));
    return loading;
  };
}

export const loadPg = once(async () => exported<PgClient>(await import('pg'), 'Client'));
export const loadMysql = once(async () =>
  exported<MysqlCreateConnection>(await import('mysql2/promise'), 'createConnection'),
);
export const loadRedis = once(async () => exported<RedisClient>(await import('ioredis'), 'Redis'));

/** A driver that cannot be loaded is a broken deployment, not a broken credential: inconclusive. */
export function driverMissing(target: ProbeTarget, error: unknown): ProbeResult {
  const message = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    inconclusive: true,
    reason: `the ${target.engine} driver could not be loaded, so ${target.display} was not probed: ${message}`,
  };
}
