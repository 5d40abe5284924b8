/**
 * The production wiring: Alibaba clients (shared/adapters/alibaba) and credential probes
 * (shared/probes). Loaded on first use so a handler's cold start stays small.
 */
import type { TargetReads } from '../readiness/port';
import type { Wiring } from './handler-kit';

let cached: Promise<Wiring> | undefined;

export function defaultWiring(): Promise<Wiring> {
  cached ??= (async () => {
    const [{ createAlibabaClients }, { verifySecret }] = await Promise.all([
      import('../adapters/alibaba'),
      import('../probes'),
    ]);
    return {
      createClients: ({ config, credentials, clock, random, logger, quotaConsumer }) =>
        createAlibabaClients({ config, credentials, clock, random, logger, consumer: quotaConsumer, shareSdk: true }),
      createVerifier:
        ({ config, clients, logger }) =>
        (description) =>
          verifySecret({ kms: clients.kms, sts: clients.sts, config, logger }, description),
      // createClients above built them (AlibabaClients.targets); the port keeps only the reads.
      createTargets: ({ clients }) =>
        'targets' in clients ? (clients as { targets: TargetReads }).targets : undefined,
    } satisfies Wiring;
  })();
  return cached;
}
