/**
 * RAM's state in the emulator: roles (with their trust policy), custom policies with up to five
 * versions, and which policies are attached to which role. Pure data plus the one derived value
 * the rest of the emulator needs: the effective permission policy of a role (the default versions
 * of every policy attached to it, merged), which the auth store hands to the role's STS tokens.
 */
import type { PolicyDocument } from '../contracts';

/** RAM keeps at most five versions of a custom policy (error LimitExceeded.Policy.Version, HTTP 409). */
export const MAX_POLICY_VERSIONS = 5;

export interface RoleRecord {
  roleId: string;
  roleName: string;
  arn: string;
  description: string;
  assumeRolePolicyDocument: string;
  maxSessionDuration: number;
  createDate: string;
  updateDate: string;
}

export interface PolicyVersionRecord {
  versionId: string; // v1, v2...
  document: string;
  createDate: string;
}

export interface PolicyRecord {
  policyName: string;
  policyType: 'Custom';
  description: string;
  defaultVersion: string;
  versions: PolicyVersionRecord[];
  /** The next version number (RAM never reuses a deleted version's id). */
  nextVersion: number;
  createDate: string;
  updateDate: string;
}

export interface Attachment {
  policyName: string;
  policyType: 'Custom' | 'System';
  attachDate: string;
}

export interface RamStore {
  roles: Map<string, RoleRecord>;
  policies: Map<string, PolicyRecord>;
  /** By role name, in attach order. */
  attachments: Map<string, Attachment[]>;
}

export function emptyRamStore(): RamStore {
  return { roles: new Map(), policies: new Map(), attachments: new Map() };
}

/** RAM's date form in replies: `2015-01-23T12:33:18Z` (ram-20150501 CreateRoleResponseBodyRole). */
export function ramDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The permissions a session of the role has: every statement of the default version of every
 * attached custom policy (RAM evaluates the union, an explicit Deny winning). System policies are
 * not modelled: attaching one is refused, so none can be silently ignored here.
 */
export function effectivePolicy(store: RamStore, roleName: string): PolicyDocument {
  const statements: PolicyDocument['Statement'] = [];
  for (const attachment of store.attachments.get(roleName) ?? []) {
    const policy = store.policies.get(attachment.policyName);
    const version = policy?.versions.find((v) => v.versionId === policy.defaultVersion);
    if (!version) continue;
    const document = JSON.parse(version.document) as PolicyDocument;
    statements.push(...document.Statement);
  }
  return { Version: '1', Statement: statements };
}

/** The roles a policy is attached to (their effective policy changes with the policy's default version). */
export function rolesUsing(store: RamStore, policyName: string): string[] {
  return [...store.attachments]
    .filter(([, list]) => list.some((a) => a.policyName === policyName))
    .map(([role]) => role);
}
