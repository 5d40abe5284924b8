/**
 * Every call the emulator answered, with credential-bearing parameters replaced. Bounded, oldest
 * dropped. A parameter named like a credential loses its value; every other value passes the
 * product's one redactor, so a DingTalk webhook's `access_token`, a URL's user info or a password
 * quoted inside a free-text parameter never stays in the log.
 */
import { REDACTED, redactText } from '../../shared/domain/redact';
import type { ProductName } from '../types';

export interface CallLogEntry {
  at: number;
  product: ProductName | 'unknown';
  action: string;
  params: Record<string, string>;
  accessKeyId?: string;
  principal?: string;
  status: number;
  code?: string;
  /** Permissions the call needed beyond its own action (kms:Decrypt for GetSecretValue on a CMK-encrypted secret). */
  implied?: string[];
  /** The permission the RAM policy refused, when the call was denied. */
  denied?: string;
}

/** Parameter names whose values are credentials (SecretData, passwords, keys, tokens, signatures, webhooks' tokens). */
const SENSITIVE = /(SecretData|AccessKeySecret|Password|PrivateKey|SecurityToken|Signature|Token|Secret|Credential)$/i;
/** Names, ids and stages are identifiers: only the label/URL/registered-value rules apply to them. */
const IDENTIFIER = /(Name|Id|Arn|Stage|Key|Value|Type|Action|Version|Format|Method|Nonce|Timestamp)$/i;
/** Pagination cursors end in "Token" but carry no credential. */
const CURSOR = /^(Next|Continuation|Page)Token$/i;

export function redactParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(params)) {
    const value = params[key] as string;
    if (SENSITIVE.test(key) && !CURSOR.test(key)) out[key] = REDACTED;
    else out[key] = redactText(value, { tokens: !IDENTIFIER.test(key) });
  }
  return out;
}

export class CallLog {
  private entries: CallLogEntry[] = [];

  constructor(private readonly limit = 200_000) {}

  push(entry: CallLogEntry): void {
    this.entries.push(entry);
    // Trim in batches so a long benchmark stays O(1) amortized per call.
    if (this.entries.length > this.limit * 1.5) this.entries.splice(0, this.entries.length - this.limit);
  }

  list(): CallLogEntry[] {
    return this.entries.slice();
  }

  clear(): void {
    this.entries = [];
  }
}
