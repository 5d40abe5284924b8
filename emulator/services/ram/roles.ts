/**
 * RAM roles (ram-20150501 models CreateRoleRequest, CreateRoleResponseBodyRole, GetRole,
 * UpdateRoleRequest, AttachPolicyToRoleRequest, ListPoliciesForRole): create, read, change the
 * trust policy, attach and detach custom policies.
 */
import type { ApiReply } from '../../types';
import { validateTrustPolicy } from './documents';
import { policyNameParam, policyTypeParam, ramErrors, required, roleNameParam } from './errors';
import { ramDate, type RamStore, type RoleRecord } from './store';

/** MaxSessionDuration: 3600..43200 s, default 3600 (CreateRoleRequest). */
const SESSION_SECONDS = { min: 3600, max: 43200, default: 3600 };

export interface RoleContext {
  store: RamStore;
  accountId: string;
  now: () => number;
  /** Called after a role's attached policies change, so its sessions get the new permissions. */
  roleChanged: (roleName: string) => void;
}

function sessionSeconds(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < SESSION_SECONDS.min || n > SESSION_SECONDS.max) {
    throw ramErrors.invalid(name, `${SESSION_SECONDS.min} to ${SESSION_SECONDS.max} seconds`);
  }
  return n;
}

function roleReply(role: RoleRecord): Record<string, unknown> {
  return {
    RoleId: role.roleId,
    RoleName: role.roleName,
    Arn: role.arn,
    Description: role.description,
    AssumeRolePolicyDocument: role.assumeRolePolicyDocument,
    MaxSessionDuration: role.maxSessionDuration,
    CreateDate: role.createDate,
    UpdateDate: role.updateDate,
  };
}

function existingRole(ctx: RoleContext, params: Record<string, string>): RoleRecord {
  const name = roleNameParam(params);
  const role = ctx.store.roles.get(name);
  if (!role) throw ramErrors.noRole(name);
  return role;
}

/** A stable 19-digit role id per account and name, so replays report the same RoleId. */
function roleIdOf(accountId: string, roleName: string): string {
  let h = 1469598103934665603n;
  for (const ch of `${accountId}/${roleName}`)
    h = ((h ^ BigInt(ch.charCodeAt(0))) * 1099511628211n) & 0xffffffffffffffffn;
  return `3${(h % 10n ** 18n).toString().padStart(18, '0')}`;
}

export function createRole(ctx: RoleContext, params: Record<string, string>): ApiReply {
  const roleName = roleNameParam(params);
  const trust = required(params, 'AssumeRolePolicyDocument');
  validateTrustPolicy(trust);
  const maxSession = sessionSeconds(params.MaxSessionDuration, 'MaxSessionDuration') ?? SESSION_SECONDS.default;
  if (ctx.store.roles.has(roleName)) throw ramErrors.roleExists();
  const at = ramDate(ctx.now());
  const role: RoleRecord = {
    roleId: roleIdOf(ctx.accountId, roleName),
    roleName,
    arn: `acs:ram::${ctx.accountId}:role/${roleName}`,
    description: params.Description ?? '',
    assumeRolePolicyDocument: trust,
    maxSessionDuration: maxSession,
    createDate: at,
    updateDate: at,
  };
  ctx.store.roles.set(roleName, role);
  // A new role has no permissions until a policy is attached.
  ctx.roleChanged(roleName);
  const { UpdateDate: _omitted, ...reply } = roleReply(role);
  return { Role: reply };
}

export function getRole(ctx: RoleContext, params: Record<string, string>): ApiReply {
  return { Role: roleReply(existingRole(ctx, params)) };
}

export function updateRole(ctx: RoleContext, params: Record<string, string>): ApiReply {
  const role = existingRole(ctx, params);
  const trust = params.NewAssumeRolePolicyDocument;
  if (trust !== undefined && trust !== '') validateTrustPolicy(trust);
  const maxSession = sessionSeconds(params.NewMaxSessionDuration, 'NewMaxSessionDuration');
  if (trust) role.assumeRolePolicyDocument = trust;
  if (maxSession !== undefined) role.maxSessionDuration = maxSession;
  if (params.NewDescription !== undefined) role.description = params.NewDescription;
  role.updateDate = ramDate(ctx.now());
  return { Role: roleReply(role) };
}

export function attachPolicyToRole(ctx: RoleContext, params: Record<string, string>): ApiReply {
  const policyName = policyNameParam(params);
  policyTypeParam(params, policyName);
  const role = existingRole(ctx, params);
  if (!ctx.store.policies.has(policyName)) throw ramErrors.noPolicy(policyName);
  const list = ctx.store.attachments.get(role.roleName) ?? [];
  if (list.some((a) => a.policyName === policyName)) throw ramErrors.alreadyAttached();
  list.push({ policyName, policyType: 'Custom', attachDate: ramDate(ctx.now()) });
  ctx.store.attachments.set(role.roleName, list);
  ctx.roleChanged(role.roleName);
  return {};
}

export function detachPolicyFromRole(ctx: RoleContext, params: Record<string, string>): ApiReply {
  const policyName = policyNameParam(params);
  policyTypeParam(params, policyName);
  const role = existingRole(ctx, params);
  const list = ctx.store.attachments.get(role.roleName) ?? [];
  const index = list.findIndex((a) => a.policyName === policyName);
  if (index < 0) throw ramErrors.notAttached();
  list.splice(index, 1);
  ctx.roleChanged(role.roleName);
  return {};
}

export function listPoliciesForRole(ctx: RoleContext, params: Record<string, string>): ApiReply {
  const role = existingRole(ctx, params);
  const policies = (ctx.store.attachments.get(role.roleName) ?? []).map((a) => {
    const policy = ctx.store.policies.get(a.policyName);
    return {
      PolicyName: a.policyName,
      PolicyType: a.policyType,
      Description: policy?.description ?? '',
      DefaultVersion: policy?.defaultVersion ?? '',
      AttachDate: a.attachDate,
    };
  });
  return { Policies: { Policy: policies } };
}
