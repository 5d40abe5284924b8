/**
 * What `kro setup` must change in RAM so the functions can run: the function role (trusted by
 * Function Compute), one custom policy rendered for this account and region, and the policy
 * attached to the role. Pure: renders the documents and compares them with what was read, so a
 * second run plans nothing. The template is deploy/ram-policy.json; its wildcards are pinned here:
 * every `acs:<product>:*:*:...` resource gets this region and account, and the Function Compute
 * statement names exactly the three functions s.yaml deploys.
 */

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: string | string[];
  [key: string]: unknown;
}

export interface PolicyTemplate {
  Version: string;
  Statement: PolicyStatement[];
}

export interface RoleTarget {
  accountId: string;
  regionId: string;
  roleName: string;
  policyName: string;
  /** The function names s.yaml deploys (the only ones fc:InvokeFunction may call). */
  functionNames: readonly string[];
}

/** What was read from RAM; undefined = does not exist. */
export interface RoleState {
  trustPolicy?: string;
  /** The default version's document. */
  policyDocument?: string;
  attached: boolean;
}

export type RoleStep =
  | { action: 'create-role' | 'update-trust'; name: string; document: string }
  | { action: 'create-policy' | 'new-policy-version'; name: string; document: string }
  | { action: 'attach'; name: string; role: string; policy: string }
  | { action: 'unchanged'; kind: 'role' | 'policy' | 'attachment'; name: string };

const FC_FUNCTION_RESOURCE = /^acs:fc:[^:]*:[^:]*:functions\//;
const UNPINNED_RESOURCE = /^acs:([a-z0-9-]+):\*:\*:(.*)$/;

export function functionArn(target: Pick<RoleTarget, 'accountId' | 'regionId'>, name: string): string {
  return `acs:fc:${target.regionId}:${target.accountId}:functions/${name}`;
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The template with every resource pinned to this account and region (see the file comment). */
export function renderPolicy(template: PolicyTemplate, target: RoleTarget): PolicyTemplate {
  const statements = template.Statement.map((statement) => {
    if (statement.Resource === undefined) return statement;
    const resources: string[] = [];
    for (const resource of list(statement.Resource)) {
      if (FC_FUNCTION_RESOURCE.test(resource))
        resources.push(...target.functionNames.map((n) => functionArn(target, n)));
      else resources.push(resource.replace(UNPINNED_RESOURCE, `acs:$1:${target.regionId}:${target.accountId}:$2`));
    }
    return { ...statement, Resource: [...new Set(resources)] };
  });
  return { Version: template.Version, Statement: statements };
}

/** Resources that are neither "*" nor pinned to this account and region (a rendering must have none). */
export function unpinnedResources(
  policy: PolicyTemplate,
  target: Pick<RoleTarget, 'accountId' | 'regionId'>,
): string[] {
  return policy.Statement.flatMap((s) => list(s.Resource)).filter(
    (r) => r !== '*' && !r.startsWith(`acs:${r.split(':')[1]}:${target.regionId}:${target.accountId}:`),
  );
}

/** JSON text compared by meaning: key order and spacing do not count as a change. */
export function sameDocument(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  try {
    return canonical(JSON.parse(a)) === canonical(JSON.parse(b));
  } catch {
    return false;
  }
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function planRole(
  target: RoleTarget,
  trustPolicy: string,
  policyDocument: string,
  current: RoleState,
): RoleStep[] {
  const steps: RoleStep[] = [];
  if (current.trustPolicy === undefined)
    steps.push({ action: 'create-role', name: target.roleName, document: trustPolicy });
  else if (!sameDocument(current.trustPolicy, trustPolicy))
    steps.push({ action: 'update-trust', name: target.roleName, document: trustPolicy });
  else steps.push({ action: 'unchanged', kind: 'role', name: target.roleName });

  if (current.policyDocument === undefined)
    steps.push({ action: 'create-policy', name: target.policyName, document: policyDocument });
  else if (!sameDocument(current.policyDocument, policyDocument))
    steps.push({ action: 'new-policy-version', name: target.policyName, document: policyDocument });
  else steps.push({ action: 'unchanged', kind: 'policy', name: target.policyName });

  const attachment = `${target.policyName} -> ${target.roleName}`;
  if (current.attached) steps.push({ action: 'unchanged', kind: 'attachment', name: attachment });
  else steps.push({ action: 'attach', name: attachment, role: target.roleName, policy: target.policyName });
  return steps;
}
