/**
 * RAM AccessKeys: STS GetCallerIdentity signed with the ACSCurrent pair. A deleted or disabled key
 * is refused by STS; a key that works but belongs to another user than the secret names is a
 * failure too (the secret no longer holds the credential it claims to).
 */
import { CloudError, isRetryableCode } from '../errors';
import type { StsPort } from '../ports/cloud';
import { maskAccessKeyId } from './credential';
import { EXPIRED, withDeadline } from './deadline';
import type { AccessKeyCredential, ProbeResult, ProbeTimeouts } from './types';

const REJECTED_KEY: Readonly<Record<string, string>> = {
  'InvalidAccessKeyId.NotFound': 'the AccessKey does not exist (deleted by rotation or by hand)',
  'InvalidAccessKeyId.Inactive': 'the AccessKey is disabled',
  InvalidAccessKeyId: 'the AccessKey is not valid',
  SignatureDoesNotMatch: 'the AccessKey secret does not match its id',
  IncompleteSignature: 'the AccessKey secret does not match its id',
};

export interface RamExpectation {
  /** ExtendedConfig.UserName of the secret: the RAM user the key must belong to. */
  userName?: string;
  /** The deployment's account. */
  accountId?: string;
}

export async function probeRamAccessKey(
  sts: StsPort,
  credential: AccessKeyCredential,
  timeouts: ProbeTimeouts,
  expect: RamExpectation = {},
): Promise<ProbeResult> {
  const keyId = maskAccessKeyId(credential.accessKeyId);
  const budget = timeouts.connectTimeoutMs + timeouts.queryTimeoutMs;
  let identity;
  try {
    identity = await withDeadline(
      budget,
      sts.getCallerIdentity({ accessKeyId: credential.accessKeyId, accessKeySecret: credential.accessKeySecret }),
      () => undefined,
    );
  } catch (error) {
    const code = error instanceof CloudError ? error.code : ((error as { code?: unknown }).code as string | undefined);
    if (code && REJECTED_KEY[code])
      return { ok: false, reason: `STS refused AccessKey ${keyId}: ${REJECTED_KEY[code]} (${code})` };
    if ((error instanceof CloudError && error.retryable) || (code && isRetryableCode(code))) {
      return {
        ok: false,
        reason: `STS could not be asked about AccessKey ${keyId} (${code}); the key was not judged`,
        inconclusive: true,
      };
    }
    return {
      ok: false,
      reason: `STS GetCallerIdentity with AccessKey ${keyId} failed: ${code ?? (error as Error).message}`,
    };
  }
  if (identity === EXPIRED)
    return {
      ok: false,
      reason: `STS did not answer within ${budget} ms; AccessKey ${keyId} was not judged`,
      inconclusive: true,
    };

  if (expect.accountId && identity.accountId && identity.accountId !== expect.accountId) {
    return {
      ok: false,
      reason: `AccessKey ${keyId} belongs to account ${identity.accountId}, not ${expect.accountId}`,
    };
  }
  const user = identity.arn ? /:user\/(.+)$/.exec(identity.arn)?.[1] : undefined;
  if (expect.userName && user && user.toLowerCase() !== expect.userName.toLowerCase()) {
    return { ok: false, reason: `AccessKey ${keyId} works but belongs to RAM user ${user}, not ${expect.userName}` };
  }
  return { ok: true };
}
