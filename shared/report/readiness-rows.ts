/**
 * Readiness per secret, as the audit and the report show it: whether the next rotation can succeed
 * (ok / at risk: cause and resource / not checked: why / nothing to check), and who the secret's
 * policy admits to kms:GetSecretValue (shared-KMS secrets: "no secret policy"). Names, ids, codes.
 */
import type { AuditReadiness } from '../readiness/audit-readiness';
import { escapeHtml } from './escape';

export type ReadinessStatus = 'ok' | 'at risk' | 'not checked' | 'nothing to check';

export interface ReadinessRow {
  secretName: string;
  status: ReadinessStatus;
  /** At risk: each failing cause and its resource; not checked: each cause and why; else why nothing. */
  details: string[];
  /** Who the policy admits, "no secret policy", or "not checked (<code>)". */
  policy: string;
  /** The policy admits `*` or another account. */
  broadPolicy: boolean;
}

export function readinessRow(r: AuditReadiness): ReadinessRow {
  const a = r.assessment;
  let status: ReadinessStatus;
  let details: string[];
  if (!a) {
    status = 'nothing to check';
    details = [r.skipped ?? 'no rotation'];
  } else if (a.findings.length > 0) {
    status = 'at risk';
    details = a.findings.map(
      (f) =>
        `${f.cause}: ${f.resource.kind} ${f.resource.id}${f.evidence.observed !== undefined ? ` (${f.evidence.observed})` : ''}`,
    );
  } else {
    // Ok when every precondition that could be read holds; a part that could not be read (a
    // denied describe, an account name only the value holds) is named, never an alarm.
    const holds = a.notChecked.length < (r.preconditions ?? a.notChecked.length + 1);
    status = holds ? 'ok' : 'not checked';
    details = a.notChecked.map((n) => `${n.cause} not checked (${n.detail ?? 'not read'})`);
  }
  const p = r.policy;
  const policy =
    p.kind === 'no-policy'
      ? 'no secret policy'
      : p.kind === 'not-checked'
        ? `not checked (${p.code})`
        : p.principals.length > 0
          ? p.principals.join(', ')
          : 'nobody (no Allow for kms:GetSecretValue)';
  return {
    secretName: r.secretName,
    status,
    details,
    policy,
    broadPolicy: p.kind === 'policy' && p.broad.length > 0,
  };
}

/** The text table for `kro audit`: one line per secret. */
export function formatReadinessTable(rows: ReadinessRow[]): string[] {
  if (rows.length === 0) return [];
  const width = Math.min(48, Math.max(6, ...rows.map((r) => r.secretName.length)));
  return [
    'Readiness of the next rotation, and who each secret policy admits:',
    ...rows.map((r) => {
      const what = r.details.length > 0 ? `${r.status}: ${r.details.join('; ')}` : r.status;
      return `  ${r.secretName.padEnd(width)}  ${what} | policy: ${r.policy}${r.broadPolicy ? ' (BROAD)' : ''}`;
    }),
  ];
}

const STATUS_COLOUR: Record<ReadinessStatus, string> = {
  ok: '#2e9d5b',
  'at risk': '#d9822b',
  'not checked': '#8a8f98',
  'nothing to check': '#8a8f98',
};

/** The HTML section: at-risk secrets first, then not checked, then the rest. */
export function readinessSection(rows: ReadinessRow[]): string {
  if (rows.length === 0) return '';
  const rank: Record<ReadinessStatus, number> = { 'at risk': 0, 'not checked': 1, ok: 2, 'nothing to check': 3 };
  const sorted = [...rows].sort(
    (a, b) =>
      Number(b.broadPolicy) - Number(a.broadPolicy) ||
      rank[a.status] - rank[b.status] ||
      a.secretName.localeCompare(b.secretName),
  );
  const body = sorted
    .map(
      (r) =>
        `<tr><td class="secret">${escapeHtml(r.secretName)}</td>` +
        `<td class="nowrap"><span style="color:${STATUS_COLOUR[r.status]}">${escapeHtml(r.status)}</span></td>` +
        `<td>${r.details.map((d) => escapeHtml(d)).join('<br>')}</td>` +
        `<td>${r.broadPolicy ? '<b>broad:</b> ' : ''}${escapeHtml(r.policy)}</td></tr>`,
    )
    .join('');
  const counts = (['at risk', 'not checked', 'ok'] as const).map(
    (s) => `${rows.filter((r) => r.status === s).length} ${s}`,
  );
  return (
    `<section><h2>Readiness of the next rotation</h2><p class="sub">Read-only checks of each managed secret's rotation target ` +
    `(${escapeHtml(counts.join(', '))}), and who each secret policy lets call kms:GetSecretValue.</p>` +
    `<table class="readiness"><thead><tr><th>secret</th><th>readiness</th><th>cause and resource, or why not checked</th>` +
    `<th>policy admits</th></tr></thead><tbody>${body}</tbody></table></section>`
  );
}
