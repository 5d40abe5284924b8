/**
 * Each bench module loads and a tiny run reports its contract figures with sane values. Timings
 * are never asserted here: `npm run bench` measures them on a quiet machine.
 */
import { describe, expect, it } from 'vitest';
import { coldStartBench } from '../../bench/cold-start-bench';
import { detectionBench } from '../../bench/detection-bench';
import { emulatorBench } from '../../bench/emulator-bench';
import { eventsBench } from '../../bench/events-bench';
import type { Bench, Figure } from '../../bench/figures';
import { quotaBench } from '../../bench/quota-bench';
import { sweepBench } from '../../bench/sweep-bench';

async function figuresOf(bench: Bench): Promise<Record<string, Figure>> {
  const out: Record<string, Figure> = {};
  await bench.run((f) => (out[f.name] = f));
  return out;
}

describe('bench modules, tiny runs', () => {
  it('detection: the dropped failure event is still alerted, by the sweep', async () => {
    const f = await figuresOf(detectionBench({ fleet: 5 }));
    expect(f['detection.eventToAlertMs']?.value).toBeGreaterThanOrEqual(0);
    expect(f['detection.missedRotationToAlertMs']).toMatchObject({ eventDropped: true, alert: 'KmsRotationFailed' });
    expect(f['detection.missedRotationToAlertMs']?.value).toBeGreaterThan(0);
  }, 60_000);

  it('events: every event of the mix goes through on-event without a failed invocation', async () => {
    const f = await figuresOf(
      eventsBench({ events: 40, secrets: 20, concurrency: 2, maxMs: 60_000, fromSource: true }),
    );
    expect(f['events.perSecond']).toMatchObject({ events: 40, failed: 0, mix: { duplicate: 8 } });
    expect(f['events.p99Ms']?.value).toBeGreaterThan(0);
    expect(f['events.callsPerEvent']).toMatchObject({ events: 40 });
    expect(f['events.callsPerEvent']?.callsByAction).toHaveProperty('DescribeSecret');
    // s.yaml lets 10 requests share an on-event instance: both invocations in flight meet one.
    expect(f['events.perSecond']).toMatchObject({ instances: 1, instanceConcurrency: 10 });
    // Its PreStop sends the metrics it held, once.
    expect(f['events.callsPerEvent']?.callsByAction).toMatchObject({ PutCustomMetric: 1 });
  }, 60_000);

  it('events in batches: every event of the mix is counted once, as arrays of the given size', async () => {
    const f = await figuresOf(
      eventsBench({ events: 40, secrets: 20, concurrency: 2, maxMs: 60_000, fromSource: true, batch: 8 }),
    );
    expect(f['events.perSecond']).toMatchObject({ events: 40, failed: 0, eventsPerInvocation: 8 });
    expect(f['events.callsPerEvent']).toMatchObject({ events: 40 });
  }, 60_000);

  it('sweep: the first sweep describes a small fleet, the steady one its tags vouch for; the naive loop reads it all', async () => {
    const f = await figuresOf(
      sweepBench({ sizes: [30], firstSizes: [30], naiveSample: 10, latencyMs: 0, fromSource: true }),
    );
    expect(f['sweep.first.30.wallMs']).toMatchObject({
      complete: true,
      described: 30,
      describedFor: { unscheduled: 30 },
      states: { healthy: 30, warning: 0, critical: 0 },
    });
    expect(f['sweep.first.30.callsPerSecret']?.value).toBeGreaterThanOrEqual(1);
    expect(f['sweep.30.wallMs']).toMatchObject({ complete: true, states: { healthy: 30, warning: 0, critical: 0 } });
    expect(f['sweep.30.wallMs']?.described).toBeLessThan(15);
    expect(f['sweep.30.wallMs']?.describedFor).not.toHaveProperty('unscheduled');
    expect(f['sweep.30.throttled']?.value).toBe(0);
    expect(f['sweep.30.peakRssMb']?.value).toBeGreaterThan(0);
    expect(f['sweep.naive.ratio']).toMatchObject({ secrets: 30 });
    expect(String(f['sweep.naive.ratio']?.extrapolated)).toContain('first 10 secrets');
  }, 120_000);

  it("quota: the application runs beside the sweep and alone, and the orchestrator's reads are counted apart", async () => {
    const f = await figuresOf(
      quotaBench({ secrets: 30, appPerSecond: 40, latencyMs: 0, windowMs: 60_000, fromSource: true }),
    );
    expect(f['quota.readShare.peak']).toMatchObject({ secrets: 30, sweepComplete: true });
    expect(f['quota.readShare.peak']?.orchestratorReads).toBeGreaterThanOrEqual(30);
    // The sweep ran with the default share and says at which rates every instance paces itself.
    expect(f['quota.readShare.peak']).toMatchObject({
      target: '<= 0.1',
      sweepPartShare: 0.05,
      instanceRatesPerSecond: { sweep: { read: 22.5, list: 7.5, write: 1.875 }, cli: { read: 3.214 } },
      eventBurst: { instances: 4, failed: 0 },
    });
    expect((f['quota.readShare.peak']?.eventBurst as { events: number }).events).toBeGreaterThan(0);
    const app = f['quota.appThrottled'] as unknown as {
      app: { sent: number; ok: number; throttled: number };
      control: { sent: number };
    };
    expect(app.app.sent).toBeGreaterThan(0);
    expect(app.app.throttled).toBe(0);
    expect(app.control.sent).toBeGreaterThan(0);
  }, 120_000);

  it('emulator: throughput of verified DescribeSecret calls and the memory of a seeded fleet', async () => {
    const f = await figuresOf(emulatorBench({ calls: 100, clients: 2, seededSecrets: 10, memorySecrets: 50 }));
    expect(f['emulator.describeSecret.perSecond']).toMatchObject({ calls: 100, failed: 0 });
    expect(f['emulator.seed50.heapMb']).toMatchObject({ secrets: 50 });
    expect(f['emulator.seed50.rssMb']?.value).toBeGreaterThan(0);
  }, 120_000);

  it('cold start: selected by either of its figure prefixes', () => {
    expect(coldStartBench().prefixes).toEqual(['coldStart', 'bundle']);
  });
});
