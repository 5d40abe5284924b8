/**
 * The RotateSecret budget (config.retry.rotateBudgetPerHour), the one place it is decided. KMS
 * allows 50 RotateSecret calls per hour and the sources disagree on per secret or per account
 * (alibaba-cloud-apis.md; DESIGN "Quotas are physics"): the budget is per deployment, under it.
 * Two views of one rule: the pass counts attempts recorded on the state tags it saw, remediate
 * counts the calls ActionTrail recorded (its double check right before calling).
 */
import type { Episode } from './episode';
import type { RemediationIntent } from './reconcile';

/** The budget's window: calls older than this no longer count. */
export const ROTATE_BUDGET_WINDOW_MS = 3_600_000;
/** Spread over the deferred attempts, so those deferred together do not all return in one second. */
export const ROTATE_DEFERRAL_JITTER_MS = 300_000;

/**
 * Attempts started in the last hour, as recorded on the state tags a pass saw. Rotations beyond
 * the budget wait for a later pass; verifications never count (they call no RotateSecret).
 */
export function withinRotateBudget(
  intents: RemediationIntent[],
  episodesSeen: Episode[],
  now: number,
  budgetPerHour: number,
): { allowed: RemediationIntent[]; deferred: RemediationIntent[] } {
  const recent = episodesSeen.filter(
    (e) => e.attempts > 0 && e.lastAttemptAt !== undefined && now - e.lastAttemptAt < ROTATE_BUDGET_WINDOW_MS,
  ).length;
  let left = Math.max(0, budgetPerHour - recent);
  const allowed: RemediationIntent[] = [];
  const deferred: RemediationIntent[] = [];
  for (const intent of [...intents].sort((a, b) => a.at - b.at)) {
    if (intent.phase === 'verify') allowed.push(intent);
    else if (left > 0) {
      allowed.push(intent);
      left -= 1;
    } else deferred.push(intent);
  }
  return { allowed, deferred };
}

/**
 * Given the times of the RotateSecret calls made in the last hour (at least the newest `budget`
 * of them), when the next call fits the budget: undefined when it fits now, else when the
 * `budget`-th newest call leaves the window, plus jitter. An attempt deferred to then finds a slot.
 */
export function rotateBudgetFreesAt(
  callTimes: number[],
  now: number,
  budgetPerHour: number,
  random: () => number,
): number | undefined {
  const recent = callTimes.filter((t) => now - t < ROTATE_BUDGET_WINDOW_MS).sort((a, b) => b - a);
  if (recent.length < budgetPerHour) return undefined;
  // A budget of 0 never frees: look again in a window.
  const oldestCounted = budgetPerHour > 0 ? recent[budgetPerHour - 1]! : now;
  return Math.max(now, oldestCounted + ROTATE_BUDGET_WINDOW_MS) + Math.round(random() * ROTATE_DEFERRAL_JITTER_MS);
}
