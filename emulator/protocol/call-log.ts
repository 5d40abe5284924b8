/** Every call the emulator answered, with sensitive parameter values replaced. Bounded, oldest dropped. */
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

/** Parameter names whose values are credentials (SecretData, passwords, keys, tokens, signatures). */
const SENSITIVE = /(SecretData|AccessKeySecret|Password|PrivateKey|SecurityToken|Signature)$/i;

export function redactParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(params)) out[key] = SENSITIVE.test(key) ? '[REDACTED]' : (params[key] as string);
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
