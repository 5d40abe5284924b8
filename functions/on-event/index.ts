/**
 * EventBridge trigger: KMS rotation results and KMS write API calls, one CloudEvent or a batch.
 * Also the on-failure destination of remediate and sweep (FC's destination payload).
 * `preStop` is its PreStop hook (s.yaml instanceLifecycleConfig.preStop: index.preStop): the metrics
 * the instance still holds go out before FC destroys it.
 */
import { defaultWiring } from '../../shared/fc/default-wiring';
import { handleFailedInvocation } from '../../shared/core/destination';
import { parseDestination } from '../../shared/fc/destination-payload';
import { createFunctionHandler, type Wiring } from '../../shared/fc/handler-kit';
import { handleEvents, publishInstanceMetrics } from '../../shared/core/on-event';
import { parseEvents } from '../../shared/events/parse-event';
import type { HandlerFactory, HandlerRuntime } from '../../shared/ports/runtime';

const DEFAULT_TIMEOUT_SECONDS = 60;
/** Start no new secret this close to the timeout: the flush request and the metrics still fit. */
const ON_EVENT_SAFETY_MARGIN_MS = 10_000;

export function createOnEventHandler(runtime: HandlerRuntime, wiring: () => Promise<Wiring> = defaultWiring) {
  return createFunctionHandler(
    'on-event',
    runtime,
    wiring,
    async (deps, event, context) => {
      const failure = parseDestination(event);
      if (failure) return handleFailedInvocation(deps, failure);
      const timeoutMs = (context.function?.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
      return handleEvents(
        deps,
        parseEvents(event, {
          accountId: deps.config.accountId ?? context.accountId,
          regionId: deps.config.regionId,
          now: deps.clock.now(),
        }),
        { deadline: deps.clock.now() + timeoutMs - ON_EVENT_SAFETY_MARGIN_MS },
      );
    },
    { preStop: (deps) => publishInstanceMetrics(deps) },
  );
}

export const createHandler: HandlerFactory = (runtime) => createOnEventHandler(runtime);
export const handler = createHandler({ env: process.env });
/** FC calls it once per instance, before destroying it; it shares the handler's instance state. */
export const preStop = handler.preStop;
