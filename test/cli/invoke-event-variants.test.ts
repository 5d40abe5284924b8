/**
 * `kro invoke on-event --event <file>` on every published event variant (test/fixtures/events/):
 * each one is parsed and processed by the real handler against the emulator; none is rejected.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runInvoke } from '../../cli/commands/invoke';
import { createEmulator, type Emulator } from '../../emulator/emulator';
import { deployLocal, type LocalDeployment } from '../../emulator/runtime';
import { recordingIo } from './cli-io';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'events');
const FILES = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .sort();

let emulator: Emulator | undefined;
let deployment: LocalDeployment | undefined;

afterEach(async () => {
  await deployment?.close();
  await emulator?.close();
  deployment = undefined;
  emulator = undefined;
});

/** The secrets the fixtures name, a minute after the fixtures' events. */
function fleet(): Emulator {
  return createEmulator({
    now: '2026-11-22T11:31:00Z',
    quotas: false,
    seed: {
      Secrets: [
        {
          SecretName: 'prod/orders-db',
          SecretType: 'Rds',
          SecretData: JSON.stringify({
            Accounts: [{ AccountName: 'orders', AccountPassword: 'Zq8-not-a-real-password-41' }],
          }),
          ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-bp1orders01' },
          EnableAutomaticRotation: true,
          RotationInterval: '7d',
          LastRotationDate: '2026-11-15T11:30:00Z',
          Tags: { env: 'production' },
        },
        {
          SecretName: 'acs/ecs/prod/web-01/root',
          SecretType: 'ECS',
          SecretData: JSON.stringify({ UserName: 'root', Password: 'Wq3-not-a-real-password-77' }),
          ExtendedConfig: { SecretSubType: 'Password', RegionId: 'cn-hangzhou', InstanceId: 'i-bp1web01' },
          EnableAutomaticRotation: true,
          RotationInterval: '30d',
          LastRotationDate: '2026-11-01T00:00:00Z',
          Tags: { env: 'production' },
        },
        { SecretName: 'prod/webhook-key', SecretData: '{"token":"tok-not-real"}', Tags: { env: 'production' } },
      ],
    },
  });
}

describe('kro invoke on-event with every published event variant', () => {
  it('has a fixture for each variant', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(9);
  });

  it.each(FILES)('%s is parsed and processed, not rejected', { timeout: 30_000 }, async (file) => {
    emulator = fleet();
    await emulator.ready;
    deployment = await deployLocal(emulator, { functionEnv: { KRO_VERIFY: 'false' } });
    const { io, stdout, stderr } = recordingIo();

    const status = await runInvoke(
      ['on-event', '--event', path.join(FIXTURES, file), '--endpoint', deployment.endpoint],
      io,
    );

    expect(stderr()).not.toMatch(/event skipped|malformed|another account/);
    expect(status).toBe(0);
    expect(JSON.parse(stdout())).toMatchObject({ received: 1, processed: 1, rejected: 0, failed: 0 });
    expect(stdout() + stderr()).not.toMatch(/not-a-real-password|tok-not-real/);
  });
});
