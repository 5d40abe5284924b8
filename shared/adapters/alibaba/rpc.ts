/**
 * RPC-style calls over openapi-core's generic `callApi` (alibaba-cloud-apis.md §1.7), for the
 * products without a usable typed SDK (KMS, ActionTrail, STS). Default ACS3-HMAC-SHA256 signing:
 * action and version travel in x-acs-* headers, business parameters in the query.
 */
import * as z from 'zod/mini';
import { CloudError, type Product } from '../../errors';
import { flattenQuery, OpenApiParams, OpenApiRequest } from './sdk';

export type RpcParams = Record<string, unknown>;

/** Booleans as "true"/"false", numbers as text, undefined dropped; arrays and objects are left to
 * OpenApiUtil.query, which flattens them 1-based (`LookupAttribute.1.Key`). */
export function encodeParams(params: RpcParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'boolean') out[key] = value ? 'true' : 'false';
    else if (typeof value === 'number') out[key] = String(value);
    else out[key] = value;
  }
  return out;
}

export async function callRpc(
  client: any,
  action: string,
  version: string,
  params: RpcParams,
): Promise<Record<string, unknown>> {
  const request = new OpenApiRequest({ query: flattenQuery(encodeParams(params)) });
  const options = new OpenApiParams({
    action,
    version,
    protocol: 'HTTPS',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const response = await client.callApi(options, request, {});
  const body = response?.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new CloudError({
      code: 'InvalidResponse',
      message: 'reply body is not a JSON object',
      httpStatus: response?.statusCode,
      product: productOfVersion(version),
      action,
      retryable: false,
    });
  }
  return body as Record<string, unknown>;
}

/** Validates a reply against its model; a missing required field is a protocol error, not retryable. */
export function parseReply<S extends z.ZodMiniType>(
  schema: S,
  body: Record<string, unknown>,
  product: Product,
  action: string,
): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  // Paths and reasons only: a reply may hold a secret value, which must not reach a message.
  const detail = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  throw new CloudError({
    code: 'InvalidResponse',
    message: `unexpected ${action} reply (${detail})`,
    requestId: typeof body.RequestId === 'string' ? body.RequestId : undefined,
    product,
    action,
    retryable: false,
  });
}

function productOfVersion(version: string): Product {
  if (version === '2016-01-20') return 'kms';
  if (version === '2020-07-06') return 'actiontrail';
  return 'sts';
}
