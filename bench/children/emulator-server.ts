/**
 * An emulator alone in its process (quotas off), seeded with BENCH_SECRETS fleet secrets, so a
 * throughput run measures the emulator and not the load generator. Prints `RESULT {port, ...}`
 * once listening, serves until SIGTERM, then writes the CPU time it used on stderr.
 */
import { createEmulator } from '../../emulator/emulator';
import { printResult } from '../child';
import { fleetSeed } from '../fleet';

async function main(): Promise<void> {
  const now = Date.now();
  const emulator = createEmulator({
    seed: fleetSeed(Number(process.env.BENCH_SECRETS ?? 1000), now),
    now,
    quotas: false,
  });
  const server = await emulator.listen({ port: 0 });
  printResult({
    port: server.port,
    accessKeyId: emulator.defaultAccessKey.accessKeyId,
    accessKeySecret: emulator.defaultAccessKey.accessKeySecret,
    secretNames: emulator.kms.secretNames().slice(0, 100),
  });
  const stop = () => {
    const cpu = process.cpuUsage();
    process.stderr.write(`CPU ${JSON.stringify(cpu)}\n`);
    void emulator.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
