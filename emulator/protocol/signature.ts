/**
 * The two signature algorithms the official clients use (alibaba-cloud-apis.md §1.2), byte for byte
 * as @alicloud/rpc-util (v1) and @alicloud/openapi-core (ACS3) compute them. The same functions
 * sign requests in tests and benchmarks, so a drift would show as a failing contract test.
 */
import { createHash, createHmac } from 'node:crypto';

/** RFC 3986 percent-encoding as the SDKs do it (encodeURIComponent plus !'()*). */
const RESERVED = /[!'()*]/;
const ESCAPES: Readonly<Record<string, string>> = { '!': '%21', "'": '%27', '(': '%28', ')': '%29', '*': '%2A' };

export function percentEncode(value: string): string {
  const encoded = encodeURIComponent(value);
  // The fast path matters: every parameter of every call is encoded twice (client and check).
  return RESERVED.test(encoded) ? encoded.replace(/[!'()*]/g, (c) => ESCAPES[c] as string) : encoded;
}

/** Signature v1 (HMAC-SHA1): every parameter except Signature, sorted, in the string to sign. */
export function signatureV1(params: Record<string, string>, method: string, secret: string): string {
  const canonical = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] ?? '')}`)
    .join('&');
  const stringToSign = `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

export interface Acs3Input {
  method: string;
  /** The path as sent on the wire (already percent-encoded by the client). */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>; // lower-case names
  signedHeaders: string[];
  body: Buffer;
}

export function sha256Hex(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** ACS3-HMAC-SHA256 over METHOD, URI, sorted query, the signed headers and the body hash. */
export function signatureAcs3(input: Acs3Input, secret: string): string {
  const uri = input.path.replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
  const query = Object.keys(input.query)
    .sort()
    .map((k) => `${k}=${percentEncode(input.query[k] ?? '')}`)
    .join('&');
  const names = [...input.signedHeaders].sort();
  const headers = names.map((h) => `${h}:${(input.headers[h] ?? '').trim()}\n`).join('');
  const canonicalRequest = `${input.method.toUpperCase()}\n${uri}\n${query}\n${headers}\n${names.join(';')}\n${sha256Hex(input.body)}`;
  const stringToSign = `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`;
  return createHmac('sha256', secret).update(stringToSign).digest('hex');
}

export interface Acs3Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

export function parseAcs3Authorization(header: string): Acs3Authorization | undefined {
  const match = /^ACS3-HMAC-SHA256\s+Credential=([^,]+),\s*SignedHeaders=([^,]*),\s*Signature=([0-9a-fA-F]+)$/.exec(
    header.trim(),
  );
  if (!match) return undefined;
  return {
    accessKeyId: match[1] as string,
    signedHeaders: (match[2] as string).split(';').filter(Boolean),
    signature: match[3] as string,
  };
}

/** UTC timestamp without milliseconds, as both algorithms send it. */
export function wireTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
