/**
 * RAM policy evaluation, enough for the emulator: an explicit Deny wins, then any Allow; wildcards
 * in actions and resources. Conditions are not evaluated (the product's policy uses none).
 */
import type { PolicyDocument } from '../services/contracts';

const compiled = new Map<string, RegExp>();

/** Policies are few and checked on every call: compile each pattern once. */
function globToRegExp(glob: string): RegExp {
  let re = compiled.get(glob);
  if (!re) {
    const escaped = glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${escaped}$`, 'i');
    compiled.set(glob, re);
  }
  return re;
}

function anyMatches(patterns: string | string[] | undefined, value: string | undefined): boolean {
  if (patterns === undefined) return true;
  const list = Array.isArray(patterns) ? patterns : [patterns];
  // A resource we cannot name (non-KMS products) is matched by any resource pattern.
  if (value === undefined) return true;
  return list.some((p) => globToRegExp(p).test(value));
}

export function isAllowed(policy: PolicyDocument, action: string, resource?: string): boolean {
  let allowed = false;
  for (const statement of policy.Statement) {
    if (!anyMatches(statement.Action, action) || !anyMatches(statement.Resource, resource)) continue;
    if (statement.Effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}
