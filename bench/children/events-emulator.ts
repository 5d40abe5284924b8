/**
 * The events bench's cloud, alone in its process: an emulator (quotas off) seeded with
 * BENCH_SECRETS fleet secrets, the event mix made from it (written to BENCH_EVENTS_FILE), and
 * s.yaml deployed into it so FC knows the functions (the flush request is an InvokeFunction) and
 * the role exists. The handlers themselves run in the parent: this process only answers their
 * calls, so the two do not share a core. Prints `RESULT {...}` once listening; serves until
 * SIGTERM. The call log is read through the control API (GET /_emulator/calls).
 */
import { writeFileSync } from 'node:fs';
import { createEmulator } from '../../emulator/emulator';
import { deployLocal } from '../../emulator/runtime';
import { printResult } from '../child';
import { eventMix } from '../event-mix';
import { fleetSeed } from '../fleet';

export interface EventsEmulatorInfo {
  now: number;
  accountId: string;
  regionId: string;
  counts: Record<string, number>;
  /** The on-event function as deployed: its environment (KRO_ENDPOINT is this process) and source directory. */
  onEvent: {
    functionName: string;
    sourceDir: string;
    env: Record<string, string>;
    timeoutSeconds: number;
    /** s.yaml's instanceConcurrency: how many requests share one instance. */
    instanceConcurrency: number;
  };
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken: string };
}

const ON_EVENT = 'kro-on-event';

async function main(): Promise<void> {
  const now = Number(process.env.BENCH_START ?? Date.now());
  const file = process.env.BENCH_EVENTS_FILE;
  if (!file) throw new Error('BENCH_EVENTS_FILE is not set');
  const emulator = createEmulator({
    seed: fleetSeed(Number(process.env.BENCH_SECRETS ?? 1000), now),
    now,
    quotas: false,
  });
  await emulator.ready;
  const mix = await eventMix(emulator, Number(process.env.BENCH_EVENTS ?? 10_000));
  writeFileSync(file, JSON.stringify(mix.events));
  // Handlers that never run here: async invocations wait on the simulated clock, which stays still.
  const deployment = await deployLocal(emulator, {
    loadFactory: async () => () => async () => {
      throw new Error('the events bench runs handlers in the parent process');
    },
  });
  const onEvent = deployment.functions.find((f) => f.functionName === ON_EVENT);
  if (!onEvent?.roleName) throw new Error(`s.yaml has no ${ON_EVENT} with a role`);
  const token = emulator.auth.issueStsToken({ roleName: onEvent.roleName, sessionName: ON_EVENT });
  const info: EventsEmulatorInfo = {
    now,
    accountId: emulator.accountId,
    regionId: emulator.regionId,
    counts: mix.counts,
    onEvent: {
      functionName: onEvent.functionName,
      sourceDir: onEvent.sourceDir,
      env: onEvent.runtimeEnv,
      timeoutSeconds: onEvent.timeoutSeconds,
      instanceConcurrency: onEvent.instanceConcurrency,
    },
    credentials: {
      accessKeyId: token.accessKeyId,
      accessKeySecret: token.accessKeySecret,
      securityToken: token.securityToken ?? '',
    },
  };
  printResult(info);
  process.on('SIGTERM', () => {
    void deployment
      .close()
      .then(() => emulator.close())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
