/**
 * Probe targets: `kro-probe` = `postgresql://10.0.0.5:5432/app`, `mysql://10.0.0.6:3306/app`,
 * `redis://10.0.0.7:6379`. The scheme names the engine; a tag never holds credentials (the account
 * and password come from the secret's ACSCurrent value), so a URL with a user or password is refused.
 */
import type { ProbeEngine, ProbeTarget, TlsMode } from './types';

export { PROBE_TAG_KEY } from '../domain/secret-kinds';

const SCHEMES: Readonly<Record<string, { engine: ProbeEngine; port: number; tls?: TlsMode }>> = {
  'postgresql:': { engine: 'postgresql', port: 5432 },
  'postgres:': { engine: 'postgresql', port: 5432 },
  'mysql:': { engine: 'mysql', port: 3306 },
  'mariadb:': { engine: 'mysql', port: 3306 },
  'redis:': { engine: 'redis', port: 6379 },
  'rediss:': { engine: 'redis', port: 6379, tls: 'verify' },
};

const SSL_MODES: Readonly<Record<string, TlsMode>> = {
  disable: 'off',
  require: 'require',
  'verify-ca': 'verify',
  'verify-full': 'verify',
};

export type TargetParse = { ok: true; target: ProbeTarget } | { ok: false; problem: string };

export function parseProbeTarget(text: string): TargetParse {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return {
      ok: false,
      problem: `${JSON.stringify(text.slice(0, 120))} is not a URL such as postgresql://host:5432/db`,
    };
  }
  const scheme = SCHEMES[url.protocol];
  if (!scheme)
    return {
      ok: false,
      problem: `unsupported scheme ${JSON.stringify(url.protocol)}: use postgresql://, mysql://, redis:// or rediss://`,
    };
  // Say only that credentials were there, never what they were.
  if (url.username || url.password)
    return {
      ok: false,
      problem: 'a probe target must not carry credentials (the account comes from the secret value)',
    };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) return { ok: false, problem: 'the target has no host' };
  const port = url.port ? Number(url.port) : scheme.port;
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined;
  const sslmode = url.searchParams.get('sslmode');
  const tls = sslmode ? SSL_MODES[sslmode] : (scheme.tls ?? 'off');
  if (!tls)
    return { ok: false, problem: `unknown sslmode ${JSON.stringify(sslmode)}: use disable, require or verify-full` };
  if (scheme.engine === 'redis' && database && !/^\d+$/.test(database))
    return { ok: false, problem: 'a Redis target path must be a database number' };
  const display = `${scheme.engine}://${url.host}${database ? `/${database}` : ''}`;
  return { ok: true, target: { engine: scheme.engine, host, port, database, tls, display } };
}

/** KRO_VERIFY_TARGETS: a JSON object of secret name to target URL. Throws with the problem, for loadConfig. */
export function parseProbeTargets(text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('must be a JSON object such as {"db_prod":"postgresql://10.0.0.5:5432/app"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('must be a JSON object of secret name to target URL');
  const targets: Record<string, string> = {};
  for (const [secretName, url] of Object.entries(parsed)) {
    if (typeof url !== 'string') throw new Error(`the target of ${JSON.stringify(secretName)} must be a string`);
    const result = parseProbeTarget(url);
    if (!result.ok) throw new Error(`the target of ${JSON.stringify(secretName)}: ${result.problem}`);
    targets[secretName] = url;
  }
  return targets;
}
