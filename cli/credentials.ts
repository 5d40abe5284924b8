/**
 * Who the CLI acts as. Against the emulator (--endpoint): the key in ALIBABA_CLOUD_ACCESS_KEY_ID /
 * _SECRET when set, else the emulator's documented default key. Against Alibaba Cloud: the default
 * credential chain of @alicloud/credentials (environment, profile, instance role...).
 */
import { createAlibabaClients } from '../shared/adapters/alibaba';
import { credentialSource } from '../shared/adapters/alibaba/sdk';
import { loadConfig } from '../shared/config';
import type { FcCredentials } from '../shared/ports/runtime';

/** createEmulator()'s default key (emulator/README.md). */
export const EMULATOR_ACCESS_KEY: FcCredentials = { accessKeyId: 'LTAI5tEmulatorDefaultKey', accessKeySecret: 'emulator-secret' };

const NO_CREDENTIALS =
  'no Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, configure a profile (aliyun configure), or use --endpoint for the emulator';

export async function resolveCredentials(env: Record<string, string | undefined>, endpoint: string | undefined): Promise<FcCredentials> {
  const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (endpoint) {
    if (accessKeyId && accessKeySecret) return { accessKeyId, accessKeySecret, securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN };
    return { ...EMULATOR_ACCESS_KEY };
  }
  const source = credentialSource();
  if (source.kind !== 'chain') return source.credentials;
  const credential = source.credential as { getCredential(): Promise<Partial<FcCredentials> | undefined> };
  const resolved = (await credential.getCredential().catch((error: unknown) => {
    throw new Error(`${NO_CREDENTIALS} (${error instanceof Error ? error.message.split(',')[0] : String(error)})`, { cause: error });
  })) ?? {};
  if (!resolved.accessKeyId || !resolved.accessKeySecret) throw new Error(NO_CREDENTIALS);
  return { accessKeyId: resolved.accessKeyId, accessKeySecret: resolved.accessKeySecret, securityToken: resolved.securityToken || undefined };
}

/** The account the credentials belong to, from STS GetCallerIdentity. */
export async function callerAccountId(credentials: FcCredentials, options: { region: string; endpoint?: string }): Promise<string> {
  const config = loadConfig({ KRO_REGION_ID: options.region, ...(options.endpoint ? { KRO_ENDPOINT: options.endpoint } : {}) });
  const identity = await createAlibabaClients({ config, credentials }).sts.getCallerIdentity();
  return identity.accountId;
}
