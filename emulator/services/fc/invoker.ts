/**
 * Sync and async invocation (alibaba-cloud-apis.md §6.3). Async invocations are queued on the
 * simulated clock: delay 0..3600 s, de-duplication by task id (409, as the task-deduplication guide
 * says; only for functions with asyncTask on, like the real service), retries of function errors
 * up to maxAsyncRetryAttempts with 1 s, 2 s, 4 s... between them, then the onFailure destination.
 * A function's reserved concurrency caps the invocations running at once (CONFORMANCE.md): a sync
 * one beyond it is refused with 429, an async one goes back in the queue and is retried.
 */
import { randomUUID } from 'node:crypto';
import type { FaultRegistry } from '../../faults';
import { ApiError, type SimClock } from '../../types';
import type { InvocationRecord, LocalFunction } from '../contracts';
import { contextFor, functionArn, runHandler, type RunOutcome, type RunSite } from './run-handler';

export const MAX_ASYNC_DELAY_SECONDS = 3600;
export const DEFAULT_MAX_ASYNC_RETRIES = 3;
const TASK_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
/** UNCONFIRMED: the guide documents status 409 for a repeated task id, not the code. */
export const DUPLICATE_TASK_CODE = 'AsyncTaskAlreadyExists';
/**
 * UNCONFIRMED: FC's error-handling guide names the case ("concurrency limit exceeded"), not the
 * code; a 429 `ResourceThrottled` is what @alicloud/fc2 maps to FCResourceThrottledError (serverless-devs.md §2).
 */
export const THROTTLED_CODE = 'ResourceThrottled';
/** An async invocation over the limit is retried for up to 5 hours, 0.5 s, 1, 2, 4, 8 s... apart, unbilled (§6.3). */
export const THROTTLED_RETRY_WINDOW_MS = 5 * 3_600_000;

export function throttledRetryDelayMs(retry: number): number {
  return 500 * 2 ** (retry - 1);
}

export interface InvokeResult {
  status: number;
  requestId: string;
  result?: unknown;
  error?: string;
  errorType?: string;
}

export interface InvokerDeps extends RunSite {
  clock: SimClock;
  faults: FaultRegistry;
  lookup: (name: string) => LocalFunction | undefined;
  /** Default true; false runs every invocation at once, whatever the function's reserved concurrency. */
  reservedConcurrency?: boolean;
}

/** A queued async invocation that found its function at its reserved concurrency. */
interface Throttled {
  retries: number;
  since: number;
}

export function retryDelayMs(retry: number): number {
  return 1000 * 2 ** (retry - 1);
}

