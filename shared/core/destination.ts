/**
 * Function Compute's async destination (alibaba-cloud-apis.md §6.3): when an async invocation of
 * remediate or sweep exhausts its retries, FC invokes on-event with {timestamp, requestContext:
 * {requestId, functionArn, condition, approximateInvokeCount}, requestPayload, responseContext,
 * responsePayload}. A remediation FC gave up on is escalated: nothing else would retry it, and a
 * human must read the function's logs. A failed sweep or flush only needs a clear log line: the
 * next timer run repeats its work, and undelivered alerts stay pending on the state tags.
 */
import { scrubMessage } from '../domain/alerts';
import { escalate, isOpen } from '../domain/episode';
import { metric } from '../domain/metrics';
import { alertSecretOf } from './assess';
import { newCounters, type CoreDeps } from './deps';
import { jsonBody } from './handler-kit';
import { publishMetrics } from './metrics-publish';
import { commitPass } from './pass';
import { parseRemediatePayload } from './payloads';
import { requestFlush } from './scheduling';
import { isNotFound, readSecret } from './secret-state';

/** The escalation's error code (retry-policy.ts has its runbook). */
export const REMEDIATION_FAILED = 'RemediationFailed';

export interface FailedInvocation {
  functionName: string;
  condition: string;
  invokeCount?: number;
  requestPayload: string;
  errorMessage?: string;
}

export interface DestinationSummary {
  destination: true;
  functionName: string;
  condition: string;
  outcome: 'escalated' | 'noop' | 'logged' | 'ignored';
  detail?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The destination payload, or undefined when the event is something else (EventBridge, a timer...). */
export function parseDestination(event: Buffer): FailedInvocation | undefined {
  const body = jsonBody(event);
  if (!isObject(body) || !isObject(body.requestContext) || 'type' in body) return undefined;
  const { condition, functionArn, approximateInvokeCount } = body.requestContext;
  if (typeof condition !== 'string' || typeof functionArn !== 'string') return undefined;
  const functionName = /functions\/([^/]+)/.exec(functionArn)?.[1] ?? functionArn;
  const requestPayload = typeof body.requestPayload === 'string' ? body.requestPayload : JSON.stringify(body.requestPayload ?? null);
  let errorMessage: string | undefined;
  const response = typeof body.responsePayload === 'string' ? jsonBody(Buffer.from(body.responsePayload)) : body.responsePayload;
  if (isObject(response) && typeof response.errorMessage === 'string') errorMessage = response.errorMessage;
  return { functionName, condition, invokeCount: typeof approximateInvokeCount === 'number' ? approximateInvokeCount : undefined, requestPayload, errorMessage };
}

export async function handleFailedInvocation(deps: CoreDeps, failure: FailedInvocation): Promise<DestinationSummary> {
  const base = { destination: true as const, functionName: failure.functionName, condition: failure.condition };
  if (failure.condition === 'Success') return { ...base, outcome: 'ignored' };
  const fields = { failedFunction: failure.functionName, condition: failure.condition, invokeCount: failure.invokeCount, error: scrubMessage(failure.errorMessage) };
  if (failure.functionName !== deps.config.functions.remediate) {
    deps.logger.error(`${failure.functionName} failed after Function Compute's async retries: the next timer run repeats its work`, fields);
    return { ...base, outcome: 'logged' };
  }
  const payload = parseRemediatePayload(Buffer.from(failure.requestPayload));
  if ('error' in payload) {
    deps.logger.error('remediation abandoned by Function Compute, with a payload that names no episode', { ...fields, reason: payload.error });
    return { ...base, outcome: 'logged', detail: payload.error };
  }
  let read;
  try {
    read = await readSecret(deps, payload.secretName);
  } catch (error) {
    if (isNotFound(error)) return { ...base, outcome: 'noop', detail: 'secret gone' };
    throw error;
  }
  const episode = read.state.episodes.find((e) => e.id === payload.episodeId);
  if (!episode || !isOpen(episode) || episode.status === 'escalated') return { ...base, outcome: 'noop', detail: episode ? `episode ${episode.status}` : 'episode gone' };

  const now = deps.clock.now();
  const message = scrubMessage(failure.errorMessage);
  const escalated = escalate({ ...episode, lastError: { code: REMEDIATION_FAILED, message } }, now);
  const state = { ...read.state, episodes: read.state.episodes.map((e) => (e.id === episode.id ? escalated : e)), ...(message ? { errorMessage: message } : {}) };
  const counters = newCounters();
  counters.escalations += 1;
  await commitPass(deps, counters, [{ secretName: payload.secretName, stored: read.stored, state, secret: alertSecretOf(read.description, deps.config), findings: [], remediations: [] }], { sendAlerts: false });
  await requestFlush(deps);
  deps.logger.error('remediation abandoned by Function Compute: episode escalated', { ...fields, secretName: payload.secretName, episodeId: episode.id, attempt: payload.attempt, phase: payload.phase });
  await publishMetrics(deps, [metric('kro_escalations', 1, now, { function: deps.functionName })]);
  return { ...base, outcome: 'escalated', detail: `${payload.secretName} episode ${episode.id}` };
}
