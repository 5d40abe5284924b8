/**
 * EventBridge trigger: KMS rotation results and KMS write API calls, one CloudEvent or a batch.
 * Also the on-failure destination of remediate and sweep (FC's destination payload).
 */
import { defaultWiring } from '../../shared/core/default-wiring';
import { handleFailedInvocation, parseDestination } from '../../shared/core/destination';
import { createFunctionHandler, type Wiring } from '../../shared/core/handler-kit';
import { handleEvents } from '../../shared/core/on-event';
import { parseEvents } from '../../shared/events/parse-event';
import type { HandlerFactory, HandlerRuntime } from '../../shared/ports/runtime';

export function createOnEventHandler(runtime: HandlerRuntime, wiring: () => Promise<Wiring> = defaultWiring) {
  return createFunctionHandler('on-event', runtime, wiring, async (deps, event, context) => {
    const failure = parseDestination(event);
    if (failure) return handleFailedInvocation(deps, failure);
    return handleEvents(deps, parseEvents(event, { accountId: deps.config.accountId ?? context.accountId }));
  });
}

export const createHandler: HandlerFactory = (runtime) => createOnEventHandler(runtime);
export const handler = createHandler({ env: process.env });
