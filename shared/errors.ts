/** The one error type for every cloud product the orchestrator calls. */
import { isThrottling } from './domain/throttling';

export { isThrottling };

export type Product = 'kms' | 'actiontrail' | 'cms' | 'fc' | 'sts' | 'rds' | 'ecs' | 'r-kvstore' | 'polardb' | 'ram';

export interface CloudErrorFields {
  code: string;
  message: string;
  httpStatus?: number;
  requestId?: string;
  product: Product;
  action: string;
  retryable: boolean;
  /** Server hint in milliseconds (Retry-After / throttling headers), when given. */
  retryAfterMs?: number;
}

export class CloudError extends Error implements CloudErrorFields {
  override readonly name = 'CloudError';
  readonly code: string;
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly product: Product;
  readonly action: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  constructor(f: CloudErrorFields) {
    super(
      `${f.product}.${f.action} failed: ${f.code}${f.httpStatus ? ` (HTTP ${f.httpStatus})` : ''}: ${f.message}${f.requestId ? ` [RequestId ${f.requestId}]` : ''}`,
    );
    this.code = f.code;
    this.httpStatus = f.httpStatus;
    this.requestId = f.requestId;
    this.product = f.product;
    this.action = f.action;
    this.retryable = f.retryable;
    this.retryAfterMs = f.retryAfterMs;
  }
}

/** Codes other than throttling (domain/throttling.ts) that a later identical call can succeed on. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableTemporary',
  'SDK.ReadTimeout',
  'SDK.ServerUnreachable',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'RequestTimeout',
]);

/** Whether a later identical call can succeed: throttled, or a transient service or network error. */
export function isRetryableCode(code: string): boolean {
  return RETRYABLE_CODES.has(code) || isThrottling(code);
}

/** A configuration problem: every bad variable at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`,
    );
  }
}
