/**
 * Every failure of every product becomes one CloudError (shared/errors.ts) with `retryable` set:
 * openapi-core's ClientError / ServerError / ThrottlingError (fields code, statusCode, requestId,
 * data, retryAfter), CloudMonitor's HTTP 200 replies that carry a failure, and network errors.
 */
import { CloudError, isRetryableCode, type Product } from '../../errors';

const NETWORK_CODES = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
];

export function isRetryable(code: string, httpStatus?: number): boolean {
  return isRetryableCode(code) || (httpStatus !== undefined && httpStatus >= 500 && httpStatus < 600);
}

export function toCloudError(error: unknown, product: Product, action: string): CloudError {
  if (error instanceof CloudError) return error;
  const e = (error ?? {}) as Record<string, any>;
  const message = cleanMessage(typeof e.message === 'string' ? e.message : String(error));
  const data = e.data && typeof e.data === 'object' ? (e.data as Record<string, unknown>) : undefined;
  const httpStatus = numberOr(e.statusCode) ?? numberOr(data?.statusCode) ?? numberOr(data?.HttpStatus);

  // openapi-core stringifies whatever Code the body had (`{}` becomes "[object Object]"): only a
  // well-formed code counts; anything else is reported by its HTTP status below.
  const serviceCode = [stringOr(e.code), stringOr(data?.Code), stringOr(data?.code)].find(
    (c) => c !== undefined && SERVICE_CODE.test(c),
  );
  if (httpStatus !== undefined && serviceCode) {
    return new CloudError({
      code: serviceCode,
      message: stringOr(data?.Message) ?? stringOr(data?.message) ?? message,
      httpStatus,
      requestId: validRequestId(e.requestId) ?? stringOr(data?.RequestId),
      product,
      action,
      retryable: isRetryable(serviceCode, httpStatus),
      retryAfterMs: retryAfterMs(e.retryAfter),
    });
  }
  if (/unable to get credentials|Please set up the credentials/i.test(message)) {
    // The default chain found nothing (its last provider's DNS error would look transient).
    return new CloudError({
      code: 'SDK.CredentialsNotFound',
      message: message.slice(0, 300),
      product,
      action,
      retryable: false,
    });
  }
  const network = networkCode(e, message);
  if (network) {
    return new CloudError({ code: network, message, product, action, retryable: true });
  }
  if (httpStatus !== undefined) {
    // An error reply without a service code (an HTML 502 from a proxy, an empty body).
    return new CloudError({
      code: `HTTP${httpStatus}`,
      message,
      httpStatus,
      product,
      action,
      retryable: httpStatus >= 500 || httpStatus === 429,
    });
  }
  if (e.name === 'SyntaxError') {
    // openapi-core parses an error body before it looks at the status, so an HTML 502/504 page of a
    // gateway in front of the service arrives here without its status: transient, retry it.
    return new CloudError({
      code: 'SDK.InvalidResponseFormat',
      message: `reply is not JSON: ${message.slice(0, 120)}`,
      product,
      action,
      retryable: true,
    });
  }
  return new CloudError({ code: serviceCode ?? 'SDK.Unknown', message, product, action, retryable: false });
}

/** CloudMonitor answers some failures with HTTP 200: `Success: false` or a Code other than 200. */
export function cmsReplyError(body: Record<string, unknown> | undefined, action: string): CloudError | undefined {
  if (!body)
    return new CloudError({
      code: 'InvalidResponse',
      message: 'empty reply',
      product: 'cms',
      action,
      retryable: false,
    });
  const code = body.code ?? body.Code;
  const success = body.success ?? body.Success;
  const failed =
    success === false || success === 'false' || (code !== undefined && code !== null && String(code) !== '200');
  if (!failed) return undefined;
  const codeText = code === undefined || code === null || String(code) === '200' ? 'OperationFailed' : String(code);
  return new CloudError({
    code: codeText,
    message: String(body.message ?? body.Message ?? 'CloudMonitor reported a failure'),
    httpStatus: 200,
    requestId: stringOr(body.requestId) ?? stringOr(body.RequestId),
    product: 'cms',
    action,
    // A numeric Code of 5xx in a 200 reply is the service saying "internal error".
    retryable: isRetryable(codeText, /^\d{3}$/.test(codeText) ? Number(codeText) : undefined),
  });
}

function networkCode(e: Record<string, any>, message: string): string | undefined {
  const code = stringOr(e.code) ?? stringOr(e.cause?.code);
  if (code && NETWORK_CODES.includes(code)) return code;
  if (/socket hang up/i.test(message)) return 'ECONNRESET';
  if (e.name === 'RequestTimeoutError' || /read ?timeout|ReadTimeout|timeout of \d+ms|timed? ?out/i.test(message))
    return 'SDK.ReadTimeout';
  for (const c of NETWORK_CODES) if (message.includes(c)) return c;
  return undefined;
}

function cleanMessage(message: string): string {
  // openapi-core prefixes "<code>: code: 404, "; keep the service's words.
  return message.replace(/^[\w.]+: code: \d+, /, '').replace(/ request id: [\w-]+$/, '');
}

function retryAfterMs(value: unknown): number | undefined {
  const n = numberOr(value);
  return n !== undefined && n > 0 ? n : undefined;
}

function validRequestId(value: unknown): string | undefined {
  const s = stringOr(value);
  return s && s !== 'undefined' ? s : undefined;
}

const SERVICE_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

function numberOr(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}
