/** Metrics are best effort: a CloudMonitor hiccup must not fail an invocation that did its work. */
import type { CustomMetric } from '../ports/alerts';
import type { CoreDeps } from './deps';

export async function publishMetrics(deps: CoreDeps, metrics: CustomMetric[]): Promise<void> {
  const list = metrics.map((m) => ({ ...m, groupId: m.groupId ?? deps.config.alerts.groupId }));
  if (list.length === 0) return;
  if (deps.config.dryRun) {
    deps.logger.info('dry run: metrics not sent', {
      metrics: Object.fromEntries(
        list.map((m) => [
          `${m.metricName}${Object.values(m.dimensions)
            .map((v) => `/${v}`)
            .join('')}`,
          m.value,
        ]),
      ),
    });
    return;
  }
  try {
    await deps.clients.monitor.putCustomMetrics(list);
  } catch (error) {
    deps.logger.warn('metrics not published', { error, count: list.length });
  }
}
