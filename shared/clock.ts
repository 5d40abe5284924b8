/**
 * Time, injectable. Business time (when a rotation is due, when an episode opened) comes from
 * `now()`; waiting (retry backoff, pacing) goes through `sleep()`. On Function Compute both are
 * real. The local runtime swaps in the emulator's simulated clock, whose sleep returns at once:
 * retry delays are not modelled in simulated time.
 */
export interface Clock {
  now(): number; // epoch milliseconds
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** A source of uniform randoms in [0, 1), injectable for reproducible jitter. */
export type Random = () => number;

let current: Clock = systemClock;

/** The clock the handlers use; replaced only by the local runtime and tests. */
export function activeClock(): Clock {
  return current;
}

export function useClock(clock: Clock): () => void {
  const previous = current;
  current = clock;
  return () => {
    current = previous;
  };
}
