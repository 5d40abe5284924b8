/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * the delay is uniform in [0, min(max, base * 2^(attempt-1))), attempt starting at 1. Full jitter
 * spreads a fleet of failures that started together. The one implementation: the episode retry
 * schedule (seconds, retry-policy.ts) and the call-level retry (ms, adapters/alibaba/retry.ts)
 * round it their own way.
 */
export function fullJitterDelay(attempt: number, base: number, max: number, random: () => number): number {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return random() * ceiling;
}
