/**
 * Who is calling, and did they sign it. The timestamp is compared with REAL time, not the emulator
 * clock: clients sign with the machine's clock, and the emulator clock may be weeks ahead.
 */
import type { Caller } from '../types';
import type { AuthStore, KeyRecord } from '../services/contracts';
import { protocolErrors } from './errors';
import type { RawHttpRequest } from './http';
import type { ParsedCall } from './parse';
import { signatureAcs3, signatureV1 } from './signature';

/** Alibaba Cloud refuses requests signed more than 15 minutes off. */
export const TIMESTAMP_TOLERANCE_MS = 15 * 60 * 1000;

export interface AuthenticateOptions {
  verifySignatures: boolean;
  realNow: () => number;
  /** Used when signatures are not verified and the request names no key. */
  anonymousCaller: Caller;
}

function callerOf(record: KeyRecord): Caller {
  return {
    accessKeyId: record.accessKeyId,
    accountId: record.accountId,
    principal: record.principal,
    isSts: record.securityToken !== undefined,
  };
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export function authenticate(
  call: ParsedCall,
  req: RawHttpRequest,
  auth: AuthStore,
  options: AuthenticateOptions,
): { caller: Caller; key?: KeyRecord } {
  if (!options.verifySignatures) {
    const key = call.accessKeyId ? auth.lookup(call.accessKeyId) : undefined;
    return { caller: key ? callerOf(key) : options.anonymousCaller, key };
  }
  if (call.style === 'none') {
    if (req.headers['authorization']) throw protocolErrors.badSignature();
    throw protocolErrors.missingParameter('AccessKeyId');
  }
  if (call.style === 'v1') {
    if (!call.accessKeyId) throw protocolErrors.missingParameter('AccessKeyId');
    if (call.form.Signature === undefined && call.query.Signature === undefined)
      throw protocolErrors.missingParameter('Signature');
  }
  if (!call.timestamp) throw protocolErrors.missingParameter(call.style === 'acs3' ? 'x-acs-date' : 'Timestamp');
  const signedAt = Date.parse(call.timestamp);
  if (Number.isNaN(signedAt) || Math.abs(options.realNow() - signedAt) > TIMESTAMP_TOLERANCE_MS)
    throw protocolErrors.staleTimestamp();

  const key = auth.lookup(call.accessKeyId as string);
  if (!key) throw protocolErrors.unknownAccessKey();

  let expected: string;
  let given: string;
  if (call.style === 'acs3' && call.acs3) {
    expected = signatureAcs3(
      {
        method: req.method,
        path: call.rawPath,
        query: call.query,
        headers: req.headers,
        signedHeaders: call.acs3.signedHeaders,
        body: req.body,
      },
      key.accessKeySecret,
    );
    given = call.acs3.signature.toLowerCase();
  } else {
    const all = { ...call.query, ...call.form };
    expected = signatureV1(all, req.method, key.accessKeySecret);
    given = all.Signature ?? '';
  }
  if (!constantTimeEqual(expected, given)) throw protocolErrors.badSignature();
  if (key.securityToken !== undefined && call.securityToken !== key.securityToken)
    throw protocolErrors.badSecurityToken();
  return { caller: callerOf(key), key };
}
