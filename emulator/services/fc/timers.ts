/**
 * FC timer triggers (alibaba-cloud-apis.md §6.2; https://help.aliyun.com/document_detail/2513615.html):
 * six-field cron with seconds first, UTC unless prefixed `CRON_TZ=<Zone> `, or `@every 10m`.
 * Whether FC invokes timers sync or async is UNCONFIRMED: the emulator invokes them async, so a
 * failing sweep gets FC's async retries and on-failure destination.
 */
import { parseFcTimer } from '../../../shared/cron-period';
import { formatUtcSeconds } from '../eventbridge/time-format';

export interface TimerSpec {
  functionName: string;
  triggerName: string;
  cronExpression: string;
  payload?: string;
  enable?: boolean;
}

/** Computes the firing after `afterMs` (strictly later). */
export type NextFiring = (afterMs: number) => number | undefined;

export class TimerExpressionError extends Error {
  override readonly name = 'TimerExpressionError';
}

export function parseTimerExpression(expression: string, createdAt: number): NextFiring {
  const parsed = parseFcTimer(expression);
  if (typeof parsed === 'string') throw new TimerExpressionError(`"${expression}" ${parsed}`);
  if (parsed.kind === 'every') {
    const ms = parsed.seconds * 1000;
    if (ms < 60_000) throw new TimerExpressionError(`"${expression}": @every needs at least 1m`);
    // Interval timers count from when the trigger was created.
    return (after) => createdAt + (Math.floor((after - createdAt) / ms) + 1) * ms;
  }
  return (after) => parsed.cron.nextRun(new Date(after))?.getTime();
}

/** The event FC sends a timer-triggered function; `payload` is the configured string as is. */
export function timerEvent(spec: TimerSpec, at: number): Buffer {
  return Buffer.from(
    JSON.stringify({ triggerTime: formatUtcSeconds(at), triggerName: spec.triggerName, payload: spec.payload ?? '' }),
  );
}
