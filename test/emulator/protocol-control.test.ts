import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../emulator/emulator';

async function control(emulator: ReturnType<typeof createEmulator>, method: string, path: string, body?: unknown) {
  const res = await emulator.fetch(
    new Request(`http://127.0.0.1/_emulator/${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  return { status: res.status, body: (await res.json()) as any };
}

describe('the control API', () => {
  it('seeds, advances the clock and reports secrets without values', async () => {
    const emulator = createEmulator({ now: '2026-01-01T00:00:00Z' });
    const seeded = await control(emulator, 'POST', 'seed', {
      Secrets: [
        {
          SecretName: 'm',
          SecretType: 'Rds',
          SecretData: '{"Accounts":[{"AccountName":"u","AccountPassword":"TopSecret-1"}]}',
          ExtendedConfig: { SecretSubType: 'SingleUser', DBInstanceId: 'rm-1' },
          EnableAutomaticRotation: true,
          RotationInterval: '1d',
        },
      ],
    });
    expect(seeded).toMatchObject({ status: 200, body: { secrets: 1 } });
    const advanced = await control(emulator, 'POST', 'advance', { ms: 86_400_000 });
    expect(advanced.body.iso).toBe('2026-01-02T00:00:00.000Z');
    const secrets = await control(emulator, 'GET', 'secrets');
    expect(secrets.body.secrets[0].rotationHistory).toHaveLength(1);
    expect(JSON.stringify(secrets.body)).not.toContain('TopSecret-1');
    const events = await control(emulator, 'GET', 'events');
    expect(events.body.events[0].event.type).toBe('kms:CloudMonitor:Secret[RotateSecret:Success]');
    expect((await control(emulator, 'GET', 'now')).body.now).toBe(Date.parse('2026-01-02T00:00:00Z'));
  });

  it('answers a bad seed with 400 and every problem', async () => {
    const emulator = createEmulator();
    const res = await control(emulator, 'POST', 'seed', {
      Secrets: [{ SecretName: 'a' }, { SecretName: 'b', RotationInterval: '1y', SecretData: 'x' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.Problems).toHaveLength(2);
  });

  it('sets, lists and clears faults', async () => {
    const emulator = createEmulator();
    const added = await control(emulator, 'POST', 'faults', [
      { Kind: 'Throttle', Group: 'read', Id: 't1' },
      { Kind: 'Latency', Ms: 5 },
    ]);
    expect(added.body.ids).toEqual(['t1', 'fault-1']);
    expect((await control(emulator, 'POST', 'faults', { Kind: 'Nope' })).status).toBe(400);
    await control(emulator, 'DELETE', 'faults/t1');
    expect((await control(emulator, 'GET', 'faults')).body.faults.map((f: any) => f.Kind)).toEqual(['Latency']);
    await control(emulator, 'DELETE', 'faults');
    expect((await control(emulator, 'GET', 'faults')).body.faults).toEqual([]);
  });

  it('deletes an AccessKey and marks a rotation target deleted', async () => {
    const emulator = createEmulator({
      seed: {
        AccessKeys: [{ AccessKeyId: 'LTAI5tGone', AccessKeySecret: 's' }],
        Secrets: [{ SecretName: 'g', SecretData: 'x' }],
      },
    });
    expect((await control(emulator, 'DELETE', 'access-keys/LTAI5tGone')).status).toBe(200);
    expect(emulator.auth.lookup('LTAI5tGone')).toBeUndefined();
    await control(emulator, 'POST', 'targets', { SecretName: 'g', Deleted: true });
    expect(emulator.kms.getSecret('g')?.deletedTarget).toBe(true);
  });

  it('serves the read-outs of the other services', async () => {
    const emulator = createEmulator();
    for (const path of ['calls', 'actiontrail', 'notifications', 'custom-events', 'metrics', 'invocations']) {
      expect((await control(emulator, 'GET', path)).status).toBe(200);
    }
    expect((await control(emulator, 'GET', 'nothing-here')).status).toBe(404);
  });
});
