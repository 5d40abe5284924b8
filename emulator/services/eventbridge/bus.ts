/**
 * The default event bus. Delivery is at-least-once and unordered in the real service, so the
 * emulator can drop, duplicate, reorder and delay events on purpose (faults matched by EventType):
 * the product must survive all four, because the sweep repairs whatever an event missed.
 */
import type { FaultRegistry } from '../../faults';
import type { CloudEvent, SimClock } from '../../types';
import type { BusRecord, DeliveryRecord, EventBus } from '../contracts';
import { matchesPattern, validatePattern } from './pattern';

export interface EventBusDeps {
  clock: SimClock;
  faults: FaultRegistry;
  random: () => number;
  /** Delivery latency after publish (ms); default 0. */
  latencyMs?: number;
  /** Extra random latency in [0, jitterMs) per delivery; default 0, so runs stay exact. */
  jitterMs?: number;
  /** A reordered event is held until the next publish, or at most this long (ms); default 60 s. */
  maxHoldMs?: number;
}

interface Subscriber {
  name: string;
  pattern: unknown;
  deliver: (event: CloudEvent) => Promise<void>;
}

export function createEventBus(deps: EventBusDeps): EventBus {
  const subscribers: Subscriber[] = [];
  const records: BusRecord[] = [];
  let held: { record: BusRecord; extraMs: number; timer: number; duplicate: boolean } | undefined;

  const latency = (): number => (deps.latencyMs ?? 0) + (deps.jitterMs ? Math.floor(deps.random() * deps.jitterMs) : 0);

  function deliverTo(sub: Subscriber, record: BusRecord, at: number, duplicate: boolean): void {
    deps.clock.schedule(
      at,
      async () => {
        const delivery: DeliveryRecord = { subscriber: sub.name, at: deps.clock.now() };
        if (duplicate) delivery.duplicate = true;
        try {
          await sub.deliver(record.event);
        } catch (error) {
          delivery.error = error instanceof Error ? error.message : String(error);
        }
        record.deliveries.push(delivery);
      },
      `eventbridge:${sub.name}:${record.event.type}`,
    );
  }

  function dispatch(record: BusRecord, extraMs: number, duplicate: boolean): void {
    const base = deps.clock.now() + extraMs;
    for (const sub of subscribers) {
      if (!matchesPattern(sub.pattern, record.event)) continue;
      deliverTo(sub, record, base + latency(), false);
      if (duplicate) deliverTo(sub, record, base + latency(), true);
    }
  }

  function releaseHeld(): void {
    if (!held) return;
    const { record, extraMs, timer, duplicate } = held;
    held = undefined;
    deps.clock.cancel(timer);
    // A held event keeps its other faults: reordered and duplicated can happen to one event.
    dispatch(record, extraMs, duplicate);
  }

  return {
    publish(event: CloudEvent): void {
      const target = { eventType: event.type };
      const record: BusRecord = { event, publishedAt: deps.clock.now(), dropped: false, deliveries: [] };
      records.push(record);
      if (deps.faults.take('EventDrop', target)) {
        record.dropped = true;
        return;
      }
      const delay = deps.faults.take('EventDelay', target)?.Ms ?? 0;
      const duplicate = deps.faults.take('EventDuplicate', target) !== undefined;
      if (deps.faults.take('EventReorder', target)) {
        releaseHeld();
        const timer = deps.clock.schedule(
          deps.clock.now() + (deps.maxHoldMs ?? 60_000),
          releaseHeld,
          'eventbridge:release-held',
        );
        held = { record, extraMs: delay, timer, duplicate };
        return;
      }
      dispatch(record, delay, duplicate);
      // The held event goes out after this one: same instant, later in the clock's queue.
      releaseHeld();
    },

    subscribe(subscription): () => void {
      validatePattern(subscription.pattern);
      const sub: Subscriber = { ...subscription };
      subscribers.push(sub);
      return () => {
        const i = subscribers.indexOf(sub);
        if (i >= 0) subscribers.splice(i, 1);
      };
    },

    log(): BusRecord[] {
      return records;
    },
  };
}
