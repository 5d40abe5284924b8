import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInvoke, type InvokeDeps } from '../../cli/commands/invoke';
import { EMULATOR_ACCESS_KEY } from '../../cli/credentials';
import { DEFAULT_ACCESS_KEY } from '../../emulator/emulator';
import type { FcContext, HandlerRuntime } from '../../shared/ports/runtime';
import { recordingIo } from './cli-io';

const ROOT = path.resolve(__dirname, '..', '..');
const EVENT_FILE = path.join(ROOT, 'deploy', 'examples', 'rotation-failure-event.json');

/** A handler that records what it was built and called with, and logs one line. */
function recordingHandler(result: unknown = { ok: true }) {
  const seen: { runtime?: HandlerRuntime; event?: Buffer; context?: FcContext; sourceDir?: string } = {};
  const deps: InvokeDeps = {
    accountIdOf: () => Promise.resolve('1234567890123456'),
    loadFactory: (spec) => {
      seen.sourceDir = spec.sourceDir;
      return Promise.resolve((runtime: HandlerRuntime) => {
        seen.runtime = runtime;
        return (event: Buffer, context: FcContext) => {
          seen.event = event;
          seen.context = context;
          runtime.writeLine?.('{"level":"info","msg":"handled"}');
          return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
        };
      });
    },
  };
  return { seen, deps };
}

describe('kro invoke', () => {
  it('runs the function with its s.yaml environment against the emulator and prints result and logs', async () => {
    const { seen, deps } = recordingHandler({ episodesOpened: 1 });
    const { io, stdout, stderr } = recordingIo({ env: { KRO_DRY_RUN: 'true' } });
    const status = await runInvoke(['on-event', '--event', EVENT_FILE, '--endpoint', '127.0.0.1:8123'], io, deps);
    expect(status).toBe(0);
    expect(seen.sourceDir).toBe('on-event');
    expect(seen.runtime?.env).toMatchObject({
      KRO_DRY_RUN: 'true',
      KRO_SWEEP_CRON: '0 */10 * * * *',
      KRO_ACCOUNT_ID: '1234567890123456',
      KRO_ENDPOINT: '127.0.0.1:8123',
      KRO_PACING: 'false',
      FC_ACCOUNT_ID: '1234567890123456',
      FC_REGION: 'cn-hangzhou',
      FC_FUNCTION_NAME: 'kro-on-event',
    });
    expect(JSON.parse(seen.event?.toString('utf8') ?? '').type).toBe('kms:CloudMonitor:Secret[RotateSecret:Failure]');
    expect(seen.context).toMatchObject({
      credentials: EMULATOR_ACCESS_KEY,
      accountId: '1234567890123456',
      region: 'cn-hangzhou',
      function: { name: 'kro-on-event', handler: 'index.handler', memory: 256, timeout: 60 },
    });
    expect(JSON.parse(stdout())).toEqual({ episodesOpened: 1 });
    expect(stderr()).toContain('{"level":"info","msg":"handled"}');
  });

  it('reads the event from standard input with --event -', async () => {
    const { seen, deps } = recordingHandler();
    const { io } = recordingIo({
      stdin: '{"triggerTime":"2026-11-22T00:00:00Z","triggerName":"kro-sweep-timer","payload":"{}"}',
    });
    expect(await runInvoke(['sweep', '--event', '-', '--endpoint', '127.0.0.1:1'], io, deps)).toBe(0);
    expect(seen.context?.function).toMatchObject({ name: 'kro-sweep', timeout: 600 });
    expect(JSON.parse(seen.event?.toString('utf8') ?? '').triggerName).toBe('kro-sweep-timer');
    // Beside the deployed sweep, a handler run here takes the CLI's part of the KMS quota share.
    expect(seen.runtime?.quotaConsumer).toBe('cli');
  });

  it('uses the region given and the key in the environment', async () => {
    const { seen, deps } = recordingHandler();
    const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tSomeoneElse', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'their-secret' };
    const { io } = recordingIo({ env });
    expect(
      await runInvoke(
        ['kro-remediate', '--event', EVENT_FILE, '--endpoint', '127.0.0.1:1', '--region', 'cn-shanghai'],
        io,
        deps,
      ),
    ).toBe(0);
    expect(seen.context?.region).toBe('cn-shanghai');
    expect(seen.runtime?.env.KRO_REGION_ID).toBe('cn-shanghai');
    expect(seen.context?.credentials.accessKeyId).toBe('LTAI5tSomeoneElse');
  });

  it('exits 1 with the error when the handler fails', async () => {
    const { deps } = recordingHandler(new Error('CloudMonitor unavailable'));
    const { io, stderr, stdout } = recordingIo();
    expect(await runInvoke(['on-event', '--event', EVENT_FILE, '--endpoint', '127.0.0.1:1'], io, deps)).toBe(1);
    expect(stderr()).toContain('kro-on-event failed: CloudMonitor unavailable');
    expect(stdout()).toBe('');
  });

  it('names the known functions when the one asked for is not in s.yaml', async () => {
    const { deps } = recordingHandler();
    const { io } = recordingIo();
    await expect(runInvoke(['rotate', '--event', EVENT_FILE, '--endpoint', '127.0.0.1:1'], io, deps)).rejects.toThrow(
      'no function "rotate" in s.yaml; functions: sweep (kro-sweep), on-event (kro-on-event), remediate (kro-remediate)',
    );
  });

  it('uses the emulator’s documented default key with --endpoint', () => {
    expect(EMULATOR_ACCESS_KEY).toEqual(DEFAULT_ACCESS_KEY);
  });

  it('needs a function and an event', async () => {
    const { deps } = recordingHandler();
    await expect(runInvoke(['--event', EVENT_FILE], recordingIo().io, deps)).rejects.toThrow(/name the function/);
    await expect(runInvoke(['on-event'], recordingIo().io, deps)).rejects.toThrow('--event FILE|- is required');
  });
});
