/**
 * FC timer triggers (alibaba-cloud-apis.md §6.2; https://help.aliyun.com/document_detail/2513615.html):
 * six-field cron with seconds first, UTC unless prefixed `CRON_TZ=<Zone> `, or `@every 10m`.
 * Whether FC invokes timers sync or async is UNCONFIRMED: the emulator invokes them async, so a
 * failing sweep gets FC's async retries and on-failure destination.
 */
import { Cron } from 'croner';
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

const EVERY = /^@every\s+(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

export class TimerExpressionError extends Error {
  override readonly name = 'TimerExpressionError';
}

export function parseTimerExpression(expression: string, createdAt: number): NextFiring {
  const text = expression.trim();
  const every = EVERY.exec(text);
  if (every && (every[1] || every[2] || every[3])) {
    const ms = (Number(every[1] ?? 0) * 3600 + Number(every[2] ?? 0) * 60 + Number(every[3] ?? 0)) * 1000;
    if (ms < 60_000) throw new TimerExpressionError(`"${expression}": @every needs at least 1m`);
    // Interval timers count from when the trigger was created.
    return (after) => createdAt + (Math.floor((after - createdAt) / ms) + 1) * ms;
  }
  let timezone = 'Etc/UTC';
  let fields = text;
  const tz = /^CRON_TZ=(\S+)\s+(.*)$/.exec(text);
  if (tz) {
    timezone = tz[1] as string;
    fields = (tz[2] as string).trim();
    try {
      new Intl.DateTimeFormat('en', { timeZone: timezone });
    } catch {
      throw new TimerExpressionError(`"${expression}": unknown time zone "${timezone}"`);
    }
  }
  if (fields.split(/\s+/).length !== 6) {
    throw new TimerExpressionError(`"${expression}": FC cron has six fields (seconds minutes hours day-of-month month day-of-week), e.g. "0 0 4 * * *"`);
  }
  let cron: Cron;
  try {
    cron = new Cron(fields, { timezone, paused: true, legacyMode: true });
  } catch (error) {
    throw new TimerExpressionError(`"${expression}": ${error instanceof Error ? error.message : String(error)}`);
  }
  return (after) => cron.nextRun(new Date(after))?.getTime();
}

/** The event FC sends a timer-triggered function; `payload` is the configured string as is. */
export function timerEvent(spec: TimerSpec, at: number): Buffer {
  return Buffer.from(JSON.stringify({ triggerTime: formatUtcSeconds(at), triggerName: spec.triggerName, payload: spec.payload ?? '' }));
}