export function createInvoker(deps: InvokerDeps) {
  const records: InvocationRecord[] = [];
  const taskIds = new Map<string, Set<string>>();
  const running = new Map<string, number>();

  function atLimit(f: LocalFunction): boolean {
    if (deps.reservedConcurrency === false || f.reservedConcurrency === undefined) return false;
    return (running.get(f.name) ?? 0) >= f.reservedConcurrency;
  }

  function throttledRecord(f: LocalFunction, requestId: string, async: boolean, n: number, taskId?: string): void {
    const now = deps.clock.now();
    records.push({
      functionName: f.name,
      requestId,
      async,
      attempt: n,
      startedAt: now,
      endedAt: now,
      outcome: 'throttled',
      error: `${THROTTLED_CODE}: reserved concurrency ${f.reservedConcurrency} of function '${f.name}' reached`,
      ...(taskId ? { taskId } : {}),
    });
  }

  function fn(name: string): LocalFunction {
    const found = deps.lookup(name);
    if (!found) throw new ApiError(404, 'FunctionNotFound', `function '${name}' does not exist`);
    return found;
  }

  /** A role FC may not assume (its trust policy) fails the attempt like a handler error would. */
  async function runInContext(f: LocalFunction, body: Buffer, requestId: string): Promise<RunOutcome> {
    let context: ReturnType<typeof contextFor>;
    try {
      context = contextFor(f, requestId, deps);
    } catch (error) {
      return {
        kind: 'error',
        errorType: 'AssumeRoleFailed',
        errorMessage: error instanceof Error ? error.message : String(error),
      };
    }
    return runHandler(f, body, context);
  }

  async function attempt(
    f: LocalFunction,
    body: Buffer,
    requestId: string,
    n: number,
    async: boolean,
    taskId?: string,
  ): Promise<RunOutcome> {
    const record: InvocationRecord = {
      functionName: f.name,
      requestId,
      async,
      attempt: n,
      startedAt: deps.clock.now(),
      outcome: 'pending',
    };
    if (taskId) record.taskId = taskId;
    records.push(record);
    const crash = deps.faults.take('FunctionCrash', { functionName: f.name, product: 'fc' });
    running.set(f.name, (running.get(f.name) ?? 0) + 1);
    let outcome: RunOutcome;
    try {
      outcome = crash
        ? {
            kind: 'error',
            errorType: 'FunctionCrash',
            errorMessage: crash.ErrorMessage ?? 'the function instance crashed before the handler ran',
          }
        : await runInContext(f, body, requestId);
    } finally {
      running.set(f.name, (running.get(f.name) ?? 1) - 1);
    }
    record.endedAt = deps.clock.now();
    if (outcome.kind === 'ok') record.outcome = 'ok';
    else {
      record.outcome = outcome.errorType === 'FunctionTimeoutError' ? 'timeout' : 'error';
      record.error = `${outcome.errorType}: ${outcome.errorMessage}`;
    }
    return outcome;
  }

  function destinationPayload(
    f: LocalFunction,
    body: Buffer,
    requestId: string,
    invokeCount: number,
    outcome: RunOutcome,
    condition?: string,
  ): Buffer {
    const failed = outcome.kind === 'error';
    return Buffer.from(
      JSON.stringify({
        timestamp: new Date(deps.clock.now()).toISOString(),
        requestContext: {
          requestId,
          functionArn: functionArn(deps, f.name),
          condition: condition ?? (failed ? 'RetriesExhausted' : 'Success'),
          approximateInvokeCount: invokeCount,
        },
        requestPayload: body.toString('utf8'),
        responseContext: { statusCode: 200, functionError: failed ? 'UnhandledInvocationError' : '' },
        responsePayload: failed
          ? JSON.stringify({ errorMessage: outcome.errorMessage, errorType: outcome.errorType })
          : JSON.stringify(outcome.result ?? null),
      }),
    );
  }

  /** An event older than maxAsyncEventAgeInSeconds is discarded without running; onFailure still hears of it. */
  function expire(f: LocalFunction, body: Buffer, requestId: string, n: number, taskId?: string): void {
    const now = deps.clock.now();
    const record: InvocationRecord = {
      functionName: f.name,
      requestId,
      async: true,
      attempt: n,
      startedAt: now,
      endedAt: now,
      outcome: 'error',
      error: 'MaxAsyncEventAgeExceeded: the event expired before it could run',
    };
    if (taskId) record.taskId = taskId;
    records.push(record);
    const destination = f.asyncConfig?.onFailure;
    const outcome: RunOutcome = {
      kind: 'error',
      errorType: 'MaxAsyncEventAgeExceeded',
      errorMessage: 'the event expired before it could run',
    };
    if (destination)
      enqueue(fn(destination), destinationPayload(f, body, requestId, n - 1, outcome, 'MaxEventAgeExceeded'), 0);
  }

  function scheduleAttempt(
    at: number,
    f: LocalFunction,
    body: Buffer,
    requestId: string,
    n: number,
    submittedAt: number,
    taskId?: string,
    throttled?: Throttled,
  ): void {
    deps.clock.schedule(
      at,
      async () => {
        const maxAge = f.asyncConfig?.maxAsyncEventAgeInSeconds;
        if (maxAge !== undefined && deps.clock.now() - submittedAt > maxAge * 1000) {
          expire(f, body, requestId, n, taskId);
          return;
        }
        if (atLimit(f)) {
          throttledRecord(f, requestId, true, n, taskId);
          const since = throttled?.since ?? deps.clock.now();
          if (deps.clock.now() - since >= THROTTLED_RETRY_WINDOW_MS) {
            expire(f, body, requestId, n, taskId);
            return;
          }
          const retries = (throttled?.retries ?? 0) + 1;
          const next = deps.clock.now() + throttledRetryDelayMs(retries);
          scheduleAttempt(next, f, body, requestId, n, submittedAt, taskId, { retries, since });
          return;
        }
        const outcome = await attempt(f, body, requestId, n, true, taskId);
        const maxRetries = f.asyncConfig?.maxAsyncRetryAttempts ?? DEFAULT_MAX_ASYNC_RETRIES;
        if (outcome.kind === 'error' && n <= maxRetries) {
          scheduleAttempt(deps.clock.now() + retryDelayMs(n), f, body, requestId, n + 1, submittedAt, taskId);
          return;
        }
        const destination = outcome.kind === 'error' ? f.asyncConfig?.onFailure : f.asyncConfig?.onSuccess;
        if (destination) enqueue(fn(destination), destinationPayload(f, body, requestId, n, outcome), 0);
      },
      `fc:async:${f.name}#${n}`,
    );
  }

  function enqueue(f: LocalFunction, body: Buffer, delaySeconds: number, taskId?: string): InvokeResult {
    const requestId = randomUUID();
    if (taskId !== undefined && f.asyncConfig?.asyncTask) {
      const seen = taskIds.get(f.name) ?? new Set<string>();
      taskIds.set(f.name, seen);
      if (seen.has(taskId)) {
        records.push({
          functionName: f.name,
          requestId,
          async: true,
          taskId,
          attempt: 0,
          startedAt: deps.clock.now(),
          endedAt: deps.clock.now(),
          outcome: 'deduplicated',
        });
        return {
          status: 409,
          requestId,
          error: `${DUPLICATE_TASK_CODE}: the async task '${taskId}' of function '${f.name}' was already submitted`,
        };
      }
      seen.add(taskId);
    }
    const submittedAt = deps.clock.now();
    scheduleAttempt(submittedAt + delaySeconds * 1000, f, body, requestId, 1, submittedAt, taskId);
    return { status: 202, requestId };
  }

  return {
    records: () => records,

    async invokeSync(name: string, body: Buffer): Promise<InvokeResult> {
      const f = fn(name);
      const requestId = randomUUID();
      // FC never retries a sync invocation: the caller hears 429 and decides (§6.3).
      if (atLimit(f)) {
        throttledRecord(f, requestId, false, 1);
        return {
          status: 429,
          requestId,
          error: `reserved concurrency ${f.reservedConcurrency} of function '${f.name}' reached; try again later`,
          errorType: THROTTLED_CODE,
        };
      }
      const outcome = await attempt(f, body, requestId, 1, false);
      return outcome.kind === 'ok'
        ? { status: 200, requestId, result: outcome.result }
        : { status: 200, requestId, error: outcome.errorMessage, errorType: outcome.errorType };
    },

    invokeAsync(name: string, body: Buffer, options: { delaySeconds?: number; taskId?: string } = {}): InvokeResult {
      const f = fn(name);
      const delay = options.delaySeconds ?? 0;
      if (!Number.isInteger(delay) || delay < 0 || delay > MAX_ASYNC_DELAY_SECONDS) {
        throw new ApiError(
          400,
          'InvalidArgument',
          `x-fc-async-delay must be an integer from 0 to ${MAX_ASYNC_DELAY_SECONDS} seconds, got ${options.delaySeconds}`,
        );
      }
      if (options.taskId !== undefined && !TASK_ID.test(options.taskId)) {
        throw new ApiError(
          400,
          'InvalidArgument',
          'x-fc-async-task-id must start with a letter or "_" and hold at most 128 letters, digits, "_" or "-"',
        );
      }
      return enqueue(f, body, delay, options.taskId);
    },
  };
}
