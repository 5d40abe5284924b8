/**
 * The events this warm instance has finished with (issue 15): EventBridge redelivers, and a
 * redelivered event that reaches the same instance needs no second DescribeSecret. A key is
 * remembered only once the whole invocation that handled it has succeeded (its reconcile, the
 * flush request, the metrics), so work whose first attempt did not finish is never skipped, and
 * FC's retry of a failed invocation does it all again. A redelivery that reaches another instance
 * is handled again, which is safe: every step is idempotent.
 */
import { InstanceMemory } from '../instance-memory';

/** Keys kept per instance; EventBridge redelivers within seconds to minutes, so the newest suffice. */
export const REMEMBERED_EVENTS = 10_000;

export class RecentEvents {
  private readonly keys = new Set<string>();

  has(key: string): boolean {
    return this.keys.has(key);
  }

  remember(keys: Iterable<string>): void {
    for (const key of keys) {
      this.keys.delete(key);
      this.keys.add(key);
      // A Set iterates in insertion order: the first key is the oldest.
      if (this.keys.size > REMEMBERED_EVENTS) this.keys.delete(this.keys.values().next().value as string);
    }
  }
}

const recentEvents = new InstanceMemory(() => new RecentEvents());

export function recentEventsOf(config: object): RecentEvents {
  return recentEvents.of(config);
}
