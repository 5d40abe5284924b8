/**
 * The openapi-core engine, its Config and the credentials, resolved once. These are CommonJS
 * packages with __esModule: esbuild and tsx hand us `default` = the class, Node's ESM loader
 * (vitest) hands us `default` = module.exports; unwrap both.
 */
import * as openApiCore from '@alicloud/openapi-core';
import * as credentialsModule from '@alicloud/credentials';
import type { Config } from '../../config-types';
import type { FcCredentials } from '../../ports/runtime';

const core: any = openApiCore;
const credentialsNs: any = credentialsModule;

export function unwrapDefault(mod: any): any {
  const first = mod?.default ?? mod;
  return typeof first === 'function' ? first : (first?.default ?? first);
}

/** A named export of a CommonJS module, wherever the loader put it. */
export function namedExport(mod: any, name: string): any {
  return mod?.[name] ?? mod?.default?.[name];
}

export const OpenApiClient: new (config: unknown) => any = unwrapDefault(core);
const OpenApiUtilNs: any = namedExport(core, '$OpenApiUtil');
export const OpenApiConfig: new (map: Record<string, unknown>) => any = OpenApiUtilNs.Config;
export const OpenApiParams: new (map: Record<string, unknown>) => any = OpenApiUtilNs.Params;
export const OpenApiRequest: new (map: Record<string, unknown>) => any = OpenApiUtilNs.OpenApiRequest;
/** Flattens nested arrays/objects 1-based into the query (`LookupAttribute.1.Key`). */
export const flattenQuery: (map: Record<string, unknown>) => Record<string, string> = (map) =>
  namedExport(core, 'OpenApiUtil').query(map);

export type CredentialSource = { kind: 'static'; credentials: FcCredentials } | { kind: 'chain'; credential: unknown };

/** Without explicit credentials: the default chain of @alicloud/credentials (env, profile, ECS role...). */
export function credentialSource(credentials?: FcCredentials): CredentialSource {
  if (credentials) return { kind: 'static', credentials };
  const Credential = unwrapDefault(credentialsNs);
  return { kind: 'chain', credential: new Credential() };
}

export type ProductHost = 'kms' | 'actiontrail' | 'cms' | 'fc' | 'sts';

/** host (no scheme) and protocol; config.endpoint (the emulator) overrides every product over http. */
export function endpointOf(config: Config, product: ProductHost): { endpoint: string; protocol: 'http' | 'https' } {
  if (config.endpoint) return { endpoint: config.endpoint, protocol: 'http' };
  const region = config.regionId;
  switch (product) {
    case 'kms':
      return { endpoint: `kms.${region}.aliyuncs.com`, protocol: 'https' };
    case 'actiontrail':
      return { endpoint: `actiontrail.${region}.aliyuncs.com`, protocol: 'https' };
    case 'cms':
      return { endpoint: `metrics.${region}.aliyuncs.com`, protocol: 'https' };
    case 'sts':
      return { endpoint: 'sts.aliyuncs.com', protocol: 'https' };
    case 'fc':
      if (!config.accountId) {
        throw new Error(
          'Function Compute needs the account id: set KRO_ACCOUNT_ID (FC_ACCOUNT_ID on Function Compute)',
        );
      }
      return { endpoint: `${config.accountId}.${region}.fc.aliyuncs.com`, protocol: 'https' };
  }
}

/**
 * Socket timeouts of every cloud call: the regional endpoints answer in tens of ms, so 5 s to
 * connect and 10 s to read mean the network or the service is failing; the call is retried
 * (API_RETRY_POLICY) within its minute.
 */
export const API_TIMEOUTS = { connectTimeoutMs: 5_000, readTimeoutMs: 10_000 } as const;

/** The openapi-core Config shared by every product's client (cms20190101 and fc20230330 take the same). */
export function openApiConfig(config: Config, product: ProductHost, source: CredentialSource): any {
  const { endpoint, protocol } = endpointOf(config, product);
  const auth =
    source.kind === 'static'
      ? {
          accessKeyId: source.credentials.accessKeyId,
          accessKeySecret: source.credentials.accessKeySecret,
          ...(source.credentials.securityToken ? { securityToken: source.credentials.securityToken } : {}),
        }
      : { credential: source.credential };
  return new OpenApiConfig({
    ...auth,
    endpoint,
    protocol,
    regionId: config.regionId,
    connectTimeout: API_TIMEOUTS.connectTimeoutMs,
    readTimeout: API_TIMEOUTS.readTimeoutMs,
    userAgent: 'kms-rotation-orchestrator',
  });
}
