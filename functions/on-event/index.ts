/**
 * EventBridge trigger: KMS rotation results and KMS write API calls, one CloudEvent or a batch.
 * Also the on-failure destination of remediate and sweep (FC's destination payload).
 */
import { defaultWiring } from '../../shared/fc/default-wiring';
import { handleFailedInvocation } from '../../shared/core/destination';
import { parseDestination } from '../../shared/fc/destination-payload';
import { createFunctionHandler, type Wiring } from '../../shared/fc/handler-kit';
import { handleEvents } from '../../shared/core/on-event';
import { parseEvents } from '../../shared/events/parse-event';
import type { HandlerFactory, HandlerRuntime } from '../../shared/ports/runtime';

export function createOnEventHandler(runtime: HandlerRuntime, wiring: () => Promise<Wiring> = defaultWiring) {
  return createFunctionHandler('on-event', runtime, wiring, async (deps, event, context) => {
    const failure = parseDestination(event);
    if (failure) return handleFailedInvocation(deps, failure);
    return handleEvents(
      deps,
      parseEvents(event, {
        accountId: deps.config.accountId ?? context.accountId,
        regionId: deps.config.regionId,
        now: deps.clock.now(),
      }),
    );
  });
}

export const createHandler: HandlerFactory = (runtime) => createOnEventHandler(runtime);
export const handler = createHandler({ env: process.env });
