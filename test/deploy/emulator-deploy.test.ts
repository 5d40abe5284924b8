import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEmulator } from '../../cli/commands/emulator';
import { runInvoke } from '../../cli/commands/invoke';
import { PROJECT_ROOT } from '../../emulator/runtime';
import { recordingIo } from '../cli/cli-io';
import { alertFields } from '../../shared/domain/alert-text';

const SEED = path.join(PROJECT_ROOT, 'deploy', 'examples', 'seed.json');
const FAILURE_EVENT = path.join(PROJECT_ROOT, 'deploy', 'examples', 'rotation-failure-event.json');
const SWEEP_EVENT = path.join(PROJECT_ROOT, 'deploy', 'examples', 'sweep-timer-event.json');
const ENV = { KRO_ALERT_MAIL: 'secops@example.com' };
/** Simulated seconds per real second: the alert storm window (60 s) passes in about 2 s. */
const SPEED = '30';

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('kro emulator --deploy --seed deploy/examples/seed.json, then kro invoke', () => {
  it(
    "invoke on-event raises the alert in the emulator's CloudMonitor and pages; invoke sweep exits 0",
    { timeout: 90_000 },
    async () => {
      const emu = recordingIo({ env: ENV });
      let stop: () => void = () => undefined;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      const running = runEmulator(['--deploy', '--seed', SEED, '--port', '0', '--speed', SPEED], emu.io, () => stopped);
      try {
        const endpoint = await waitFor(
          'the emulator',
          async () => /listening on http:\/\/([\d.]+:\d+)/.exec(emu.stdout())?.[1] ?? undefined,
        );
        const deployed = await waitFor('the setup line', async () =>
          / setup /.test(emu.stdout()) ? emu.stdout() : undefined,
        );
        expect(deployed).toMatch(/deployed +kro-sweep \(timer/);
        expect(deployed).toMatch(/deployed +kro-on-event \(EventBridge/);
        // The clock starts at the seed's Now, not today.
        expect(deployed).toMatch(/clock +2026-11-22T11:3/);
        const control = async (route: string) =>
          (await fetch(`http://${endpoint}/_emulator/${route}`)).json() as Promise<Record<string, any>>;

        // Before the invocation nothing has alerted: the seeded failure is due only at 12:00, so the
        // alert below can come from `kro invoke` alone (the event is KMS's word: it pages, never rotates).
        const failedAlerts = async () =>
          ((await control('custom-events')).customEvents as Array<{ name: string; content: string }>).filter(
            (e) => e.name === 'KmsRotationFailed' && e.content.includes('rds-prod-orders'),
          );
        expect(await failedAlerts()).toEqual([]);

        const invoke = recordingIo({ env: ENV });
        expect(await runInvoke(['on-event', '--event', FAILURE_EVENT, '--endpoint', endpoint], invoke.io)).toBe(0);
        expect(JSON.parse(invoke.stdout())).toMatchObject({ processed: 1, failed: 0 });

        const alert = await waitFor('the alert', async () => {
          const { customEvents } = await control('custom-events');
          return (customEvents as Array<{ name: string; content: string }>).find(
            (e) => e.name === 'KmsRotationFailed' && e.content.includes('rds-prod-orders'),
          );
        });
        expect(alertFields(alert.content)).toMatchObject({
          secretName: 'rds-prod-orders',
          checkId: 'rotation-failed',
          status: 'opened',
        });
        const page = await waitFor('the notification', async () => {
          const { notifications } = await control('notifications');
          return (notifications as Array<{ eventName: string; channels: string[] }>).find(
            (n) => n.eventName === 'KmsRotationFailed',
          );
        });
        expect(page.channels).toContain('mail:secops@example.com');
        const { invocations } = await control('invocations');
        expect(
          (invocations as Array<{ error?: string }>).filter((i) => /FunctionNotFound|NoPermission/.test(i.error ?? '')),
        ).toEqual([]);

        const sweep = recordingIo({ env: ENV });
        expect(await runInvoke(['sweep', '--event', SWEEP_EVENT, '--endpoint', endpoint], sweep.io)).toBe(0);
        const { calls } = await control('calls');
        expect((calls as Array<{ code?: string }>).filter((c) => c.code === 'Forbidden.NoPermission')).toEqual([]);
        expect(emu.stderr()).not.toContain('example-only');
      } finally {
        stop();
        expect(await running).toBe(0);
      }
    },
  );
});
