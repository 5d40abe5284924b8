/**
 * The resilience run's adversary (issue 13): some of the run's rotation failures carry secret
 * values in their messages (every template of the hostile-message corpus), and forged failure
 * events are put on the bus for healthy secrets, dated in the future or before the secret's last
 * rotation. The values are strong generated passwords, watched by the recorder like every secret
 * value; the forged events are remembered so the invariants can check that none of them led to a
 * RotateSecret or a page.
 */
import type { Emulator } from '../../emulator/emulator';
import type { SecretRecord } from '../../emulator/services/kms/model';
import { rotationEvent } from '../../emulator/services/kms/rotation-events';
import { HOSTILE_MESSAGES } from '../fixtures/hostile-messages';
import type { ForgedEvent } from './invariants';
import type { SecretValues } from './secret-values';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface AdversaryPlan {
  /** Faults stop (and the calm begins) this many days after the start. */
  chaosDays: number;
  /** Real rotation failures whose message quotes a secret value. */
  hostileFailures: number;
  /** Forged failure events dated in the future (more than the accepted clock skew). */
  futureEvents: number;
  /** Forged failure events dated before the secret's last rotation. */
  staleEvents: number;
  /** Forged failure events dated now, for a secret whose DescribeSecret shows a healthy rotation. */
  uncorroboratedEvents: number;
}

export interface AdversaryCounts {
  hostileFailures: number;
  futureEvents: number;
  staleEvents: number;
  uncorroboratedEvents: number;
}

const SPECIAL = '!@#$%^&*()_+=-';
const ALPHABET = `ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789${SPECIAL}`;

/** A password as RDS accepts them: 16 characters, upper and lower case, digits and specials. */
function strongValue(random: () => number): string {
  const pick = (set: string) => set[Math.floor(random() * set.length)]!;
  const chars = [pick('ABCDEFGHJKLMNPQRSTUVWXYZ'), pick('abcdefghijkmnopqrstuvwxyz'), pick('23456789'), pick(SPECIAL)];
  while (chars.length < 16) chars.push(pick(ALPHABET));
  return chars.join('');
}

export function startAdversary(
  emulator: Emulator,
  plan: AdversaryPlan,
  values: SecretValues,
  random: () => number,
): { counts: AdversaryCounts; forged: ForgedEvent[] } {
  const counts: AdversaryCounts = { hostileFailures: 0, futureEvents: 0, staleEvents: 0, uncorroboratedEvents: 0 };
  const forged: ForgedEvent[] = [];
  const start = emulator.clock.now();
  const someTime = () => start + HOUR + Math.floor(random() * (plan.chaosDays * DAY - 2 * DAY));
  const names = emulator.kms.secretNames();
  const someSecret = () => names[Math.floor(random() * names.length)]!;
  const ids = { regionId: emulator.regionId, accountId: emulator.accountId };

  for (let i = 0; i < plan.hostileFailures; i++) {
    const name = someSecret();
    const value = strongValue(random);
    values.addValue(value);
    const message = HOSTILE_MESSAGES[i % HOSTILE_MESSAGES.length]!.template(value);
    // The secret's next rotation fails with the value in its message, as a careless driver would write it.
    emulator.clock.schedule(
      someTime(),
      () => {
        emulator.faults.add({
          Kind: 'RotationFailure',
          SecretName: name,
          ErrorCode: 'InternalFailure',
          ErrorMessage: message,
          Times: 1,
        });
        counts.hostileFailures += 1;
      },
      'adversary:hostile-failure',
    );
  }

  const forge =
    (kind: ForgedEvent['kind'], when: (view: { lastRotation?: number; now: number }) => number | undefined) => () => {
      const name = someSecret();
      const view = emulator.kms.getSecret(name);
      // An uncorroborated event is only one when the secret is healthy right now.
      if (!view || (kind === 'uncorroborated' && (view.AutomaticRotation !== 'Enabled' || view.rotating))) return;
      const now = emulator.clock.now();
      const at = when({ lastRotation: view.LastRotationDate ? Date.parse(view.LastRotationDate) : undefined, now });
      if (at === undefined) return;
      const secret = {
        name,
        type: view.SecretType,
        extendedConfig: view.ExtendedConfig ?? {},
      } as unknown as SecretRecord;
      emulator.bus.publish(
        rotationEvent(
          secret,
          { at, success: false, errorCode: 'InternalFailure', errorMessage: 'Internal Failure.' },
          ids,
        ),
      );
      forged.push({ kind, secretName: name, publishedAt: now, claimedAt: at });
      counts[kind === 'future' ? 'futureEvents' : kind === 'stale' ? 'staleEvents' : 'uncorroboratedEvents'] += 1;
    };
  for (let i = 0; i < plan.futureEvents; i++) {
    emulator.clock.schedule(
      someTime(),
      forge('future', ({ now }) => now + HOUR + Math.floor(random() * 365 * DAY)),
      'adversary:future-event',
    );
  }
  for (let i = 0; i < plan.staleEvents; i++) {
    emulator.clock.schedule(
      someTime(),
      forge('stale', ({ lastRotation }) =>
        lastRotation === undefined ? undefined : lastRotation - HOUR - Math.floor(random() * 2 * DAY),
      ),
      'adversary:stale-event',
    );
  }
  for (let i = 0; i < plan.uncorroboratedEvents; i++) {
    emulator.clock.schedule(
      someTime(),
      forge('uncorroborated', ({ now }) => now),
      'adversary:uncorroborated-event',
    );
  }
  return { counts, forged };
}
