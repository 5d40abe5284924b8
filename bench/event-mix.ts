/**
 * A realistic burst of on-event input, made by the emulator itself: KMS rotation results (built
 * with the emulator's own event builder, 90% success) and ActionTrail API-call events captured
 * from real signed write calls (rotation policy updates, new Generic versions, and refused calls),
 * then 20% duplicates of earlier events inserted later, as EventBridge redelivers.
 */
import type { Emulator } from '../emulator/emulator';
import { seededRandom } from '../emulator/faults';
import { signedRequest } from '../emulator/protocol/client';
import { rotationEvent } from '../emulator/services/kms/rotation-events';
import type { SecretRecord } from '../emulator/services/kms/model';
import type { SecretView } from '../emulator/services/kms';
import type { CloudEvent } from '../emulator/types';

export interface EventMix {
  events: CloudEvent[];
  counts: Record<string, number>;
}

async function writeCall(emulator: Emulator, action: string, params: Record<string, string>): Promise<void> {
  const key = emulator.defaultAccessKey;
  const request = signedRequest({
    baseUrl: 'http://127.0.0.1:1',
    action,
    version: '2016-01-20',
    params,
    accessKeyId: key.accessKeyId,
    accessKeySecret: key.accessKeySecret,
  });
  await (await emulator.fetch(request)).arrayBuffer();
}

/** A KMS rotation result for a secret as the emulator shows it (the builder reads only its name, type and ExtendedConfig). */
export function rotationResultOf(
  view: SecretView,
  outcome: Parameters<typeof rotationEvent>[1],
  ids: { regionId: string; accountId: string },
): CloudEvent {
  const secret = {
    name: view.SecretName,
    type: view.SecretType,
    extendedConfig: view.ExtendedConfig,
  } as unknown as SecretRecord;
  return rotationEvent(secret, outcome, ids);
}

/** `total` events, `duplicateShare` of them copies of earlier ones. Publishes nothing to subscribers: call before deploying. */
export async function eventMix(emulator: Emulator, total: number, duplicateShare = 0.2, seed = 7): Promise<EventMix> {
  const rng = seededRandom(seed);
  const names = emulator.kms.secretNames();
  const generic = names.filter((n) => emulator.kms.getSecret(n)?.SecretType === 'Generic');
  const managed = names.filter((n) => emulator.kms.getSecret(n)?.SecretType !== 'Generic');
  const pick = (list: string[]) => list[Math.floor(rng() * list.length)] ?? '';
  const unique = total - Math.round(total * duplicateShare);
  const counts: Record<string, number> = {};
  const count = (kind: string) => (counts[kind] = (counts[kind] ?? 0) + 1);

  const captured: CloudEvent[] = [];
  const unsubscribe = emulator.bus.subscribe({
    name: 'bench-capture',
    pattern: { source: ['acs.kms'] },
    deliver: async () => undefined,
  });
  const apiCalls = Math.round(unique * 0.5);
  for (let i = 0; i < apiCalls; i++) {
    const r = rng();
    if (r < 0.7) {
      await writeCall(emulator, 'UpdateSecretRotationPolicy', {
        SecretName: pick(managed),
        EnableAutomaticRotation: 'true',
        RotationInterval: `${7 + Math.floor(rng() * 24)}d`,
      });
      count('api:UpdateSecretRotationPolicy');
    } else if (r < 0.95 && generic.length > 0) {
      await writeCall(emulator, 'PutSecretValue', {
        SecretName: pick(generic),
        SecretData: Math.floor(rng() * 2 ** 48).toString(36),
        VersionId: `bench-${i}`,
      });
      count('api:PutSecretValue');
    } else {
      // Refused by KMS (interval below 6 h): ActionTrail records it with its errorCode.
      await writeCall(emulator, 'UpdateSecretRotationPolicy', {
        SecretName: pick(managed),
        EnableAutomaticRotation: 'true',
        RotationInterval: '1h',
      });
      count('api:refused');
    }
  }
  unsubscribe();
  for (const record of emulator.bus.log()) captured.push(record.event);

  const ids = { regionId: emulator.regionId, accountId: emulator.accountId };
  const rotations: CloudEvent[] = [];
  const now = emulator.clock.now();
  for (let i = 0; rotations.length + captured.length < unique; i++) {
    const view = emulator.kms.getSecret(pick(managed));
    if (!view) continue;
    const success = rng() >= 0.1;
    rotations.push(
      rotationResultOf(
        view,
        {
          at: now - Math.floor(rng() * 3_600_000),
          success,
          ...(success ? {} : { errorCode: 'InternalFailure', errorMessage: 'rotation failed (bench)' }),
        },
        ids,
      ),
    );
    count(success ? 'rotation:success' : 'rotation:failure');
  }

  const events = shuffle([...captured, ...rotations], rng);
  const withDuplicates: CloudEvent[] = [];
  const duplicates = total - events.length;
  const every = duplicates > 0 ? events.length / duplicates : Infinity;
  let nextDuplicate = every;
  for (let i = 0; i < events.length; i++) {
    withDuplicates.push(events[i] as CloudEvent);
    if (i + 1 >= nextDuplicate && withDuplicates.length < total) {
      withDuplicates.push(events[Math.floor(rng() * (i + 1))] as CloudEvent);
      nextDuplicate += every;
      count('duplicate');
    }
  }
  while (withDuplicates.length < total) {
    withDuplicates.push(events[Math.floor(rng() * events.length)] as CloudEvent);
    count('duplicate');
  }
  counts['api:captured'] = captured.length;
  return { events: withDuplicates, counts };
}

function shuffle<T>(items: T[], rng: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
