/**
 * FC asynchronous invocations: remediation attempts, their verification, the storm-window flush
 * and sweep continuations. Task ids are derived from what is scheduled, so FC de-duplicates a
 * repeat (x-fc-async-task-id); delays are capped at FC's 3600 s and longer waits are chained.
 */
import { CloudError } from '../errors';
import { InstanceMemory } from '../instance-memory';
import { ALERT_STORM_WINDOW_SECONDS } from '../domain/alerts';
import { taskIdFor, toBase36Seconds } from '../domain/ids';
import type { RemediationIntent } from '../domain/reconcile';
import type { Counters, CoreDeps } from './deps';

export const MAX_ASYNC_DELAY_SECONDS = 3600;

export interface RemediatePayload {
  secretName: string;
  episodeId: string;
  attempt: number;
  phase: 'rotate' | 'verify';
  /** Not before this time (epoch ms): an early arrival re-schedules itself (chained delays). */
  notBefore?: number;
}

export interface SweepPayload {
  mode: 'full' | 'flush';
  /** Page to continue from, left by a sweep that ran out of time. */
  cursor?: { page: number; sweepId: string; retries?: number };
}

/** FC refuses a task id it has seen: for us that means "already scheduled". */
function isDuplicateTask(error: unknown): boolean {
  return (
    error instanceof CloudError &&
    (error.httpStatus === 409 || /TaskId|AlreadyExist|Duplicate|Conflict/i.test(error.code))
  );
}

async function invoke(
  deps: CoreDeps,
  functionName: string,
  payload: unknown,
  delayMs: number,
  taskId: string,
): Promise<boolean> {
  const delaySeconds = Math.min(MAX_ASYNC_DELAY_SECONDS, Math.max(0, Math.ceil(delayMs / 1000)));
  if (deps.config.dryRun) {
    deps.logger.info('dry run: async invocation not sent', { functionName, taskId, delaySeconds });
    return false;
  }
  try {
    await deps.clients.invoker.invokeAsync({ functionName, payload, delaySeconds, taskId });
    return true;
  } catch (error) {
    if (isDuplicateTask(error)) return false;
    throw error;
  }
}

/** How long past due a remediation step must be before it is taken as lost and re-issued. */
export const REISSUE_AFTER_MS = 5 * 60_000;
const HOUR_MS = 3_600_000;

export async function scheduleRemediation(
  deps: CoreDeps,
  counters: Counters,
  intent: RemediationIntent,
  chainedAt?: number,
): Promise<void> {
  const now = deps.clock.now();
  const payload: RemediatePayload = {
    secretName: intent.secretName,
    episodeId: intent.episodeId,
    attempt: intent.attempt,
    phase: intent.phase,
    notBefore: intent.at,
  };
  const parts: Array<string | number> = [
    'kro',
    intent.episodeId,
    `a${intent.attempt}`,
    intent.phase,
    toBase36Seconds(intent.at),
  ];
  if (chainedAt !== undefined) parts.push(`c${toBase36Seconds(chainedAt)}`);
  // A verification long past due was scheduled before and its result never reached the tag (a
  // throttled write, a crash): FC refuses a task id it has seen, so it would never run again and the
  // episode would be neither retried nor escalated. Its re-issue names the hour (at most one an
  // hour). Only a verification: it reads and decides, while a re-issued rotate step could call
  // RotateSecret on a state that no longer asks for it.
  else if (intent.phase === 'verify' && now - intent.at > REISSUE_AFTER_MS)
    parts.push(`r${toBase36Seconds(Math.floor(now / HOUR_MS) * HOUR_MS)}`);
  if (await invoke(deps, deps.config.functions.remediate, payload, intent.at - now, taskIdFor(...parts)))
    counters.remediationsScheduled += 1;
}

/**
 * One flush per storm window: the task id names the window, so FC keeps only the first request
 * (409 to every later one: alibaba-cloud-apis.md §6.3, emulator/CONFORMANCE.md). Returns whether
 * this request was that first one (the window's lock, core/leading-edge.ts) or found it taken.
 * @throws when FC could not be asked (unreachable, function missing): the caller fails open
 */
export async function requestFlush(deps: CoreDeps): Promise<'first' | 'taken'> {
  const now = deps.clock.now();
  const windowMs = ALERT_STORM_WINDOW_SECONDS * 1000;
  const windowStart = windowMs > 0 ? Math.floor(now / windowMs) * windowMs : now;
  // This instance already saw the window's flush scheduled (its own request, or FC's 409): FC
  // would answer 409 again, so it is not asked (issue 15: one request per window, not per event).
  if (scheduledFlushes.of(deps.config).has(windowStart)) return 'taken';
  const payload: SweepPayload = { mode: 'flush' };
  const taskId = taskIdFor('flush', toBase36Seconds(windowStart));
  const accepted = await invoke(deps, deps.config.functions.sweep, payload, windowMs, taskId);
  // A dry run asks FC for nothing: it acts as the window's first, so its log says what would be sent.
  if (deps.config.dryRun) return 'first';
  rememberFlush(deps.config, windowStart);
  return accepted ? 'first' : 'taken';
}

/**
 * The flush windows this instance knows to be scheduled, per configuration (parsed once per warm
 * instance, handler-kit.ts), so separate deployments in one process never share them.
 */
const scheduledFlushes = new InstanceMemory(() => new Set<number>());
/** Windows remembered at most: older ones are over long before (a window is 60 s). */
const REMEMBERED_FLUSH_WINDOWS = 8;

function rememberFlush(config: object, windowStart: number): void {
  const known = scheduledFlushes.of(config);
  known.add(windowStart);
  if (known.size > REMEMBERED_FLUSH_WINDOWS) known.delete(Math.min(...known));
}

export async function continueSweep(
  deps: CoreDeps,
  mode: SweepPayload['mode'],
  cursor: NonNullable<SweepPayload['cursor']>,
  delayMs: number,
): Promise<void> {
  const payload: SweepPayload = { mode, cursor };
  await invoke(
    deps,
    deps.config.functions.sweep,
    payload,
    delayMs,
    taskIdFor(mode === 'full' ? 'sweep' : 'flush', cursor.sweepId, `p${cursor.page}`, `r${cursor.retries ?? 0}`),
  );
}
