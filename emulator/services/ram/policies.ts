/**
 * RAM custom policies and their versions (ram-20150501 models CreatePolicyRequest,
 * CreatePolicyVersionRequest (SetAsDefault, RotateStrategy), GetPolicyResponseBody(Policy,
 * DefaultPolicyVersion), GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion,
 * SetDefaultPolicyVersion). A policy keeps at most five versions; the default one cannot be deleted.
 */
import type { ApiReply } from '../../types';
import { validatePermissionPolicy } from './documents';
import { booleanParam, policyNameParam, policyTypeParam, ramErrors, required } from './errors';
import {
  MAX_POLICY_VERSIONS,
  ramDate,
  rolesUsing,
  type PolicyRecord,
  type PolicyVersionRecord,
  type RamStore,
} from './store';

const ROTATE_STRATEGIES = new Set(['None', 'DeleteOldestNonDefaultVersionWhenLimitExceeded']);

export interface PolicyContext {
  store: RamStore;
  now: () => number;
  roleChanged: (roleName: string) => void;
}

function versionReply(policy: PolicyRecord, version: PolicyVersionRecord): Record<string, unknown> {
  return {
    VersionId: version.versionId,
    IsDefaultVersion: version.versionId === policy.defaultVersion,
    PolicyDocument: version.document,
    CreateDate: version.createDate,
  };
}

function policyReply(ctx: PolicyContext, policy: PolicyRecord): Record<string, unknown> {
  return {
    PolicyName: policy.policyName,
    PolicyType: policy.policyType,
    Description: policy.description,
    DefaultVersion: policy.defaultVersion,
    AttachmentCount: rolesUsing(ctx.store, policy.policyName).length,
    CreateDate: policy.createDate,
    UpdateDate: policy.updateDate,
  };
}

function existingPolicy(ctx: PolicyContext, params: Record<string, string>): PolicyRecord {
  const name = policyNameParam(params);
  policyTypeParam(params, name);
  const policy = ctx.store.policies.get(name);
  if (!policy) throw ramErrors.noPolicy(name);
  return policy;
}

function existingVersion(policy: PolicyRecord, params: Record<string, string>): PolicyVersionRecord {
  const id = required(params, 'VersionId');
  const version = policy.versions.find((v) => v.versionId === id);
  if (!version) throw ramErrors.noVersion(id);
  return version;
}

function defaultChanged(ctx: PolicyContext, policy: PolicyRecord): void {
  for (const role of rolesUsing(ctx.store, policy.policyName)) ctx.roleChanged(role);
}

export function createPolicy(ctx: PolicyContext, params: Record<string, string>): ApiReply {
  const policyName = policyNameParam(params);
  const document = required(params, 'PolicyDocument');
  validatePermissionPolicy(document);
  if (ctx.store.policies.has(policyName)) throw ramErrors.policyExists();
  const at = ramDate(ctx.now());
  const policy: PolicyRecord = {
    policyName,
    policyType: 'Custom',
    description: params.Description ?? '',
    defaultVersion: 'v1',
    versions: [{ versionId: 'v1', document, createDate: at }],
    nextVersion: 2,
    createDate: at,
    updateDate: at,
  };
  ctx.store.policies.set(policyName, policy);
  return {
    Policy: {
      PolicyName: policyName,
      PolicyType: 'Custom',
      Description: policy.description,
      DefaultVersion: 'v1',
      CreateDate: at,
    },
  };
}

export function getPolicy(ctx: PolicyContext, params: Record<string, string>): ApiReply {
  const policy = existingPolicy(ctx, params);
  const current = policy.versions.find((v) => v.versionId === policy.defaultVersion) as PolicyVersionRecord;
  return { Policy: policyReply(ctx, policy), DefaultPolicyVersion: versionReply(policy, current) };
}

export function createPolicyVersion(ctx: PolicyContext, params: Record<string, string>): ApiReply {
  const policy = existingPolicy(ctx, params);
  const document = required(params, 'PolicyDocument');
  validatePermissionPolicy(document);
  const setAsDefault = booleanParam(params, 'SetAsDefault');
  const strategy = params.RotateStrategy || 'None';
  if (!ROTATE_STRATEGIES.has(strategy)) throw ramErrors.invalid('RotateStrategy', [...ROTATE_STRATEGIES].join(' or '));
  if (policy.versions.length >= MAX_POLICY_VERSIONS) {
    if (strategy === 'None') throw ramErrors.tooManyVersions();
    const oldest = policy.versions.findIndex((v) => v.versionId !== policy.defaultVersion);
    policy.versions.splice(oldest, 1);
  }
  const at = ramDate(ctx.now());
  const version: PolicyVersionRecord = { versionId: `v${policy.nextVersion}`, document, createDate: at };
  policy.nextVersion += 1;
  policy.versions.push(version);
  policy.updateDate = at;
  if (setAsDefault) {
    policy.defaultVersion = version.versionId;
    defaultChanged(ctx, policy);
  }
  return { PolicyVersion: versionReply(policy, version) };
}

export function getPolicyVersion(ctx: PolicyContext, params: Record<string, string>): ApiReply {
  const policy = existingPolicy(ctx, params);
  return { PolicyVersion: versionReply(policy, existingVersion(policy, params)) };
}

export function listPolicyVersions(ctx: PolicyContext, params: Record<string, string>): ApiReply {
  const policy = existingPolicy(ctx, params);
  return { PolicyVersions: { PolicyVersion: policy.versions.map((v) => versionReply(policy, v)) } };
}

export function deletePolicyVersion(ctx: PolicyContext, params: Record<string, string>): ApiReply {
  const policy = existingPolicy(ctx, params);
  const version = existingVersion(policy, params);
  if (version.versionId === policy.defaultVersion) throw ramErrors.deleteDefault();
  policy.versions = policy.versions.filter((v) => v !== version);
  return {};
}

export function setDefaultPolicyVersion(ctx: PolicyContext, params: Record<string, string>): ApiReply {
  const policy = existingPolicy(ctx, params);
  const version = existingVersion(policy, params);
  if (policy.defaultVersion !== version.versionId) {
    policy.defaultVersion = version.versionId;
    policy.updateDate = ramDate(ctx.now());
    defaultChanged(ctx, policy);
  }
  return {};
}
