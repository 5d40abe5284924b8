/**
 * A minimal signing client for the three request styles, for tests, benchmarks and the CLI's
 * smoke checks. It signs exactly as the official clients do (see signature.ts), so a request it
 * builds is a request an SDK would send.
 */
import { randomUUID } from 'node:crypto';
import { percentEncode, sha256Hex, signatureAcs3, signatureV1, wireTimestamp } from './signature';

export type RequestStyle = 'v1' | 'acs3' | 'form';

export interface SignedRequestOptions {
  baseUrl: string; // http://127.0.0.1:PORT
  action: string;
  version: string;
  params?: Record<string, string>;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  style?: RequestStyle;
  /** Signing time; defaults to now (real time, as SDKs sign). */
  timestamp?: number;
}

function queryString(params: Record<string, string>): string {
  return Object.keys(params)
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] as string)}`)
    .join('&');
}

export function signedRequest(o: SignedRequestOptions): Request {
  const style = o.style ?? 'v1';
  const params = o.params ?? {};
  const ts = wireTimestamp(o.timestamp ?? Date.now());
  const host = new URL(o.baseUrl).host;
  if (style === 'acs3') {
    const body = Buffer.alloc(0);
    const headers: Record<string, string> = {
      host,
      'x-acs-action': o.action,
      'x-acs-version': o.version,
      'x-acs-date': ts,
      'x-acs-signature-nonce': randomUUID(),
      'x-acs-content-sha256': sha256Hex(body),
      ...(o.securityToken ? { 'x-acs-security-token': o.securityToken, 'x-acs-accesskey-id': o.accessKeyId } : {}),
    };
    const signedHeaders = Object.keys(headers).sort();
    const signature = signatureAcs3(
      { method: 'POST', path: '/', query: params, headers, signedHeaders, body },
      o.accessKeySecret,
    );
    headers.authorization = `ACS3-HMAC-SHA256 Credential=${o.accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`;
    headers.accept = 'application/json';
    return new Request(`${o.baseUrl}/?${queryString(params)}`, { method: 'POST', headers });
  }
  const all: Record<string, string> = {
    Action: o.action,
    Format: 'JSON',
    Version: o.version,
    AccessKeyId: o.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: randomUUID().replace(/-/g, ''),
    SignatureVersion: '1.0',
    Timestamp: ts,
    ...(o.securityToken ? { SecurityToken: o.securityToken } : {}),
    ...params,
  };
  all.Signature = signatureV1(all, 'POST', o.accessKeySecret);
  if (style === 'form') {
    return new Request(`${o.baseUrl}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-acs-action': o.action,
        'x-acs-version': o.version,
      },
      body: queryString(all),
    });
  }
  return new Request(`${o.baseUrl}/?${queryString(all)}`, {
    method: 'POST',
    headers: { 'x-acs-action': o.action, 'x-acs-version': o.version },
  });
}
