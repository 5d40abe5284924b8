import { describe, expect, it } from 'vitest';
import { runEmulator } from '../../cli/commands/emulator';
import type { CliIo } from '../../cli/types';

describe('kro emulator', () => {
  it('prints one readiness line with the URL, serves requests, and stops cleanly', async () => {
    const out: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let ready!: (url: string) => void;
    const listening = new Promise<string>((resolve) => (ready = resolve));
    const io: CliIo = {
      stdout: (text) => {
        out.push(text);
        const m = /^emulator listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(text);
        if (m) ready(m[1] as string);
      },
      stderr: (text) => out.push(text),
      isTTY: false,
      env: {},
    };
    const exit = runEmulator(['--port', '0', '--speed', '60'], io, () => stopped);
    const url = await listening;
    expect(out[0]).toBe(`emulator listening on ${url}\n`);
    expect(out.join('')).toContain('LTAI5tEmulatorDefaultKey');
    const now = await fetch(`${url}/_emulator/now`);
    expect(now.status).toBe(200);
    stop();
    expect(await exit).toBe(0);
    await expect(fetch(`${url}/_emulator/now`)).rejects.toThrow();
  });

  it('refuses a bad option value as a usage error', async () => {
    const io: CliIo = { stdout: () => undefined, stderr: () => undefined, isTTY: false, env: {} };
    await expect(runEmulator(['--port', 'x'], io, async () => undefined)).rejects.toThrow(/--port/);
  });
});
