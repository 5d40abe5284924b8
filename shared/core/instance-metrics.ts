/**
 * on-event's metrics, kept per warm instance and published together (issue 15). The Default-source
 * triggers deliver one event per invocation, so a PutCustomMetric per invocation would be a cloud
 * call per event. The counts stay in the instance across invocations; the invocation that ends at
 * least METRICS_FLUSH_MS after the instance's last publish sends them, and the PreStop hook sends
 * what is left before FC destroys the instance (FC 3.0 has PreStop but no PreFreeze: a frozen
 * instance runs nothing, so the check is made at the end of an invocation).
 *
 * The values are counts: each is taken out of the instance when sent, so nothing is sent twice.
 * An instance that dies without its PreStop (a crash, an out-of-memory kill) loses the counts of
 * its last period; no alarm watches these metrics (the heartbeat rule watches the sweep's
 * kro_sweep_duration_ms). A data point is stamped with the time it is sent: the counts cover the
 * period that ends then. A publish that fails is logged and its counts dropped (publishMetrics).
 */
import { metric, type CustomMetric, type MetricName } from '../domain/metrics';
import { InstanceMemory } from '../instance-memory';

/** How long an instance keeps its counts before the end of an invocation sends them. */
export const METRICS_FLUSH_MS = 60_000;

export class InstanceMetrics {
  private readonly counts = new Map<MetricName, number>();
  private dimensions: Record<string, string> = {};
  /** When the current period began: the last publish, or the instance's first count. */
  private since: number | undefined;

  /** Adds one invocation's counts (zeros are ignored). */
  add(counts: Partial<Record<MetricName, number>>, dimensions: Record<string, string>, now: number): void {
    this.since ??= now;
    this.dimensions = dimensions;
    for (const [name, value] of Object.entries(counts) as Array<[MetricName, number]>)
      if (value) this.counts.set(name, (this.counts.get(name) ?? 0) + value);
  }

  /** The counts to send at the end of an invocation: all of them once the period is over, else none. */
  takeDue(now: number): CustomMetric[] {
    if (this.since === undefined || now - this.since < METRICS_FLUSH_MS) return [];
    return this.takeAll(now);
  }

  /** Every count kept, taken out and stamped `now` (PreStop; the end of a period). */
  takeAll(now: number): CustomMetric[] {
    const list = [...this.counts].map(([name, value]) => metric(name, value, now, this.dimensions));
    this.counts.clear();
    this.since = now;
    return list;
  }
}

const byInstance = new InstanceMemory(() => new InstanceMetrics());

export function instanceMetricsOf(config: object): InstanceMetrics {
  return byInstance.of(config);
}
