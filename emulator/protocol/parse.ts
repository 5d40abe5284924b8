/**
 * Turns an HTTP request into what the dispatcher needs, for the three styles of §1.2: ACS3 (action
 * in x-acs-* headers, parameters in the query), signature v1 (all in the query) and the pop-core
 * form body. FC 3.0 is routed by path instead of by version.
 */
import type { ProductName } from '../types';
import type { RawHttpRequest } from './http';
import { parseAcs3Authorization, type Acs3Authorization } from './signature';

export const PRODUCT_BY_VERSION: Readonly<Record<string, ProductName>> = {
  '2016-01-20': 'kms',
  '2020-07-06': 'actiontrail',
  '2019-01-01': 'cms',
  '2015-04-01': 'sts',
  '2014-08-15': 'rds',
  '2014-05-26': 'ecs',
  '2015-01-01': 'r-kvstore',
  '2017-08-01': 'polardb',
  '2015-05-01': 'ram',
};

/** Protocol parameters: never handed to providers as business parameters. */
const COMMON_PARAMS = new Set([
  'Action',
  'Version',
  'Format',
  'Timestamp',
  'SignatureNonce',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureType',
  'AccessKeyId',
  'Signature',
  'SecurityToken',
]);

const FC_INVOKE_PATH = /^\/2023-03-30\/functions\/([^/?]+)\/invocations\/?$/;

export type SignatureStyle = 'acs3' | 'v1' | 'none';

export interface ParsedCall {
  product?: ProductName;
  action?: string;
  version?: string;
  /** The raw path as sent (signature input) and decoded for providers. */
  rawPath: string;
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
  /** query + form, without protocol parameters. */
  params: Record<string, string>;
  style: SignatureStyle;
  acs3?: Acs3Authorization;
  accessKeyId?: string;
  securityToken?: string;
  /** The signing time the client claims (v1 Timestamp or x-acs-date). */
  timestamp?: string;
  functionName?: string;
}

function searchParamsToRecord(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}

export function parseCall(req: RawHttpRequest): ParsedCall {
  const q = req.url.indexOf('?');
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  const query = searchParamsToRecord(q < 0 ? '' : req.url.slice(q + 1));
  const contentType = req.headers['content-type'] ?? '';
  const form =
    contentType.startsWith('application/x-www-form-urlencoded') && req.body.length > 0
      ? searchParamsToRecord(req.body.toString('utf8'))
      : {};
  const all = { ...query, ...form };
  const params: Record<string, string> = {};
  for (const key of Object.keys(all)) if (!COMMON_PARAMS.has(key)) params[key] = all[key] as string;

  const authorization = req.headers['authorization'];
  const acs3 = authorization ? parseAcs3Authorization(authorization) : undefined;
  const style: SignatureStyle = acs3
    ? 'acs3'
    : all.Signature !== undefined || all.AccessKeyId !== undefined
      ? 'v1'
      : 'none';
  let path = rawPath;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // A malformed escape stays as sent; the route simply will not match.
  }

  const fc = FC_INVOKE_PATH.exec(rawPath);
  const base: ParsedCall = {
    rawPath,
    path,
    query,
    form,
    params,
    style,
    acs3,
    accessKeyId: acs3 ? acs3.accessKeyId : all.AccessKeyId,
    securityToken: style === 'acs3' ? req.headers['x-acs-security-token'] : all.SecurityToken,
    timestamp: style === 'acs3' ? req.headers['x-acs-date'] : all.Timestamp,
  };
  if (fc) {
    const functionName = decodeURIComponent(fc[1] as string);
    return { ...base, product: 'fc', action: 'InvokeFunction', version: '2023-03-30', functionName };
  }
  const version = req.headers['x-acs-version'] ?? all.Version;
  const action = req.headers['x-acs-action'] ?? all.Action;
  return { ...base, product: version ? PRODUCT_BY_VERSION[version] : undefined, action, version };
}
