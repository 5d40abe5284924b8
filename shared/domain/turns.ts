/**
 * Turns: work that is due once per period (a readiness check, a probe, the incremental sweep's
 * rolling refresh) is spread over the sweeps of that period by a key, without storing when each
 * secret was last served. A key's spread is a number below SPREAD_MODULUS, small enough to keep on
 * the state tag (three base36 digits), so a sweep that has not described a secret still knows its
 * turn. Secrets sharing a key (a rotation target) take their turn in the same sweep and share reads.
 */

/** 36^3: three base36 digits on the tag; divisible by the slot counts of common periods (2^6 * 3^6). */
export const SPREAD_MODULUS = 36 ** 3;

export function spreadOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % SPREAD_MODULUS;
}

/** Whether the sweep starting at `now` serves `spread`'s turn of a `periodMs` cycle (every sweep when the period is no longer than one). */
export function isTurn(spread: number, now: number, periodMs: number, sweepIntervalMs: number): boolean {
  const sweep = Math.max(1, sweepIntervalMs);
  const slots = Math.max(1, Math.round(periodMs / sweep));
  return spread % slots === Math.floor(now / sweep) % slots;
}
