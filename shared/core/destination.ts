/**
 * Function Compute's async destination (alibaba-cloud-apis.md §6.3; parsed in fc/destination-payload.ts):
 * when an async invocation of remediate or sweep exhausts its retries, FC invokes on-event. Every
 * such failure of one of our functions raises KmsOrchestratorDegraded (core/degraded.ts: once per
 * degradation, resolved by the next sweep that assesses every secret), since a function that keeps
 * failing is the orchestrator going blind. A remediation FC gave up on is also escalated on its
 * episode: nothing else would retry it.
 */
import { redactMessage } from '../domain/redact';
import { isOwnFunctionArn } from '../domain/corroboration';
import { isOpen } from '../domain/episode';
import { metric } from '../domain/metrics';
import { REMEDIATION_FAILED } from '../domain/secret-decision';
import { newCounters, type CoreDeps } from './deps';
import { publishMetrics } from './metrics-publish';
import { reportDegraded, type DegradedOpening } from './degraded';
import { reconcileSecret } from './reconcile-secret';
import { requestFlush, type RemediatePayload } from './scheduling';

export { REMEDIATION_FAILED };

/** A failed async invocation, as FC's destination reports it (parsed at the edge: fc/destination-payload.ts). */
export interface FailedInvocation {
  functionName: string;
  /** requestContext.functionArn: only the orchestrator's own functions are believed. */
  functionArn?: string;
  condition: string;
  invokeCount?: number;
  /** The failed invocation's payload, read as a remediation step (meaningful when remediate failed). */
  remediation: RemediatePayload | { error: string };
  errorMessage?: string;
}

export interface DestinationSummary {
  destination: true;
  functionName: string;
  condition: string;
  outcome: 'escalated' | 'noop' | 'logged' | 'ignored';
  detail?: string;
  /** What became of KmsOrchestratorDegraded for this failure. */
  degraded?: DegradedOpening;
}

export async function handleFailedInvocation(deps: CoreDeps, failure: FailedInvocation): Promise<DestinationSummary> {
  const base = { destination: true as const, functionName: failure.functionName, condition: failure.condition };
  if (failure.condition === 'Success') return { ...base, outcome: 'ignored' };
  // Anyone who can invoke on-event can send this shape: act only on our own functions' failures (issue 13).
  const own = isOwnFunctionArn(failure.functionArn ?? '', {
    regionId: deps.config.regionId,
    accountId: deps.config.accountId,
    names: Object.values(deps.config.functions),
  });
  if (!own.ok) {
    deps.logger.warn('destination payload refused: not from one of our functions', {
      functionArn: failure.functionArn,
      reason: own.reason,
    });
    return { ...base, outcome: 'ignored', detail: own.reason };
  }
  const fields = {
    failedFunction: failure.functionName,
    condition: failure.condition,
    invokeCount: failure.invokeCount,
    error: redactMessage(failure.errorMessage),
  };
  const degraded = await reportDegraded(deps, {
    kind: 'failed-invocation',
    functionName: failure.functionName,
    condition: failure.condition,
    errorMessage: failure.errorMessage,
  }).catch((error: unknown) => {
    // The escalation below must not wait on it; the next failure FC reports tries again.
    deps.logger.error('degraded alert not sent', { error });
    return undefined;
  });
  if (failure.functionName !== deps.config.functions.remediate) {
    deps.logger.error(
      `${failure.functionName} failed after Function Compute's async retries: the next timer run repeats its work`,
      fields,
    );
    return { ...base, outcome: 'logged', degraded };
  }
  const payload = failure.remediation;
  if ('error' in payload) {
    deps.logger.error('remediation abandoned by Function Compute, with a payload that names no episode', {
      ...fields,
      reason: payload.error,
    });
    return { ...base, outcome: 'logged', detail: payload.error, degraded };
  }
  const counters = newCounters();
  const reconciled = await reconcileSecret(
    deps,
    payload.secretName,
    [{ kind: 'remediation-abandoned', episodeId: payload.episodeId, errorMessage: failure.errorMessage }],
    counters,
  );
  if (!reconciled) return { ...base, outcome: 'noop', detail: 'secret gone', degraded };
  if (reconciled.decision.state.episodes.some((e) => e.alert && e.alert.delivery !== 'delivered'))
    await requestFlush(deps);
  const episode = reconciled.before.episodes.find((e) => e.id === payload.episodeId);
  if (!episode || !isOpen(episode) || episode.status === 'escalated')
    return { ...base, outcome: 'noop', detail: episode ? `episode ${episode.status}` : 'episode gone', degraded };
  const escalated = reconciled.decision.state.episodes.find(
    (e) => e.id === episode.id && e.status === 'escalated' && e.lastError?.code === REMEDIATION_FAILED,
  );
  if (!escalated) return { ...base, outcome: 'noop', detail: 'episode settled by the secret itself', degraded };

  const now = deps.clock.now();
  deps.logger.error('remediation abandoned by Function Compute: episode escalated', {
    ...fields,
    secretName: payload.secretName,
    episodeId: episode.id,
    attempt: payload.attempt,
    phase: payload.phase,
  });
  await publishMetrics(deps, [metric('kro_escalations', counters.escalations, now, { function: deps.functionName })]);
  return { ...base, outcome: 'escalated', detail: `${payload.secretName} episode ${episode.id}`, degraded };
}
