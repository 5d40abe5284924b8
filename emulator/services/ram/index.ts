/**
 * RAM 2015-05-01 in the emulator: roles and custom policies, the calls `kro setup` makes (RPC
 * style, like KMS). What is attached to a role is what is enforced: every change to a role's
 * attached policies (or to one of their default versions) replaces the permissions of the role's
 * STS sessions in the auth store, so the function handlers run with exactly what setup granted.
 * Roles that RAM does not know (the demo's, deployed without setup) keep the auth store's own
 * setting (unrestricted unless a test sets a policy).
 */
import type { ApiReply, ApiRequest, Provider, SimClock } from '../../types';
import { ApiError } from '../../types';
import type { AuthStore } from '../contracts';
import {
  createPolicy,
  createPolicyVersion,
  deletePolicyVersion,
  getPolicy,
  getPolicyVersion,
  listPolicyVersions,
  setDefaultPolicyVersion,
} from './policies';
import {
  attachPolicyToRole,
  createRole,
  detachPolicyFromRole,
  getRole,
  listPoliciesForRole,
  updateRole,
} from './roles';
import { effectivePolicy, emptyRamStore, type RamStore, type RoleRecord } from './store';
import type { TargetStore } from '../targets/store';
import { userActions } from './users';

export { effectivePolicy, MAX_POLICY_VERSIONS, type RoleRecord, type PolicyRecord } from './store';
export { trustsService } from './documents';

export interface RamService extends Provider {
  /** A role as GetRole sees it, or undefined (for other emulated services, e.g. service-linked roles). */
  getRole(roleName: string): RoleRecord | undefined;
  roles(): RoleRecord[];
  /** The merged permission policy of a role's attached policies. */
  rolePolicy(roleName: string): ReturnType<typeof effectivePolicy> | undefined;
  /** Direct access for emulator services that create roles themselves (service-linked roles). */
  readonly store: RamStore;
}

export function createRam(deps: {
  clock: SimClock;
  auth: AuthStore;
  accountId: string;
  store?: RamStore;
  targets?: TargetStore;
}): RamService {
  const store = deps.store ?? emptyRamStore();
  const roleChanged = (roleName: string) => deps.auth.setRolePolicy(roleName, effectivePolicy(store, roleName));
  const ctx = { store, accountId: deps.accountId, now: () => deps.clock.now(), roleChanged };

  const actions: Record<string, (params: Record<string, string>) => ApiReply> = {
    CreateRole: (p) => createRole(ctx, p),
    GetRole: (p) => getRole(ctx, p),
    UpdateRole: (p) => updateRole(ctx, p),
    AttachPolicyToRole: (p) => attachPolicyToRole(ctx, p),
    DetachPolicyFromRole: (p) => detachPolicyFromRole(ctx, p),
    ListPoliciesForRole: (p) => listPoliciesForRole(ctx, p),
    CreatePolicy: (p) => createPolicy(ctx, p),
    GetPolicy: (p) => getPolicy(ctx, p),
    CreatePolicyVersion: (p) => createPolicyVersion(ctx, p),
    GetPolicyVersion: (p) => getPolicyVersion(ctx, p),
    ListPolicyVersions: (p) => listPolicyVersions(ctx, p),
    DeletePolicyVersion: (p) => deletePolicyVersion(ctx, p),
    SetDefaultPolicyVersion: (p) => setDefaultPolicyVersion(ctx, p),
    // Users and AccessKeys live in the rotation-target store (a managed RAM rotation changes them).
    ...(deps.targets ? userActions(deps.targets, deps.auth) : {}),
  };

  return {
    product: 'ram',
    version: '2015-05-01',
    // The emulated trail covers KMS only (see cms/index.ts).
    writeActions: new Set<string>(),
    handle(req: ApiRequest) {
      const action = actions[req.action];
      if (!action)
        throw new ApiError(
          404,
          'InvalidAction.NotFound',
          `Specified api "${req.action}" is not found, please check your url and method.`,
        );
      return action(req.params);
    },
    getRole: (roleName) => {
      const role = store.roles.get(roleName);
      return role ? { ...role } : undefined;
    },
    roles: () => [...store.roles.values()].map((r) => ({ ...r })),
    rolePolicy: (roleName) => (store.roles.has(roleName) ? effectivePolicy(store, roleName) : undefined),
    store,
  };
}
