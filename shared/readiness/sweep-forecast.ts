/**
 * The readiness forecast as one sweep runs it: which secrets to check now (due within the horizon,
 * a failed rotation waiting for a retry, and every managed secret once a day, spread by target),
 * one reader for the whole sweep (results shared per resource, so the secrets on one instance
 * cost one describe of it), and what each secret's decision observes.
 *
 * runSweep (shared/core/sweep.ts) creates one SweepForecast per full sweep and asks `forSecret`
 * before deciding each secret: `readinessObservation` turns the answer into the findings that
 * join the decision (rotation-at-risk, secret-policy-broad) and the sampled checks it evaluated.
 * runRemediation (remediate.ts) asks the reader directly (holdsRetry) before an attempt.
 * `forecastSweep` runs the same over a list of secrets (audit, report, tests).
 */
import type { Config } from '../config-types';
import type { ReadinessObservation } from '../domain/assess';
import type { CheckId } from '../domain/check-catalog';
import {
  atRiskFinding,
  broadPolicyFinding,
  holdsRetry,
  shouldCheckReadiness,
  type ReadinessAssessment,
  type ReadinessFinding,
} from '../domain/readiness';
import type { Finding } from '../domain/types';
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

export type ForecastConfig = Pick<Config, 'readiness' | 'accountId'> & {
  sweep: Pick<Config['sweep'], 'intervalSeconds'>;
};

export interface SweepForecast {
  /**
   * One secret's forecast this sweep: its preconditions when it is due for a check (due within the
   * horizon, `failing`, or its daily turn), its secret policy on its daily turn. Never throws.
   */
  forSecret(secret: SecretDescription, failing: boolean): Promise<SecretReadiness>;
  /** Cloud calls made so far (a shared result is counted once). */
  calls(): number;
}

export function createSweepForecast(input: { reads: TargetReads; config: ForecastConfig; now: number }): SweepForecast {
  const reader = createReadinessReader(input.reads);
  const { now, config } = input;
  const horizonMs = config.readiness.horizonHours * 3_600_000;
  const sweepIntervalMs = config.sweep.intervalSeconds * 1000;
  return {
    async forSecret(secret, failingHint) {
      const entry: SecretReadiness = {};
      if (secret.plannedDeleteTime !== undefined) return entry;
      const failing = failingHint || secret.automaticRotation === 'Invalid';
      const rotates = isManaged(secret.secretType) && (secret.automaticRotation === 'Enabled' || failing);
      const daily = { spreadKey: rotationTargetOf(secret) ?? secret.secretName, now, horizonMs, sweepIntervalMs };
      if (rotates && shouldCheckReadiness({ ...daily, nextRotationDate: secret.nextRotationDate, failing }))
        entry.assessment = await reader.assess(secret, now);
      if (!secret.dkmsInstanceId) entry.policy = { kind: 'no-policy' };
      // A secret policy changes rarely: read on the secret's daily turn, the one its state tag keeps
      // (sweep-schedule.ts), so an incremental sweep describes it that day. Without the account id
      // every named principal would look foreign, so the policy is then not judged.
      else if (shouldCheckReadiness({ ...daily, failing: false }))
        entry.policy = config.accountId
          ? await reader.policy(secret, config.accountId)
          : { kind: 'not-checked', code: 'AccountIdUnknown' };
      return entry;
    },
    calls: () => reader.calls(),
  };
}

/**
 * What a secret's decision observes from its forecast. rotation-at-risk counts as evaluated when a
 * cause fails or every precondition was read: an unreadable one (a denied describe) neither raises
 * nor resolves. secret-policy-broad is evaluated when the policy was read (or there is none).
 */
export function readinessObservation(secretName: string, readiness: SecretReadiness): ReadinessObservation {
  const findings: Finding[] = [];
  const evaluated: CheckId[] = [];
  const a = readiness.assessment;
  if (a) {
    const atRisk = atRiskFinding(a.findings);
    if (atRisk) findings.push(atRisk);
    if (atRisk || a.notChecked.length === 0) evaluated.push('rotation-at-risk');
  }
  const p = readiness.policy;
  if (p && p.kind !== 'not-checked') {
    evaluated.push('secret-policy-broad');
    if (p.kind === 'policy' && p.broad.length > 0) findings.push(broadPolicyFinding(secretName, p.broad));
  }
  return { findings, evaluated };
}

export async function forecastSweep(input: {
  reads: TargetReads;
  config: ForecastConfig;
  secrets: SecretDescription[];
  now: number;
  /** Secrets whose last rotation failed (a retry may be pending): always checked. */
  failing?: ReadonlySet<string>;
}): Promise<ForecastResult> {
  const forecast = createSweepForecast(input);
  const bySecret = new Map<string, SecretReadiness>();
  for (const secret of input.secrets) {
    const entry = await forecast.forSecret(secret, input.failing?.has(secret.secretName) === true);
    if (entry.assessment || entry.policy) bySecret.set(secret.secretName, entry);
  }
  return {
    bySecret,
    findings: [...bySecret.values()].flatMap((r) => r.assessment?.findings ?? []),
    broadPolicies: [...bySecret].flatMap(([secretName, r]) =>
      r.policy?.kind === 'policy' && r.policy.broad.length > 0 ? [{ secretName, principals: r.policy.broad }] : [],
    ),
    calls: forecast.calls(),
    holdRetry: (name) => {
      const assessment = bySecret.get(name)?.assessment;
      return assessment !== undefined && holdsRetry(assessment);
    },
  };
}
