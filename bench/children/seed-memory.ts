/** Seeds BENCH_SECRETS fleet secrets into a fresh emulator and reports its memory after a full GC. */
import { createEmulator } from '../../emulator/emulator';
import { printResult } from '../child';
import { fleetSeed } from '../fleet';

async function main(): Promise<void> {
  const count = Number(process.env.BENCH_SECRETS ?? 100_000);
  const now = Date.now();
  const started = performance.now();
  const emulator = createEmulator({ seed: fleetSeed(count, now), now });
  await emulator.ready;
  const seedMs = performance.now() - started;
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  printResult({ secrets: emulator.kms.secretNames().length, heapMb: heapUsed / 2 ** 20, rssMb: rss / 2 ** 20, seedMs });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
