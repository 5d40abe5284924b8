/**
 * The sweep's hook into the readiness forecast (issue 16): one SweepForecast per full sweep, so
 * the secrets sharing a target share its reads; for each secret, the findings and evaluated checks
 * its decision observes. A forecast that cannot run is logged and observed as nothing: the
 * sweep's own checks never wait on another product's API.
 */
import { isOpen } from '../domain/episode';
import type { SecretObservation } from '../domain/secret-decision';
import { createSweepForecast, readinessObservation, type SweepForecast } from '../readiness/sweep-forecast';
import type { CoreDeps } from './deps';
import type { SecretRead } from './episode-store';

/** Counts for the sweep's result (the per-secret view is forecastSweep's, for the report). */
export interface SweepReadinessSummary {
  /** Secrets whose rotation preconditions were read this sweep. */
  checked: number;
  atRisk: number;
  /** Secrets with a precondition that could not be read (denied, throttled): "not checked". */
  notChecked: number;
  broadPolicies: number;
  calls: number;
}

export interface SweepReadiness {
  observe(read: SecretRead, now: number): Promise<SecretObservation[]>;
  summary(): SweepReadinessSummary;
}

export function startSweepReadiness(deps: CoreDeps, now: number): SweepReadiness | undefined {
  if (!deps.targets) return undefined;
  const forecast: SweepForecast = createSweepForecast({ reads: deps.targets, config: deps.config, now });
  const counts = { checked: 0, atRisk: 0, notChecked: 0, broadPolicies: 0 };
  return {
    async observe(read) {
      const open = (checkId: string) => read.state.episodes.some((e) => e.checkId === checkId && isOpen(e));
      const failing = open('rotation-failed');
      try {
        const readiness = await forecast.forSecret(read.description, failing);
        let observed = readinessObservation(read.secretName, readiness);
        // A rotation that already failed has paged with its error code: the forecast then holds its
        // retry (remediate.ts) but opens no second alert for the same cause. One already open stays.
        if (failing && !open('rotation-at-risk'))
          observed = { ...observed, findings: observed.findings.filter((f) => f.checkId !== 'rotation-at-risk') };
        if (readiness.assessment) {
          counts.checked += 1;
          if (readiness.assessment.findings.length > 0) counts.atRisk += 1;
          if (readiness.assessment.notChecked.length > 0) counts.notChecked += 1;
        }
        if (observed.findings.some((f) => f.checkId === 'secret-policy-broad')) counts.broadPolicies += 1;
        return [{ kind: 'readiness', ...observed }];
      } catch (error) {
        deps.logger.warn('readiness not forecast this sweep', { secretName: read.secretName, error });
        return [];
      }
    },
    summary: () => ({ ...counts, calls: forecast.calls() }),
  };
}
