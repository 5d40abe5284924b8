/**
 * Readiness for a read-only audit (`kro audit`, the demo's closing snapshot): every managed secret's
 * next rotation checked now, not on the sweep's spread schedule (an audit is run once, by a human,
 * who wants the whole fleet), and who each KMS-instance secret's policy admits. One reader for the
 * audit, so secrets on one instance share its reads. Findings come out in the sweep's Finding shape
 * (rotation-at-risk, secret-policy-broad, from domain/readiness.ts), so `--fail-on` and the report
 * treat them like the others.
 */
import { atRiskFinding, broadPolicyFinding, type ReadinessAssessment } from '../domain/readiness';
import { isManaged } from '../domain/secret-kinds';
import type { Finding } from '../domain/types';
import type { SecretDescription } from '../ports/kms';
import type { TargetReads } from './port';
import { createReadinessReader, type PolicyView } from './reader';

export interface AuditReadiness {
  secretName: string;
  /** Absent when the secret has no next rotation to check (`skipped` says why). */
  assessment?: ReadinessAssessment;
  skipped?: 'not managed' | 'rotation off' | 'deletion scheduled';
  /** How many preconditions were evaluated (held, failed or not checked). */
  preconditions?: number;
  policy: PolicyView;
}

function skipReason(secret: SecretDescription): AuditReadiness['skipped'] {
  if (secret.plannedDeleteTime !== undefined) return 'deletion scheduled';
  if (!isManaged(secret.secretType)) return 'not managed';
  if (secret.automaticRotation !== 'Enabled' && secret.automaticRotation !== 'Invalid') return 'rotation off';
  return undefined;
}

export async function auditReadiness(input: {
  reads: TargetReads;
  accountId: string;
  secrets: SecretDescription[];
  now: number;
}): Promise<{ bySecret: AuditReadiness[]; findings: Finding[]; calls: number }> {
  const reader = createReadinessReader(input.reads);
  const bySecret: AuditReadiness[] = [];
  for (const secret of input.secrets) {
    const skipped = skipReason(secret);
    const entry: AuditReadiness = {
      secretName: secret.secretName,
      policy: await reader.policy(secret, input.accountId),
    };
    if (skipped) entry.skipped = skipped;
    else {
      const { results, ...assessment } = await reader.assess(secret, input.now);
      entry.assessment = assessment;
      entry.preconditions = results.length;
    }
    bySecret.push(entry);
  }
  // The sweep's findings, built the same way: one rotation-at-risk per secret, led by its first cause.
  const findings = bySecret.flatMap((r) => [
    ...[atRiskFinding(r.assessment?.findings ?? [])].filter((f) => f !== undefined),
    ...(r.policy.kind === 'policy' && r.policy.broad.length > 0
      ? [broadPolicyFinding(r.secretName, r.policy.broad)]
      : []),
  ]);
  return { bySecret, findings, calls: reader.calls() };
}
