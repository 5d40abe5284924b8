/**
 * `kro emulator`: the local cloud as a standalone server. Prints exactly one readiness line, then
 * the default key, account and region; the clock follows real time (times --speed); SIGINT or
 * SIGTERM closes it cleanly.
 */
import { readFile } from 'node:fs/promises';
import { createEmulator, DEFAULT_ACCESS_KEY } from '../../emulator/emulator';
import { parseSeed, SeedError } from '../../emulator/seed';
import type { CredentialBackend } from '../../emulator/services/contracts';
import { parseArgs, stringOption, UsageError } from '../args';
import type { CliCommand, CliIo, CliOption } from '../types';

const OPTIONS: CliOption[] = [
  { flag: '--port P', description: 'port to listen on (0 = any free port; default 8790)' },
  { flag: '--host H', description: 'address to bind (default 127.0.0.1)' },
  { flag: '--seed FILE', description: 'a seed file (JSON; see emulator/README.md)' },
  { flag: '--speed X', description: 'simulated seconds per real second (default 1)' },
  { flag: '--no-verify', description: 'accept requests without checking signatures' },
];

function numberOption(value: string | undefined, name: string, fallback: number, check: (n: number) => boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`option --${name} got "${value}"`);
  return n;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** Runs until `stopped` resolves (a signal by default); exported so tests can stop it. */
export async function runEmulator(argv: string[], io: CliIo, stopped: () => Promise<void> = waitForSignal): Promise<number> {
  const parsed = parseArgs(argv, OPTIONS);
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
  const port = numberOption(stringOption(parsed, 'port'), 'port', 8790, (n) => Number.isInteger(n) && n >= 0 && n <= 65535);
  const speed = numberOption(stringOption(parsed, 'speed'), 'speed', 1, (n) => n > 0);
  const host = stringOption(parsed, 'host') ?? '127.0.0.1';
  const seedFile = stringOption(parsed, 'seed');

  let seed: unknown;
  if (seedFile) {
    try {
      seed = parseSeed(await readFile(seedFile, 'utf8'));
    } catch (error) {
      io.stderr(`kro emulator: ${seedFile}: ${error instanceof SeedError ? error.message : (error as Error).message}\n`);
      return 1;
    }
  }
  const hasBacking = ((seed as { Secrets?: Array<{ Backing?: unknown }> } | undefined)?.Secrets ?? []).some((s) => s.Backing);
  let backend: CredentialBackend | undefined;
  if (hasBacking) {
    const mod = await import('../../emulator/backends');
    backend = mod.createCredentialBackend();
  }

  const emulator = createEmulator({ seed, verifySignatures: parsed.options['no-verify'] !== true, backend, now: Date.now() });
  try {
    const server = await emulator.listen({ port, host });
    const stopFollowing = emulator.clock.follow(speed);
    io.stdout(`emulator listening on ${server.url}\n`);
    io.stdout(`  AccessKeyId     ${emulator.defaultAccessKey.accessKeyId}\n`);
    io.stdout(`  AccessKeySecret ${emulator.defaultAccessKey.accessKeySecret}\n`);
    io.stdout(`  AccountId       ${emulator.accountId}\n`);
    io.stdout(`  RegionId        ${emulator.regionId}\n`);
    io.stdout(`  endpoint        127.0.0.1:${server.port} (protocol http); control API ${server.url}/_emulator/\n`);
    await stopped();
    stopFollowing();
    await emulator.close();
    return 0;
  } finally {
    await backend?.close();
  }
}

export const command: CliCommand = {
  name: 'emulator',
  summary: 'run the local cloud (KMS, ActionTrail, EventBridge, CloudMonitor, FC, STS) on 127.0.0.1',
  usage: 'emulator [--port P] [--host H] [--seed FILE] [--speed X] [--no-verify]',
  options: OPTIONS,
  run: (argv, io) => runEmulator(argv, io),
};

export { DEFAULT_ACCESS_KEY };
