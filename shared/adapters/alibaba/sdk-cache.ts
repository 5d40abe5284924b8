/**
 * SDK clients outlive an invocation. A warm FC instance serves many invocations with the same
 * configuration and the same role credentials (FC hands out the same STS token until it nears
 * expiry): building the openapi-core clients, re-importing CloudMonitor's and FC's SDKs and
 * creating their clients on every invocation cost more CPU than a short event's own work. The
 * cheap per-invocation parts (the caller with its counters and logger, the port wrappers) stay
 * per invocation. Keyed by the parsed Config object, so a new configuration starts afresh.
 */
import type { Config } from '../../config-types';
import type { FcCredentials } from '../../ports/runtime';
import { type CredentialSource, credentialSource } from './sdk';

export type RpcProduct = 'kms' | 'actiontrail' | 'sts';

/** What one (configuration, credentials) pair shares across invocations. */
export interface SdkCache {
  source: CredentialSource;
  rpc: Partial<Record<RpcProduct, any>>;
  /** CloudMonitor's loaded SDK and client (cms-client.ts). */
  cms?: Promise<any>;
  /** Function Compute's loaded SDK and client (fc-client.ts). */
  fc?: Promise<any>;
}

// A rotated STS token makes a new entry; old tokens are dropped, not kept forever.
const MAX_CREDENTIALS_PER_CONFIG = 4;
const caches = new WeakMap<object, Map<string, SdkCache>>();

function keyOf(credentials?: FcCredentials): string {
  return credentials
    ? `${credentials.accessKeyId}\u0000${credentials.accessKeySecret}\u0000${credentials.securityToken ?? ''}`
    : 'default-chain';
}

export function sdkCacheFor(config: Config, credentials?: FcCredentials): SdkCache {
  let byCredentials = caches.get(config);
  if (!byCredentials) caches.set(config, (byCredentials = new Map()));
  const key = keyOf(credentials);
  let cache = byCredentials.get(key);
  if (!cache) {
    if (byCredentials.size >= MAX_CREDENTIALS_PER_CONFIG) {
      const oldest = byCredentials.keys().next().value;
      if (oldest !== undefined) byCredentials.delete(oldest);
    }
    cache = { source: credentialSource(credentials), rpc: {} };
    byCredentials.set(key, cache);
  }
  return cache;
}

/** A fresh cache that nobody shares (the CLI, tests, anyone building clients by hand). */
export function privateSdkCache(credentials?: FcCredentials): SdkCache {
  return { source: credentialSource(credentials), rpc: {} };
}
