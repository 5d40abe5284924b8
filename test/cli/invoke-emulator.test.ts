import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runInvoke } from '../../cli/commands/invoke';
import { createEmulator, type Emulator } from '../../emulator/emulator';
import { deployLocal, type LocalDeployment } from '../../emulator/runtime';
import { recordingIo } from './cli-io';

const EVENT_FILE = path.resolve(__dirname, '..', '..', 'deploy', 'examples', 'rotation-failure-event.json');
const SECRET_VALUE = JSON.stringify({ AccountName: 'orders_app', AccountPassword: 'Zq8-not-a-real-password-41' });

let emulator: Emulator;
let deployment: LocalDeployment | undefined;

afterEach(async () => {
  await deployment?.close();
  await emulator?.close();
});

describe('kro invoke with the real handlers', () => {
  it('opens an episode for the documented rotation-failure event and sends the alert from that invocation, with no flush', async () => {
    // The secret of deploy/examples/rotation-failure-event.json, a few minutes after its failure.
    emulator = createEmulator({
      now: '2026-11-22T11:31:00Z',
      quotas: false,
      seed: {
        Secrets: [
          {
            SecretName: 'rds-prod-orders',
            SecretType: 'Rds',
            SecretData: SECRET_VALUE,
            ExtendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-bp1orders01' },
            EnableAutomaticRotation: true,
            RotationInterval: '7d',
            LastRotationDate: '2026-11-15T11:30:00Z',
            Tags: { env: 'production' },
            // The rotation that fell due at 11:30 fails, as the event says (kro invoke runs on the emulator's clock).
            Faults: [{ Kind: 'RotationFailure', ErrorCode: 'InternalError', Times: 1 }],
          },
        ],
      },
    });
    await emulator.ready;
    // Deployed so that the flush on-event schedules has a sweep function to run in.
    deployment = await deployLocal(emulator, { functionEnv: { KRO_VERIFY: 'false' } });
    const { io, stdout, stderr } = recordingIo();

    const status = await runInvoke(['on-event', '--event', EVENT_FILE, '--endpoint', deployment.endpoint], io);

    expect(stderr()).toContain('invoking kro-on-event');
    expect(status).toBe(0);
    expect(JSON.parse(stdout())).toMatchObject({ processed: 1, alertsSent: 1 });
    expect(emulator.kms.getSecret('rds-prod-orders')?.Tags['kro-state']).toBeTruthy();
    const failuresNow = () =>
      emulator.cms
        .customEvents()
        .filter((e) => e.name === 'KmsRotationFailed' && e.content.includes('rds-prod-orders'));
    // The leading edge: delivered by the invocation itself, before any flush ran.
    expect(failuresNow()).toHaveLength(1);
    expect(emulator.fc.invocations().filter((i) => i.functionName === 'kro-sweep')).toEqual([]);

    await emulator.clock.advance(5 * 60_000);
    const failures = failuresNow();
    expect(failures).toHaveLength(1);
    expect(stdout() + stderr() + failures[0]?.content).not.toContain('Zq8-not-a-real-password-41');
  });
});
