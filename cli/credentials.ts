/**
 * Who the CLI acts as: one credentials story with Serverless Devs. `s` reads AccessKeyID /
 * AccessKeySecret (and SecurityToken) from the environment as well as ALIBABA_CLOUD_ACCESS_KEY_ID /
 * _SECRET; `kro` takes the same variables, the ALIBABA_CLOUD_* names first. Against the emulator
 * (--endpoint): that key when set, else the emulator's documented default key. Against Alibaba
 * Cloud without them: the default credential chain of @alicloud/credentials (profile, instance role...).
 */
import { createAlibabaClients } from '../shared/adapters/alibaba';
import { credentialSource } from '../shared/adapters/alibaba/sdk';
import { loadConfig } from '../shared/config';
import type { FcCredentials } from '../shared/ports/runtime';

/** createEmulator()'s default key (emulator/README.md). */
export const EMULATOR_ACCESS_KEY: FcCredentials = {
  accessKeyId: 'LTAI5tEmulatorDefaultKey',
  accessKeySecret: 'emulator-secret',
};

const NO_CREDENTIALS =
  'no Alibaba Cloud credentials: export ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (or AccessKeyID and AccessKeySecret, as for s deploy), configure a profile (aliyun configure), or use --endpoint for the emulator';

/** The key named in the environment: the ALIBABA_CLOUD_* pair, else Serverless Devs' AccessKeyID pair. */
export function environmentKey(env: Record<string, string | undefined>): FcCredentials | undefined {
  const pairs = [
    [env.ALIBABA_CLOUD_ACCESS_KEY_ID, env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, env.ALIBABA_CLOUD_SECURITY_TOKEN],
    [env.AccessKeyID, env.AccessKeySecret, env.SecurityToken],
  ] as const;
  for (const [accessKeyId, accessKeySecret, securityToken] of pairs) {
    if (accessKeyId && accessKeySecret)
      return { accessKeyId, accessKeySecret, ...(securityToken ? { securityToken } : {}) };
  }
  return undefined;
}

export async function resolveCredentials(
  env: Record<string, string | undefined>,
  endpoint: string | undefined,
): Promise<FcCredentials> {
  const named = environmentKey(env);
  if (named) return named;
  if (endpoint) return { ...EMULATOR_ACCESS_KEY };
  const source = credentialSource();
  if (source.kind !== 'chain') return source.credentials;
  const credential = source.credential as { getCredential(): Promise<Partial<FcCredentials> | undefined> };
  const resolved =
    (await credential.getCredential().catch((error: unknown) => {
      throw new Error(`${NO_CREDENTIALS} (${error instanceof Error ? error.message.split(',')[0] : String(error)})`, {
        cause: error,
      });
    })) ?? {};
  if (!resolved.accessKeyId || !resolved.accessKeySecret) throw new Error(NO_CREDENTIALS);
  return {
    accessKeyId: resolved.accessKeyId,
    accessKeySecret: resolved.accessKeySecret,
    securityToken: resolved.securityToken || undefined,
  };
}

/** The account the credentials belong to, from STS GetCallerIdentity. */
export async function callerAccountId(
  credentials: FcCredentials,
  options: { region: string; endpoint?: string },
): Promise<string> {
  const config = loadConfig({
    KRO_REGION_ID: options.region,
    ...(options.endpoint ? { KRO_ENDPOINT: options.endpoint } : {}),
  });
  const identity = await createAlibabaClients({ config, credentials }).sts.getCallerIdentity();
  return identity.accountId;
}
