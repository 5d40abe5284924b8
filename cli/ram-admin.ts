/**
 * The RAM side of `kro setup`: reads the function role, its policy and the attachment into the
 * plan's plain shape, and applies one planned step. RAM 2015-05-01 is an RPC product with one
 * global endpoint (ram.aliyuncs.com); the calls go through openapi-core's callApi like KMS's.
 * Field names: aliyun/alibabacloud-typescript-sdk ram-20150501/src/models (GetRoleResponseBody
 * Role.AssumeRolePolicyDocument, GetPolicyResponseBody DefaultPolicyVersion.PolicyDocument,
 * ListPoliciesForRole Policies.Policy[].PolicyName).
 */
import { callRpc } from '../shared/adapters/alibaba/rpc';
import { OpenApiClient, OpenApiConfig } from '../shared/adapters/alibaba/sdk';
import type { RoleState, RoleStep } from '../shared/core/role-plan';
import type { FcCredentials } from '../shared/ports/runtime';

export const RAM_VERSION = '2015-05-01';
const RAM_ENDPOINT = 'ram.aliyuncs.com';
const CONNECT_TIMEOUT_MS = 5000;
const READ_TIMEOUT_MS = 10000;
/** Keeps the five-version limit from blocking an update: RAM drops the oldest non-default version. */
const ROTATE_STRATEGY = 'DeleteOldestNonDefaultVersionWhenLimitExceeded';

export interface RamAdmin {
  readState(roleName: string, policyName: string): Promise<RoleState>;
  apply(step: RoleStep): Promise<void>;
}

function codeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; data?: { Code?: unknown } };
  return typeof e?.code === 'string' ? e.code : typeof e?.data?.Code === 'string' ? e.data.Code : undefined;
}

/** undefined when RAM answers EntityNotExist.* (the thing is not there yet). */
async function unlessMissing<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (codeOf(error)?.startsWith('EntityNotExist')) return undefined;
    throw error;
  }
}

export function createRamAdmin(options: { region: string; endpoint?: string; credentials: FcCredentials }): RamAdmin {
  const { accessKeyId, accessKeySecret, securityToken } = options.credentials;
  const client = new OpenApiClient(
    new OpenApiConfig({
      accessKeyId,
      accessKeySecret,
      ...(securityToken ? { securityToken } : {}),
      endpoint: options.endpoint ?? RAM_ENDPOINT,
      protocol: options.endpoint ? 'http' : 'https',
      regionId: options.region,
      connectTimeout: CONNECT_TIMEOUT_MS,
      readTimeout: READ_TIMEOUT_MS,
      userAgent: 'kms-rotation-orchestrator',
    }),
  );
  const call = (action: string, params: Record<string, unknown>) => callRpc(client, action, RAM_VERSION, params);

  return {
    async readState(roleName, policyName) {
      const role = await unlessMissing(call('GetRole', { RoleName: roleName }));
      const policy = await unlessMissing(call('GetPolicy', { PolicyName: policyName, PolicyType: 'Custom' }));
      const attachedList = role ? await call('ListPoliciesForRole', { RoleName: roleName }) : undefined;
      const attached = (
        (attachedList?.Policies as { Policy?: Array<{ PolicyName?: string; PolicyType?: string }> } | undefined)
          ?.Policy ?? []
      ).some((p) => p.PolicyName === policyName && p.PolicyType === 'Custom');
      return {
        trustPolicy: (role?.Role as { AssumeRolePolicyDocument?: string } | undefined)?.AssumeRolePolicyDocument,
        policyDocument: (policy?.DefaultPolicyVersion as { PolicyDocument?: string } | undefined)?.PolicyDocument,
        attached,
      };
    },
    async apply(step) {
      switch (step.action) {
        case 'create-role':
          await call('CreateRole', {
            RoleName: step.name,
            AssumeRolePolicyDocument: step.document,
            Description: 'Function Compute role of the KMS Rotation Orchestrator',
          });
          return;
        case 'update-trust':
          await call('UpdateRole', { RoleName: step.name, NewAssumeRolePolicyDocument: step.document });
          return;
        case 'create-policy':
          await call('CreatePolicy', {
            PolicyName: step.name,
            PolicyDocument: step.document,
            Description: 'KMS Rotation Orchestrator: the calls its functions make',
          });
          return;
        case 'new-policy-version':
          await call('CreatePolicyVersion', {
            PolicyName: step.name,
            PolicyDocument: step.document,
            SetAsDefault: true,
            RotateStrategy: ROTATE_STRATEGY,
          });
          return;
        case 'attach':
          await call('AttachPolicyToRole', { PolicyType: 'Custom', PolicyName: step.policy, RoleName: step.role });
          return;
        case 'unchanged':
          return;
      }
    },
  };
}
