/**
 * Zero rotation-at-risk findings on the healthy secrets of the demo fleet and of the resilience
 * suite's fleet (issue 16), read with the real clients against the emulator; the demo's secret
 * whose instance was deleted is the one forecast, naming instance-missing.
 */
import { describe, expect, it } from 'vitest';
import { demoFleet, DEMO_TROUBLE } from '../../cli/commands/demo-fleet';
import { createAlibabaClients } from '../../shared/adapters/alibaba';
import { loadConfig } from '../../shared/config';
import { isManaged } from '../../shared/domain/secret-kinds';
import { createReadinessReader } from '../../shared/readiness/reader';
import { listeningEmulator } from '../helpers/emulator';
import { resilienceFleet } from '../resilience/fleet';

async function forecastAll(seed: unknown) {
  const { emulator, endpoint } = await listeningEmulator({ seed });
  const config = loadConfig({ KRO_ENDPOINT: endpoint, KRO_PACING: 'false', KRO_ACCOUNT_ID: emulator.accountId });
  const clients = createAlibabaClients({ config, credentials: emulator.defaultAccessKey, random: () => 0.5 });
  const reader = createReadinessReader(clients.targets);
  const out = new Map<string, string[]>();
  for (const name of emulator.kms.secretNames()) {
    const d = await clients.kms.describeSecret(name);
    if (!isManaged(d.secretType)) continue;
    const a = await reader.assess(d, emulator.clock.now());
    out.set(
      name,
      a.findings.map((f) => f.cause),
    );
  }
  return out;
}

describe('readiness on the shipped fleets', () => {
  it('demo fleet: only the secret whose instance is gone is at risk', async () => {
    const found = await forecastAll(
      demoFleet({ now: '2026-11-01T00:00:00Z', realServers: { postgresql: false, mysql: false, redis: false } }),
    );
    expect(found.size).toBeGreaterThan(10);
    for (const [name, causes] of found)
      expect(causes, name).toEqual(name === DEMO_TROUBLE.deletedInstance ? ['instance-missing'] : []);
  });

  it('resilience fleet: zero findings', { timeout: 60_000 }, async () => {
    const found = await forecastAll(resilienceFleet(150, Date.parse('2026-11-01T00:00:00Z'), 7));
    expect(found.size).toBeGreaterThan(50);
    expect([...found].filter(([, causes]) => causes.length > 0)).toEqual([]);
  });
});
