/**
 * Event burst (issue 8, issue 15): 10,000 events with 20% duplicates through the on-event
 * function, the way its EventBridge triggers deliver them: one CloudEvent per invocation (the
 * Default source does not batch; s.yaml). The cloud is an emulator in a child process (quotas off,
 * no latency; children/events-emulator.ts) with s.yaml deployed into it; the handler is the real one
 * (the FC bundle, loaded as FC loads it) and runs here, so the two do not share a core. Each event is
 * one synchronous invocation; `concurrency` are in flight at once, on ceil(concurrency /
 * instanceConcurrency) warm instances (s.yaml's value; FC fills an instance before it starts
 * another), each a handler object of its own, so what an instance remembers helps only the events
 * it receives. At the end FC destroys the instances: each one's PreStop hook runs (it sends the
 * metrics the instance held) and its calls count too. The clock stands still, so no instance
 * reaches METRICS_FLUSH_MS during the run: in the cloud a 10,000-event burst also takes seconds.
 * The cloud calls are counted from the emulator's call log.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadHandlerFactory } from '../emulator/runtime';
import type { CloudEvent } from '../emulator/types';
import { bundleFactory } from './bundles';
import { startChild } from './child';
import type { EventsEmulatorInfo } from './children/events-emulator';
import type { Bench } from './figures';

export interface EventsBenchOptions {
  events: number;
  secrets: number;
  concurrency: number;
  /** Stop sending new events after this long, so a slow build cannot hold the whole run (the figure says so). */
  maxMs: number;
  /** Run the handlers from source instead of the FC bundles (tests: no build). */
  fromSource?: boolean;
  /**
   * Events per invocation, as an array (an event-streaming source's delivery). Default 1: the
   * Default-source triggers of s.yaml deliver one event per invocation; more only shows what
   * batching would give.
   */
  batch?: number;
}

export const DEFAULT_EVENTS_OPTIONS: EventsBenchOptions = {
  events: 10_000,
  secrets: 1000,
  concurrency: 8,
  maxMs: 120_000,
};

const START = Date.parse('2026-11-22T00:00:00Z');
/** Target of issue 15: at most one cloud call per event on average. */
const CALLS_PER_EVENT_TARGET = 1;
/** The handler's log lines are not read; keep only the last few for a failure's report. */
const KEPT_LOG_LINES = 20;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function countBy(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const k of keys) counts[k] = (counts[k] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([, a], [, b]) => b - a));
}

async function callActions(endpoint: string): Promise<string[]> {
  const reply = await fetch(`http://${endpoint}/_emulator/calls`);
  const body = (await reply.json()) as { calls: Array<{ action: string }> };
  return body.calls.map((c) => c.action);
}

