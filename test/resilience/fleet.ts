/**
 * The resilience suite's fleet: 2,000 managed secrets in the bench's realistic type mix, every one
 * within the production policy, with rotation intervals of 20-30 days so that 180 days hold about
 * 14,000 managed rotations (each one an EventBridge event through on-event). Generic secrets are
 * left out: they never rotate, so they would only add sweep cost. Deterministic per seed.
 */
import { fleetSecret, type FleetSecret } from '../../bench/fleet';
import { seededRandom } from '../../emulator/faults';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

export function resilienceFleet(count: number, now: number, seed: number): { Now: string; Secrets: FleetSecret[] } {
  const rng = seededRandom(seed);
  const secrets: FleetSecret[] = [];
  for (let i = 0; secrets.length < count; i++) {
    const secret = fleetSecret(i, now);
    if (secret.SecretType === 'Generic') continue;
    const days = 20 + Math.floor(rng() * 11);
    secret.RotationInterval = `${days}d`;
    // Spread the first rotations over the first interval so the load is even from day one.
    secret.LastRotationDate = iso(now - Math.floor(rng() * (days - 1) * DAY) - 3_600_000);
    secrets.push(secret);
  }
  return { Now: new Date(now).toISOString(), Secrets: secrets };
}
