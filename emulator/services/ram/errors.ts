/**
 * RAM's error codes and statuses as its API reference lists them (e.g. CreateRole: 409
 * EntityAlreadyExists.Role "The role does already EXIST."; CreatePolicyVersion: 404
 * EntityNotExist.Policy, 409 LimitExceeded.Policy.Version; AttachPolicyToRole: 409
 * EntityAlreadyExists.Role.Policy). The messages are paraphrased.
 */
import { ApiError } from '../../types';

export const ramErrors = {
  missing: (name: string) =>
    new ApiError(400, 'MissingParameter', `The parameter "${name}" is needed but not provided.`),
  invalid: (name: string, detail: string) =>
    new ApiError(400, `InvalidParameter.${name}`, `The parameter "${name}" is invalid: ${detail}`),
  roleExists: () => new ApiError(409, 'EntityAlreadyExists.Role', 'The role does already EXIST.'),
  noRole: (name: string) => new ApiError(404, 'EntityNotExist.Role', `The role does not exist: ${name}.`),
  policyExists: () => new ApiError(409, 'EntityAlreadyExists.Policy', 'The policy does already EXIST.'),
  noPolicy: (name: string) => new ApiError(404, 'EntityNotExist.Policy', `The policy does not exist: ${name}.`),
  noVersion: (id: string) =>
    new ApiError(404, 'EntityNotExist.Policy.Version', `The policy version does not exist: ${id}.`),
  tooManyVersions: () =>
    new ApiError(409, 'LimitExceeded.Policy.Version', 'The count of policy version beyond the current limits.'),
  deleteDefault: () =>
    new ApiError(409, 'DeleteConflict.Policy.Version.Default', 'The default policy version cannot be deleted.'),
  alreadyAttached: () =>
    new ApiError(409, 'EntityAlreadyExists.Role.Policy', 'The policy is already attached to the role.'),
  notAttached: () => new ApiError(404, 'EntityNotExist.Role.Policy', 'The policy is not attached to the role.'),
  systemPolicy: (name: string) =>
    new ApiError(404, 'EntityNotExist.Policy', `The system policy is not modelled by the emulator: ${name}.`),
};

const ROLE_NAME = /^[A-Za-z0-9.-]{1,64}$/;
const POLICY_NAME = /^[A-Za-z0-9-]{1,128}$/;

export function required(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw ramErrors.missing(name);
  return value;
}

/** RoleName: 1-64 letters, digits, periods and hyphens (ram-20150501 CreateRoleRequest). */
export function roleNameParam(params: Record<string, string>, name = 'RoleName'): string {
  const value = required(params, name);
  if (!ROLE_NAME.test(value)) throw ramErrors.invalid(name, '1 to 64 letters, digits, periods (.) and hyphens (-)');
  return value;
}

/** PolicyName: 1-128 letters, digits and hyphens (ram-20150501 CreatePolicyRequest). */
export function policyNameParam(params: Record<string, string>): string {
  const value = required(params, 'PolicyName');
  if (!POLICY_NAME.test(value)) throw ramErrors.invalid('PolicyName', '1 to 128 letters, digits and hyphens (-)');
  return value;
}

/** PolicyType is System or Custom; only custom policies exist here. */
export function policyTypeParam(params: Record<string, string>, name: string): 'Custom' {
  const type = params.PolicyType ?? 'Custom';
  if (type === 'System') throw ramErrors.systemPolicy(name);
  if (type !== 'Custom') throw ramErrors.invalid('PolicyType', 'System or Custom');
  return 'Custom';
}

export function booleanParam(params: Record<string, string>, name: string): boolean {
  const value = params[name];
  if (value === undefined || value === '') return false;
  if (value !== 'true' && value !== 'false') throw ramErrors.invalid(name, 'true or false');
  return value === 'true';
}