export function eventsBench(options: EventsBenchOptions = DEFAULT_EVENTS_OPTIONS): Bench {
  return {
    name: 'events',
    async run(report) {
      const dir = mkdtempSync(path.join(tmpdir(), 'kro-events-'));
      const eventsFile = path.join(dir, 'events.json');
      const cloud = await startChild<EventsEmulatorInfo>({
        script: 'events-emulator.ts',
        env: {
          BENCH_SECRETS: String(options.secrets),
          BENCH_EVENTS: String(options.events),
          BENCH_EVENTS_FILE: eventsFile,
          BENCH_START: String(START),
        },
      });
      try {
        const info = cloud.result;
        const events = JSON.parse(readFileSync(eventsFile, 'utf8')) as CloudEvent[];
        const batch = Math.max(1, options.batch ?? 1);
        const payloads = Array.from({ length: Math.ceil(events.length / batch) }, (_, i) =>
          batch === 1 ? events[i] : events.slice(i * batch, (i + 1) * batch),
        );
        const endpoint = info.onEvent.env.KRO_ENDPOINT ?? '';
        const factory = options.fromSource
          ? await loadHandlerFactory(info.onEvent.sourceDir)
          : await bundleFactory(info.onEvent.sourceDir);
        const logs: string[] = [];
        // The emulator's clock stands still during the run (nothing advances it), so this one does too.
        const instance = () =>
          factory({
            env: info.onEvent.env,
            clock: { now: () => info.now, sleep: async () => undefined },
            writeLine: (line) => {
              logs.push(line);
              if (logs.length > KEPT_LOG_LINES) logs.shift();
            },
          });
        const context = (requestId: string) => ({
          requestId,
          credentials: info.credentials,
          function: { name: info.onEvent.functionName, handler: 'index.handler', timeout: info.onEvent.timeoutSeconds },
          region: info.regionId,
          accountId: info.accountId,
        });
        // FC fills an instance up to instanceConcurrency before it starts another (instance-pool.ts).
        const perInstance = Math.max(1, info.onEvent.instanceConcurrency);
        const instances = Array.from({ length: Math.ceil(options.concurrency / perInstance) }, instance);
        const callsBefore = (await callActions(endpoint)).length;
        const durations: number[] = [];
        let failed = 0;
        let handled = 0;
        let next = 0;
        const deadline = performance.now() + options.maxMs;
        const worker = async (_: unknown, slot: number) => {
          const handler = instances[Math.floor(slot / perInstance)]!;
          while (next < payloads.length && performance.now() < deadline) {
            const payload = payloads[next++];
            const started = performance.now();
            try {
              await handler(Buffer.from(JSON.stringify(payload)), context(randomUUID()));
            } catch {
              failed += 1;
            }
            durations.push(performance.now() - started);
            handled += Array.isArray(payload) ? payload.length : 1;
          }
        };
        const started = performance.now();
        await Promise.all(Array.from({ length: options.concurrency }, worker));
        const elapsedMs = performance.now() - started;
        const preStopFailures = (
          await Promise.all(
            instances.map((h) =>
              h.preStop?.(context(randomUUID())).then(
                () => 0,
                () => 1,
              ),
            ),
          )
        ).reduce<number>((a, b) => a + (b ?? 0), 0);
        durations.sort((a, b) => a - b);
        const perSecond = (handled * 1000) / elapsedMs;
        const truncated =
          handled < events.length
            ? {
                truncated: `stopped after ${Math.round(elapsedMs / 1000)} s: ${handled} of ${events.length} events handled`,
              }
            : {};
        const p99 = percentile(durations, 99);
        const calls = (await callActions(endpoint)).slice(callsBefore);
        const callsPerEvent = calls.length / Math.max(1, handled);
        report({
          name: 'events.perSecond',
          value: Math.round(perSecond),
          unit: 'events/s',
          target: '>= 1000',
          ok: perSecond >= 1000 && failed === 0 && handled === events.length,
          events: handled,
          ...truncated,
          failed,
          ...(failed > 0 ? { lastLogLines: logs.slice(-3) } : {}),
          concurrency: options.concurrency,
          ...(batch > 1 ? { eventsPerInvocation: batch } : {}),
          mix: info.counts,
          ...(preStopFailures > 0 ? { preStopFailures } : {}),
          instances: instances.length,
          instanceConcurrency: perInstance,
          note: `emulator in a child process; handlers here: ${options.concurrency} invocations in flight on ${instances.length} warm instance(s) (ceil(${options.concurrency} / instanceConcurrency ${perInstance}) from s.yaml); their PreStop hooks run at the end`,
        });
        report({
          name: 'events.callsPerEvent',
          value: Math.round(callsPerEvent * 100) / 100,
          unit: 'calls/event',
          target: `<= ${CALLS_PER_EVENT_TARGET}`,
          ok: handled > 0 && callsPerEvent <= CALLS_PER_EVENT_TARGET,
          calls: calls.length,
          events: handled,
          callsByAction: countBy(calls),
          note: `the metrics go out from each instance's PreStop at the end: the clock stands still, so no instance reaches METRICS_FLUSH_MS during the run`,
        });
        report({
          name: 'events.p99Ms',
          value: Math.round(p99 * 10) / 10,
          unit: 'ms',
          target: '< 50',
          ok: handled > 0 && p99 < 50,
          p50Ms: Math.round(percentile(durations, 50) * 10) / 10,
          maxMs: Math.round((durations[durations.length - 1] ?? 0) * 10) / 10,
          note: `handler time per invocation, ${options.concurrency} in flight; the emulator in its own process`,
        });
      } finally {
        await cloud.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
