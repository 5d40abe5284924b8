/** One interface for every credential probe (issue 7): log in with what KMS calls current, once. */

export type ProbeEngine = 'postgresql' | 'mysql' | 'redis';
export type TlsMode = 'off' | 'require' | 'verify';

/** Where a database or Redis probe connects; parsed from the kro-probe tag or configuration. */
export interface ProbeTarget {
  engine: ProbeEngine;
  host: string;
  port: number;
  database?: string;
  /** require = encrypted without checking the certificate (libpq sslmode=require); verify = checked. */
  tls: TlsMode;
  /** `engine://host:port/db`, for messages (a target never holds credentials). */
  display: string;
}

/** A database or Redis account, as Rds/Redis/PolarDB secrets hold it. Sensitive: the password. */
export interface AccountCredential {
  accountName: string;
  password: string;
}

/** A RAM AccessKey pair, as RAMCredentials secrets hold it. Sensitive: the secret. */
export interface AccessKeyCredential {
  accessKeyId: string;
  accessKeySecret: string;
}

export interface ProbeTimeouts {
  connectTimeoutMs: number;
  queryTimeoutMs: number;
}

export type ProbeResult =
  | { ok: true }
  | {
      ok: false;
      reason: string;
      /** A connection broken mid-way: worth the one retry a probe gets. */
      transient?: boolean;
      /** The probe could not run for a reason that says nothing about the credential (throttling). */
      inconclusive?: boolean;
    };

export type AccountProbe = (
  target: ProbeTarget,
  credential: AccountCredential,
  timeouts: ProbeTimeouts,
) => Promise<ProbeResult>;
