/**
 * Times as an ops lead reads them: absolute UTC to the minute, plus an age relative to the
 * report's "now" (never the wall clock, so a demo report dated 2026-03-06 still reads right when
 * opened a year later).
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `2026-01-06 06:00 UTC` */
export function utc(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A span in the largest unit that keeps it short: `45 min`, `5 h`, `3.5 d`, `59 d`. */
export function span(ms: number): string {
  const a = Math.abs(ms);
  if (a < HOUR) return `${Math.max(1, Math.round(a / MINUTE))} min`;
  if (a < 2 * DAY) return `${Math.round((a / HOUR) * 10) / 10} h`;
  if (a < 10 * DAY) return `${Math.round((a / DAY) * 10) / 10} d`;
  return `${Math.round(a / DAY)} d`;
}

/** `59 d ago`, `in 3 d`, `now`. */
export function relative(at: number, now: number): string {
  const d = now - at;
  if (Math.abs(d) < MINUTE) return 'now';
  return d > 0 ? `${span(d)} ago` : `in ${span(d)}`;
}

/** `2026-01-06 06:00 UTC (59 d ago)` */
export function when(at: number, now: number): string {
  return `${utc(at)} (${relative(at, now)})`;
}
