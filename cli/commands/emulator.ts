/**
 * `kro emulator`: the local cloud as a standalone server. Prints exactly one readiness line, then
 * the default key, account and region; the clock starts at the seed's `Now` (else the real time)
 * and follows real time (times --speed); SIGINT or SIGTERM closes it cleanly. `--deploy` deploys
 * s.yaml into it as `npm start` does (emulator/runtime): the three functions, their timer and
 * EventBridge triggers, async configs, so `kro invoke --endpoint` behaves like the deployed product.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createEmulator, DEFAULT_ACCESS_KEY } from '../../emulator/emulator';
import { deployLocal, PROJECT_ROOT, type LocalDeployment } from '../../emulator/runtime';
import { parseSeed, SeedError } from '../../emulator/seed';
import type { CredentialBackend } from '../../emulator/services/contracts';
import { parseArgs, stringOption, UsageError } from '../args';
import type { CliCommand, CliIo, CliOption } from '../types';
import { runSetup } from './setup';

const OPTIONS: CliOption[] = [
  { flag: '--port P', description: 'port to listen on (0 = any free port; default 8790)' },
  { flag: '--host H', description: 'address to bind (default 127.0.0.1)' },
  { flag: '--seed FILE', description: 'a seed file (JSON; see emulator/README.md)' },
  { flag: '--speed X', description: 'simulated seconds per real second (default 1)' },
  { flag: '--no-verify', description: 'accept requests without checking signatures' },
  {
    flag: '--deploy',
    description: 'deploy s.yaml into the emulator (functions, timers, EventBridge triggers), as s deploy would',
  },
  { flag: '--s-yaml PATH', description: 'the s.yaml --deploy deploys (default: ./s.yaml of the project)' },
];

/** The port everything local uses by default (deploy/README.md, emulator/README.md). */
export const DEFAULT_PORT = 8790;

