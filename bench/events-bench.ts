/**
 * Event burst (issue 8): 10,000 events with 20% duplicates through the on-event function, as
 * deployed from s.yaml into an emulator (quotas off, no latency): each event is one synchronous
 * invocation of the real handler (the FC bundle, loaded as FC loads it), which reaches the emulator over HTTP. `concurrency` invocations
 * are in flight at once, as FC runs several instances; everything shares this one process.
 */
import { createEmulator } from '../emulator/emulator';
import { deployLocal } from '../emulator/runtime';
import { bundleFactory } from './bundles';
import { eventMix } from './event-mix';
import type { Bench } from './figures';
import { fleetSeed } from './fleet';

export interface EventsBenchOptions {
  events: number;
  secrets: number;
  concurrency: number;
  /** Stop sending new events after this long, so a slow build cannot hold the whole run (the figure says so). */
  maxMs: number;
  /** Run the handlers from source instead of the FC bundles (tests: no build). */
  fromSource?: boolean;
}

export const DEFAULT_EVENTS_OPTIONS: EventsBenchOptions = {
  events: 10_000,
  secrets: 1000,
  concurrency: 8,
  maxMs: 120_000,
};

const START = Date.parse('2026-11-22T00:00:00Z');

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function countBy(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const k of keys) counts[k] = (counts[k] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([, a], [, b]) => b - a));
}

export function eventsBench(options: EventsBenchOptions = DEFAULT_EVENTS_OPTIONS): Bench {
  return {
    name: 'events',
    async run(report) {
      const emulator = createEmulator({ seed: fleetSeed(options.secrets, START), now: START, quotas: false });
      await emulator.ready;
      const mix = await eventMix(emulator, options.events);
      const deployment = await deployLocal(
        emulator,
        options.fromSource ? {} : { loadFactory: (spec) => bundleFactory(spec.sourceDir) },
      );
      try {
        const callsBefore = emulator.callLog().length;
        const durations: number[] = [];
        let failed = 0;
        let next = 0;
        const deadline = performance.now() + options.maxMs;
        const worker = async () => {
          while (next < mix.events.length && performance.now() < deadline) {
            const event = mix.events[next++];
            const started = performance.now();
            const reply = await emulator.fc.invoke('kro-on-event', Buffer.from(JSON.stringify(event)), {
              async: false,
            });
            durations.push(performance.now() - started);
            if (reply.error) failed += 1;
          }
        };
        const started = performance.now();
        await Promise.all(Array.from({ length: options.concurrency }, worker));
        const elapsedMs = performance.now() - started;
        durations.sort((a, b) => a - b);
        const handled = durations.length;
        const perSecond = (handled * 1000) / elapsedMs;
        const truncated =
          handled < mix.events.length
            ? {
                truncated: `stopped after ${Math.round(elapsedMs / 1000)} s: ${handled} of ${mix.events.length} events handled`,
              }
            : {};
        const p99 = percentile(durations, 99);
        const calls = emulator.callLog().slice(callsBefore);
        report({
          name: 'events.perSecond',
          value: Math.round(perSecond),
          unit: 'events/s',
          target: '>= 1000',
          ok: perSecond >= 1000 && failed === 0 && handled === mix.events.length,
          events: handled,
          ...truncated,
          failed,
          concurrency: options.concurrency,
          mix: mix.counts,
          apiCallsPerEvent: Math.round((calls.length / Math.max(1, handled)) * 100) / 100,
          apiCallsByAction: countBy(calls.map((c) => c.action)),
        });
        report({
          name: 'events.p99Ms',
          value: Math.round(p99 * 10) / 10,
          unit: 'ms',
          target: '< 50',
          ok: handled > 0 && p99 < 50,
          p50Ms: Math.round(percentile(durations, 50) * 10) / 10,
          maxMs: Math.round((durations[durations.length - 1] ?? 0) * 10) / 10,
          note: `handler time per invocation, ${options.concurrency} in flight in one process with the emulator`,
        });
      } finally {
        await deployment.close();
        await emulator.close();
      }
    },
  };
}
