/**
 * Function Compute 3.0: functions registered in-process, invoked sync or async (through the wire
 * form or directly), and timer triggers driven by the simulated clock.
 */
import type { FaultRegistry } from '../../faults';
import { ApiError, type SimClock } from '../../types';
import type { AuthStore, FunctionService, LocalFunction } from '../contracts';
import { invokeReply, parseInvokeRequest } from './http';
import { createInvoker, DUPLICATE_TASK_CODE, THROTTLED_CODE } from './invoker';
import { parseTimerExpression, timerEvent, type TimerSpec } from './timers';

export { parseTimerExpression, timerEvent, TimerExpressionError } from './timers';
export {
  DUPLICATE_TASK_CODE,
  MAX_ASYNC_DELAY_SECONDS,
  DEFAULT_MAX_ASYNC_RETRIES,
  retryDelayMs,
  THROTTLED_CODE,
  THROTTLED_RETRY_WINDOW_MS,
  throttledRetryDelayMs,
} from './invoker';
export { encodeResult } from './run-handler';

export interface FunctionComputeDeps {
  clock: SimClock;
  faults: FaultRegistry;
  random: () => number;
  auth: AuthStore;
  accountId: string;
  regionId: string;
  /** Default true: a function's reserved concurrency caps its invocations running at once (CONFORMANCE.md). */
  reservedConcurrency?: boolean;
}

export function createFunctionCompute(deps: FunctionComputeDeps): FunctionService {
  const registry = new Map<string, LocalFunction>();
  const timers = new Map<string, { spec: TimerSpec; handle?: number }>();
  const invoker = createInvoker({ ...deps, lookup: (name) => registry.get(name) });

  function scheduleTimer(key: string, after: number, next: (t: number) => number | undefined): void {
    const entry = timers.get(key);
    const at = next(after);
    if (!entry || at === undefined) return;
    entry.handle = deps.clock.schedule(
      at,
      () => {
        if (timers.get(key) !== entry) return; // replaced or removed since
        const spec = entry.spec;
        // A timer whose function is gone keeps ticking, like a trigger left behind; the firing is lost.
        if (registry.has(spec.functionName)) invoker.invokeAsync(spec.functionName, timerEvent(spec, at));
        scheduleTimer(key, at, next);
      },
      `fc:timer:${entry.spec.functionName}/${entry.spec.triggerName}`,
    );
  }

  return {
    product: 'fc',
    version: '2023-03-30',
    writeActions: new Set<string>(),

    async handle(req) {
      const parsed = parseInvokeRequest(req);
      if (!parsed.async) {
        const reply = await invoker.invokeSync(parsed.functionName, parsed.body);
        if (reply.status === 429)
          throw new ApiError(429, THROTTLED_CODE, reply.error ?? 'reserved concurrency reached', {
            'x-fc-request-id': reply.requestId,
          });
        return invokeReply(reply, false);
      }
      const result = invoker.invokeAsync(parsed.functionName, parsed.body, parsed);
      if (result.status === 409)
        throw new ApiError(409, DUPLICATE_TASK_CODE, result.error ?? 'duplicate async task id', {
          'x-fc-request-id': result.requestId,
        });
      return invokeReply(result, true);
    },

    register(fn: LocalFunction): void {
      if (!/^[A-Za-z_][A-Za-z0-9_-]{0,127}$/.test(fn.name)) throw new Error(`invalid FC function name "${fn.name}"`);
      if (!(fn.timeoutSeconds > 0)) throw new Error(`function "${fn.name}": timeoutSeconds must be positive`);
      registry.set(fn.name, fn);
    },

    functions: () => [...registry.keys()],

    async invoke(functionName, body, options = {}) {
      if (!options.async) {
        const r = await invoker.invokeSync(functionName, body);
        const error = r.status === 429 ? `${THROTTLED_CODE}: ${r.error}` : r.error;
        return { status: r.status, requestId: r.requestId, result: r.result, error };
      }
      const r = invoker.invokeAsync(functionName, body, options);
      return { status: r.status, requestId: r.requestId, error: r.error };
    },

    addTimer(spec): void {
      const key = `${spec.functionName}/${spec.triggerName}`;
      const previous = timers.get(key);
      if (previous?.handle !== undefined) deps.clock.cancel(previous.handle);
      const next = parseTimerExpression(spec.cronExpression, deps.clock.now());
      timers.set(key, { spec: { ...spec } });
      if (spec.enable !== false) scheduleTimer(key, deps.clock.now(), next);
    },

    invocations: () => invoker.records(),
  };
}