function numberOption(
  value: string | undefined,
  name: string,
  fallback: number,
  check: (n: number) => boolean,
): number {
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

/**
 * What s.yaml's pre-deploy action does after the build: `kro setup` (role, rendered policy, alert
 * routing), here with the emulator's own root key, so the functions run under the policy setup
 * renders and alarm rules turn alerts into notifications. Without recipients it still sets up
 * (the local deployment is for trying things) and says that alarms notify nobody.
 */
async function setUpDeployment(endpoint: string, region: string, io: CliIo): Promise<{ status: number; line: string }> {
  const env = Object.fromEntries(Object.entries(io.env).filter(([key]) => !CREDENTIAL_VARIABLES.has(key)));
  const lines: string[] = [];
  const quiet: CliIo = { ...io, env, stdout: (text) => void lines.push(text), stderr: (text) => void lines.push(text) };
  const hasRecipient = Boolean(env.KRO_ALERT_MAIL || env.KRO_ALERT_DINGTALK_WEBHOOK);
  const status = await runSetup(
    ['--endpoint', endpoint, '--region', region, ...(hasRecipient ? [] : ['--no-recipients'])],
    quiet,
  );
  if (status !== 0) io.stderr(`kro emulator: setting up the deployment failed:\n${lines.join('')}`);
  return {
    status,
    line: `  setup           role and policy in RAM, alarm rules in CloudMonitor${hasRecipient ? '' : ' (no KRO_ALERT_MAIL: notifying nobody)'}\n`,
  };
}

/** The deployer's key is for the cloud; the emulator's setup runs with the emulator's own key. */
const CREDENTIAL_VARIABLES = new Set([
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_SECURITY_TOKEN',
  'AccessKeyID',
  'AccessKeySecret',
  'SecurityToken',
]);

/** Runs until `stopped` resolves (a signal by default); exported so tests can stop it. */
export async function runEmulator(
  argv: string[],
  io: CliIo,
  stopped: () => Promise<void> = waitForSignal,
): Promise<number> {
  const parsed = parseArgs(argv, OPTIONS);
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
  const port = numberOption(
    stringOption(parsed, 'port'),
    'port',
    DEFAULT_PORT,
    (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
  );
  const speed = numberOption(stringOption(parsed, 'speed'), 'speed', 1, (n) => n > 0);
  const host = stringOption(parsed, 'host') ?? '127.0.0.1';
  const seedFile = stringOption(parsed, 'seed');

  let seed: unknown;
  if (seedFile) {
    try {
      seed = parseSeed(await readFile(seedFile, 'utf8'));
    } catch (error) {
      io.stderr(
        `kro emulator: ${seedFile}: ${error instanceof SeedError ? error.message : (error as Error).message}\n`,
      );
      return 1;
    }
  }
  const hasBacking = ((seed as { Secrets?: Array<{ Backing?: unknown }> } | undefined)?.Secrets ?? []).some(
    (s) => s.Backing,
  );
  let backend: CredentialBackend | undefined;
  if (hasBacking) {
    const mod = await import('../../emulator/backends');
    backend = mod.createCredentialBackend();
  }

  // The seed's Now, when it has one, is when its dates make sense; otherwise today.
  const seedNow = (seed as { Now?: string } | undefined)?.Now;
  const emulator = createEmulator({
    seed,
    verifySignatures: parsed.options['no-verify'] !== true,
    backend,
    now: seedNow ?? Date.now(),
  });
  // Listening for the signals before the port is open: a signal right after the readiness line
  // must close the server, not kill the process with the port still held.
  const stopSignal = stopped();
  let deployment: LocalDeployment | undefined;
  let setupLine = '';
  try {
    const server = await emulator.listen({ port, host });
    if (parsed.options.deploy === true) {
      deployment = await deployLocal(emulator, {
        sYamlPath: path.resolve(stringOption(parsed, 's-yaml') ?? path.join(PROJECT_ROOT, 's.yaml')),
        env: io.env,
        // Handlers reach the emulator where it listens (a wildcard bind is reached on loopback).
        endpoint: `127.0.0.1:${server.port}`,
        writeLine: (line) => io.stderr(`${line}\n`),
      });
      const setup = await setUpDeployment(`127.0.0.1:${server.port}`, emulator.regionId, io);
      if (setup.status !== 0) return setup.status;
      setupLine = setup.line;
    }
    const stopFollowing = emulator.clock.follow(speed);
    io.stdout(`emulator listening on ${server.url}\n`);
    io.stdout(`  AccessKeyId     ${emulator.defaultAccessKey.accessKeyId}\n`);
    io.stdout(`  AccessKeySecret ${emulator.defaultAccessKey.accessKeySecret}\n`);
    io.stdout(`  AccountId       ${emulator.accountId}\n`);
    io.stdout(`  RegionId        ${emulator.regionId}\n`);
    io.stdout(`  endpoint        127.0.0.1:${server.port} (protocol http); control API ${server.url}/_emulator/\n`);
    io.stdout(`  clock           ${new Date(emulator.clock.now()).toISOString()} (x${speed})\n`);
    for (const fn of deployment?.functions ?? []) {
      const triggers = [
        ...fn.timers.map((t) => `timer ${t.cronExpression}`),
        ...fn.subscriptions.map((s) => `EventBridge ${s.split('/')[1]}`),
      ];
      io.stdout(`  deployed        ${fn.functionName}${triggers.length ? ` (${triggers.join(', ')})` : ''}\n`);
    }
    io.stdout(setupLine);
    await stopSignal;
    stopFollowing();
    return 0;
  } finally {
    await deployment?.close();
    await emulator.close();
    await backend?.close();
  }
}

export const command: CliCommand = {
  name: 'emulator',
  summary: 'run the local cloud (KMS, ActionTrail, EventBridge, CloudMonitor, FC, STS) on 127.0.0.1',
  usage: 'emulator [--port P] [--host H] [--seed FILE] [--speed X] [--no-verify] [--deploy [--s-yaml PATH]]',
  options: OPTIONS,
  run: (argv, io) => runEmulator(argv, io),
};

export { DEFAULT_ACCESS_KEY };
