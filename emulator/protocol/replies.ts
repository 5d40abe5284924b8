/** Success and error bodies (§1.3): always JSON, always a RequestId; KMS errors also carry HttpStatus. */
import type { ApiError, ProductName } from '../types';
import { JSON_CONTENT_TYPE, jsonResponse, type RawHttpResponse } from './http';

const HOST_OF: Readonly<Record<string, string>> = {
  kms: 'kms',
  actiontrail: 'actiontrail',
  cms: 'metrics',
  sts: 'sts',
  fc: 'fcv3',
  ram: 'ram',
};

export function hostId(product: ProductName | undefined, regionId: string): string {
  return `${HOST_OF[product ?? 'kms'] ?? 'kms'}.${regionId}.aliyuncs.com`;
}

export function errorResponse(
  error: ApiError,
  requestId: string,
  product: ProductName | undefined,
  regionId: string,
): RawHttpResponse {
  const body: Record<string, unknown> = {
    RequestId: requestId,
    HostId: hostId(product, regionId),
    Code: error.code,
    Message: error.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=${product ?? 'kms'}&requestId=${requestId}`,
  };
  if (product === 'kms' || product === undefined) body.HttpStatus = error.httpStatus;
  return jsonResponse(error.httpStatus, body, { 'x-acs-request-id': requestId, ...error.headers });
}

export function successResponse(reply: Record<string, unknown>, requestId: string): RawHttpResponse {
  return {
    status: 200,
    headers: { 'content-type': JSON_CONTENT_TYPE, 'x-acs-request-id': requestId },
    body: JSON.stringify({ RequestId: requestId, ...reply }),
  };
}
