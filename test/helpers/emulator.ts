/**
 * Emulator fixtures for tests: an in-process emulator with a signing caller, or one listening on
 * a random 127.0.0.1 port for the official clients. Both clean up after the test.
 */
import { onTestFinished } from 'vitest';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../emulator/emulator';
import { signedRequest, type RequestStyle } from '../../emulator/protocol/client';
import type { RunningServer } from '../../emulator/server';

export const VERSIONS = { kms: '2016-01-20', actiontrail: '2020-07-06', cms: '2019-01-01', sts: '2015-04-01' } as const;

export interface CallResult {
  status: number;
  body: Record<string, any>;
  headers: Headers;
}

export interface EmulatorFixture {
  emulator: Emulator;
  /** Signs with the default key (or the given one) and calls in-process. */
  call(
    action: string,
    params?: Record<string, string>,
    options?: {
      version?: string;
      style?: RequestStyle;
      key?: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
      timestamp?: number;
    },
  ): Promise<CallResult>;
}

export function emulatorFixture(options: EmulatorOptions = {}): EmulatorFixture {
  const emulator = createEmulator(options);
  return {
    emulator,
    async call(action, params = {}, o = {}) {
      const key = o.key ?? emulator.defaultAccessKey;
      const request = signedRequest({
        baseUrl: 'http://127.0.0.1:1',
        action,
        version: o.version ?? VERSIONS.kms,
        params,
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.accessKeySecret,
        securityToken: (key as { securityToken?: string }).securityToken,
        style: o.style,
        timestamp: o.timestamp,
      });
      const response = await emulator.fetch(request);
      return {
        status: response.status,
        body: (await response.json()) as Record<string, any>,
        headers: response.headers,
      };
    },
  };
}

/** Starts an emulator on a random port; closed automatically after the current test. */
export async function listeningEmulator(
  options: EmulatorOptions = {},
): Promise<{ emulator: Emulator; server: RunningServer; endpoint: string }> {
  const emulator = createEmulator(options);
  const server = await emulator.listen({ port: 0 });
  onTestFinished(async () => {
    await emulator.close();
  });
  return { emulator, server, endpoint: `127.0.0.1:${server.port}` };
}
