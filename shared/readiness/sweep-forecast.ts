/**
 * The readiness forecast as one sweep runs it: which secrets to check now (due within the horizon,
 * a failed rotation waiting for a retry, and every managed secret once a day, spread by name), one
 * reader for the whole sweep (results shared per resource), the findings per secret, and whether a
 * retry should be held because a known cause is still there.
 *
 * Where it plugs in (shared/core, not wired yet): CoreDeps gains `targets?: TargetReads`
 * (createAlibabaClients already builds `clients.targets`). runSweep (sweep.ts) keeps the
 * SecretDescription of each secret it decides (around `decide(deps, read, observations, now)`) and,
 * before commitPass, calls `forecastSweep` once for the pass; each secret's `findings` join its
 * decision's findings before `passEntry` (checkId rotation-at-risk / secret-policy-broad must join
 * CHECK_IDS and the check catalog; cause.target = resource id, so storm grouping sees one cause per
 * instance). runRemediation (remediate.ts) asks `reader.assess` among its guard clauses, before
 * the write-ahead of an attempt, and defers the attempt while `holdsRetry` (a known cause is still
 * present), so the retry budget is not spent on it. Then deploy/ram-policy-readiness.json joins
 * deploy/ram-policy.json (the least-privilege test needs the demo to use every granted action).
 */
import type { Config } from '../config-types';
import { holdsRetry, shouldCheckReadiness, type ReadinessAssessment, type ReadinessFinding } from '../domain/readiness';
import { isManaged, rotationTargetOf } from '../domain/secret-kinds';
import type { SecretDescription } from '../ports/kms';
import type { TargetReads } from './port';
import { createReadinessReader, type PolicyView } from './reader';

export interface SecretReadiness {
  /** Absent for secrets without managed rotation, or not due for a check this sweep. */
  assessment?: ReadinessAssessment;
  /** Who the secret's policy admits (KMS-instance secrets), "no-policy" for shared KMS; absent when not read this sweep. */
  policy?: PolicyView;
}

export interface ForecastResult {
  bySecret: Map<string, SecretReadiness>;
  findings: ReadinessFinding[];
  /** secret-policy-broad: secrets whose policy lets `*` or another account read the value. */
  broadPolicies: Array<{ secretName: string; principals: string[] }>;
  calls: number;
  holdRetry(secretName: string): boolean;
}

export async function forecastSweep(input: {
  reads: TargetReads;
  config: Pick<Config, 'readiness' | 'accountId'> & { sweep: Pick<Config['sweep'], 'intervalSeconds'> };
  secrets: SecretDescription[];
  now: number;
  /** Secrets whose last rotation failed (a retry may be pending): always checked. */
  failing?: ReadonlySet<string>;
}): Promise<ForecastResult> {
  const reader = createReadinessReader(input.reads);
  const bySecret = new Map<string, SecretReadiness>();
  const horizonMs = input.config.readiness.horizonHours * 3_600_000;
  const sweepIntervalMs = input.config.sweep.intervalSeconds * 1000;
  for (const secret of input.secrets) {
    if (secret.plannedDeleteTime !== undefined) continue;
    const entry: SecretReadiness = {};
    const failing = input.failing?.has(secret.secretName) === true || secret.automaticRotation === 'Invalid';
    const rotates = isManaged(secret.secretType) && (secret.automaticRotation === 'Enabled' || failing);
    const daily = {
      spreadKey: rotationTargetOf(secret) ?? secret.secretName,
      now: input.now,
      horizonMs,
      sweepIntervalMs,
    };
    if (rotates && shouldCheckReadiness({ ...daily, nextRotationDate: secret.nextRotationDate, failing }))
      entry.assessment = await reader.assess(secret, input.now);
    // A secret policy changes rarely: read it on the secret's daily turn (KMS-instance secrets only).
    if (secret.dkmsInstanceId && shouldCheckReadiness({ ...daily, spreadKey: secret.secretName, failing: false }))
      entry.policy = await reader.policy(secret, input.config.accountId ?? '');
    else if (!secret.dkmsInstanceId) entry.policy = { kind: 'no-policy' };
    if (entry.assessment || entry.policy) bySecret.set(secret.secretName, entry);
  }
  return {
    bySecret,
    findings: [...bySecret.values()].flatMap((r) => r.assessment?.findings ?? []),
    broadPolicies: [...bySecret].flatMap(([secretName, r]) =>
      r.policy?.kind === 'policy' && r.policy.broad.length > 0 ? [{ secretName, principals: r.policy.broad }] : [],
    ),
    calls: reader.calls(),
    holdRetry: (name) => {
      const assessment = bySecret.get(name)?.assessment;
      return assessment !== undefined && holdsRetry(assessment);
    },
  };
}
