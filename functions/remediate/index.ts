/** FC async invocation: one remediation step {secretName, episodeId, attempt, phase}. */
import { defaultWiring } from '../../shared/fc/default-wiring';
import { createFunctionHandler, type Wiring } from '../../shared/fc/handler-kit';
import { parseRemediatePayload } from '../../shared/fc/payloads';
import { runRemediation } from '../../shared/core/remediate';
import type { HandlerFactory, HandlerRuntime } from '../../shared/ports/runtime';

export function createRemediateHandler(runtime: HandlerRuntime, wiring: () => Promise<Wiring> = defaultWiring) {
  return createFunctionHandler('remediate', runtime, wiring, async (deps, event) => {
    const payload = parseRemediatePayload(event);
    if ('error' in payload) {
      // A retry cannot fix a bad payload: log it and succeed, so FC does not retry it.
      deps.logger.error('remediation payload refused', { reason: payload.error });
      return { outcome: 'invalid', detail: payload.error };
    }
    return runRemediation(deps, payload);
  });
}

export const createHandler: HandlerFactory = (runtime) => createRemediateHandler(runtime);
export const handler = createHandler({ env: process.env });
