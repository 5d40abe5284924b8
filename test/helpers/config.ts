/**
 * A Config as the functions get it from their defaults (the real parser over a minimal
 * environment: only the account id, which FC supplies), plus per-test tweaks. Built from
 * loadConfig, so a changed default changes every test that relies on it.
 */
import { loadConfig } from '../../shared/config';
import type { Config } from '../../shared/config-types';

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends Array<unknown> ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};

/** What FC sets in every function's environment; the one value without a default. */
const MINIMAL_ENVIRONMENT = { FC_ACCOUNT_ID: '1234567890123456' };

export function testConfig(overrides: DeepPartial<Config> = {}): Config {
  return merge(loadConfig(MINIMAL_ENVIRONMENT), overrides) as Config;
}

function merge(base: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch) || typeof base !== 'object' || base === null)
    return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) out[k] = merge(out[k], v);
  return out;
}
