/**
 * The bench fleet as the incremental sweep leaves it once adopted (issue 15): every secret carries
 * the state tag the product writes after describing it (its schedule, no episodes), computed with
 * the product's own functions from what the emulator answers for the same deterministic seed. A
 * steady-state sweep of this fleet is "the second and later sweeps of a healthy fleet" without
 * running the twenty adoption sweeps first.
 */
import { loadConfig } from '../shared/config';
import type { Config } from '../shared/config-types';
import { encodeState } from '../shared/domain/episode-tag';
import type { SecretDescription } from '../shared/domain/secret';
import { scheduleOf } from '../shared/domain/sweep-schedule';
import { createEmulator } from '../emulator/emulator';
import type { SecretView } from '../emulator/services/kms';
import { fleetSeed, type FleetSecret } from './fleet';

const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

function describedAs(view: SecretView): SecretDescription {
  const interval = view.RotationInterval ? parseInt(view.RotationInterval, 10) : undefined;
  return {
    secretName: view.SecretName,
    secretType: view.SecretType,
    automaticRotation: view.AutomaticRotation as SecretDescription['automaticRotation'],
    rotationIntervalSeconds: interval,
    lastRotationDate: ms(view.LastRotationDate),
    nextRotationDate: ms(view.NextRotationDate),
    plannedDeleteTime: ms(view.PlannedDeleteTime),
    extendedConfig: (view.ExtendedConfig ?? {}) as SecretDescription['extendedConfig'],
    tags: view.Tags,
  };
}

/** fleetSeed(count, now), each secret tagged with the schedule the product would write at `now`. */
export async function adoptedFleetSeed(
  count: number,
  now: number,
  config: Config = loadConfig({ KRO_ACCOUNT_ID: '1234567890123456' }),
): Promise<{ Now: string; Secrets: FleetSecret[] }> {
  const seed = fleetSeed(count, now);
  const emulator = createEmulator({ seed, now, quotas: false });
  await emulator.ready;
  try {
    for (const secret of seed.Secrets) {
      const view = emulator.kms.getSecret(secret.SecretName)!;
      const versions = view.versions.map((v) => ({
        versionId: v.VersionId,
        versionStages: v.VersionStages,
        createTime: Date.parse(v.CreateTime),
      }));
      const schedule = scheduleOf({ description: describedAs(view), versions }, config, now);
      const { value } = encodeState({ episodes: [], schedule }, secret.SecretName);
      secret.Tags = { ...secret.Tags, [config.stateTagKey]: value! };
    }
  } finally {
    await emulator.close();
  }
  return seed;
}
