/**
 * The sweep's period, derived from the FC timer expression that starts it (s.yaml's one
 * KRO_SWEEP_CRON feeds both the trigger and the functions' environment, so they cannot disagree).
 * FC timers (alibaba-cloud-apis.md §6.2; https://help.aliyun.com/document_detail/2513615.html):
 * six-field cron with seconds first, UTC unless prefixed `CRON_TZ=<Zone> `, or `@every 10m`.
 */
import { Cron } from 'croner';

const EVERY = /^@every\s+(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
/** Firings sampled to find the typical gap: enough to cross hour, day and month boundaries. */
const SAMPLED_FIRINGS = 64;
/** A fixed start, so the same expression always yields the same period (no wall clock in config). */
const SAMPLE_FROM = Date.parse('2026-01-05T00:00:00Z');

/** An FC timer expression, parsed: an interval, or cron fields with their time zone. */
export type FcTimerExpression =
  { kind: 'every'; seconds: number } | { kind: 'cron'; fields: string; timezone: string; cron: Cron };

/**
 * Parses an FC timer expression (the one reading the product and the emulator's timers share);
 * a string naming the problem when it is not one.
 */
export function parseFcTimer(expression: string): FcTimerExpression | string {
  const text = expression.trim();
  const every = EVERY.exec(text);
  if (every && (every[1] || every[2] || every[3])) {
    return {
      kind: 'every',
      seconds: Number(every[1] ?? 0) * 3600 + Number(every[2] ?? 0) * 60 + Number(every[3] ?? 0),
    };
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
      return `names an unknown time zone "${timezone}"`;
    }
  }
  if (fields.split(/\s+/).length !== 6)
    return 'is not an FC cron; expected six fields, seconds first (e.g. "0 */10 * * * *"), or @every 10m';
  try {
    return { kind: 'cron', fields, timezone, cron: new Cron(fields, { timezone, paused: true, legacyMode: true }) };
  } catch (error) {
    return `is not a valid cron: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * Periods already worked out, by expression: sampling the firings costs tens of milliseconds, and
 * every configuration load asks again for the same few expressions. Bounded for callers that try
 * many (a fuzzer); the answer depends on the expression alone (SAMPLE_FROM is fixed).
 */
const periods = new Map<string, number | string>();
const PERIODS_KEPT = 256;

/**
 * The typical gap in seconds between two firings (the median over a sample, so `*\/7` minutes is
 * 7 minutes despite the 4-minute gap at the hour); a string naming the problem when invalid.
 */
export function cronPeriodSeconds(expression: string): number | string {
  let period = periods.get(expression);
  if (period === undefined) {
    period = samplePeriod(expression);
    if (periods.size >= PERIODS_KEPT) periods.clear();
    periods.set(expression, period);
  }
  return period;
}

function samplePeriod(expression: string): number | string {
  const parsed = parseFcTimer(expression);
  if (typeof parsed === 'string') return parsed;
  if (parsed.kind === 'every') return parsed.seconds;
  const runs = parsed.cron.nextRuns(SAMPLED_FIRINGS + 1, new Date(SAMPLE_FROM));
  if (runs.length < 2) return 'never fires twice; expected a recurring schedule';
  const gaps = runs.slice(1).map((run, i) => (run.getTime() - (runs[i] as Date).getTime()) / 1000);
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] as number;
}
