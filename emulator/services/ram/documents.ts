/**
 * Validation of the two RAM documents the API takes as JSON text: a permission policy
 * (CreatePolicy, CreatePolicyVersion) and a trust policy (CreateRole, UpdateRole). RAM answers a
 * bad document with 400 MalformedPolicyDocument and one over 6,144 bytes with
 * LimitExceeded.Policy (ram-20150501 CreatePolicyVersionRequest: "up to 6,144 bytes").
 */
import { ApiError } from '../../types';

export const MAX_POLICY_DOCUMENT_BYTES = 6144;

const EFFECTS = new Set(['Allow', 'Deny']);

function malformed(detail: string): ApiError {
  return new ApiError(400, 'MalformedPolicyDocument', `The policy document is malformed: ${detail}`);
}

function parseDocument(text: string): Record<string, unknown> {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_DOCUMENT_BYTES) {
    throw new ApiError(409, 'LimitExceeded.Policy', `The policy document exceeds ${MAX_POLICY_DOCUMENT_BYTES} bytes.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw malformed('not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformed('not a JSON object');
  const doc = value as Record<string, unknown>;
  if (doc.Version !== '1') throw malformed('Version must be "1"');
  if (!Array.isArray(doc.Statement) || doc.Statement.length === 0)
    throw malformed('Statement must be a non-empty list');
  return doc;
}

function isStringOrList(value: unknown): boolean {
  return (
    typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string'))
  );
}

/** A permission policy: every statement has Effect, Action and Resource. */
export function validatePermissionPolicy(text: string): void {
  const doc = parseDocument(text);
  for (const [i, statement] of (doc.Statement as unknown[]).entries()) {
    const s = (statement ?? {}) as Record<string, unknown>;
    if (!EFFECTS.has(String(s.Effect))) throw malformed(`Statement[${i}].Effect must be Allow or Deny`);
    if (!isStringOrList(s.Action)) throw malformed(`Statement[${i}].Action is missing`);
    if (!isStringOrList(s.Resource)) throw malformed(`Statement[${i}].Resource is missing`);
  }
}

/** A trust policy: sts:AssumeRole statements naming a Principal. */
export function validateTrustPolicy(text: string): void {
  const doc = parseDocument(text);
  for (const [i, statement] of (doc.Statement as unknown[]).entries()) {
    const s = (statement ?? {}) as Record<string, unknown>;
    if (!EFFECTS.has(String(s.Effect))) throw malformed(`Statement[${i}].Effect must be Allow or Deny`);
    if (!isStringOrList(s.Action)) throw malformed(`Statement[${i}].Action is missing`);
    if (s.Principal === null || typeof s.Principal !== 'object')
      throw malformed(`Statement[${i}].Principal is missing`);
  }
}

/** Whether the trust policy lets a cloud service (e.g. fc.aliyuncs.com) assume the role. */
export function trustsService(text: string, service: string): boolean {
  const doc = JSON.parse(text) as {
    Statement: Array<{ Effect: string; Action: string | string[]; Principal?: { Service?: string | string[] } }>;
  };
  const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  return doc.Statement.some(
    (s) =>
      s.Effect === 'Allow' && list(s.Action).includes('sts:AssumeRole') && list(s.Principal?.Service).includes(service),
  );
}
