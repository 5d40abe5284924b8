/** Timer-triggered full sweep; also the storm-window flush and sweep continuations (FC async invoke). */
import { defaultWiring } from '../../shared/fc/default-wiring';
import { createFunctionHandler, type Wiring } from '../../shared/fc/handler-kit';
import { parseSweepPayload } from '../../shared/fc/payloads';
import { runSweep } from '../../shared/core/sweep';
import type { HandlerFactory, HandlerRuntime } from '../../shared/ports/runtime';

const DEFAULT_TIMEOUT_SECONDS = 600;
/** Stop this long before the function's timeout: commit what is done, and the next sweep continues. */
const SWEEP_SAFETY_MARGIN_MS = 20_000;

export function createSweepHandler(runtime: HandlerRuntime, wiring: () => Promise<Wiring> = defaultWiring) {
  return createFunctionHandler('sweep', runtime, wiring, (deps, event, context) => {
    const timeoutMs = (context.function?.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
    const deadline = deps.clock.now() + timeoutMs - SWEEP_SAFETY_MARGIN_MS;
    return runSweep(deps, parseSweepPayload(event), deadline);
  });
}

export const createHandler: HandlerFactory = (runtime) => createSweepHandler(runtime);
export const handler = createHandler({ env: process.env });
