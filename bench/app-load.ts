/**
 * Load from outside the orchestrator: requests signed beforehand (RPC v1, as the KMS SDK signs;
 * the emulator verifies every signature), sent over keep-alive HTTP. The emulator bench uses it
 * closed-loop for throughput; the quota bench uses it open-loop as "the customer's application".
 */
import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { percentEncode, signatureV1, wireTimestamp } from '../emulator/protocol/signature';

export interface SigningKey {
  accessKeyId: string;
  accessKeySecret: string;
}

/** Signed KMS RPC v1 query strings for `action` on each name in turn, built before any clock starts. */
export function signedPaths(count: number, action: string, key: SigningKey, secretNames: readonly string[]): string[] {
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const params: Record<string, string> = {
      Action: action,
      Format: 'JSON',
      Version: '2016-01-20',
      AccessKeyId: key.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID().replace(/-/g, ''),
      SignatureVersion: '1.0',
      Timestamp: wireTimestamp(Date.now()),
      SecretName: secretNames[i % secretNames.length] ?? '',
    };
    params.Signature = signatureV1(params, 'POST', key.accessKeySecret);
    paths.push(
      `/?${Object.keys(params)
        .map((k) => `${percentEncode(k)}=${percentEncode(params[k] ?? '')}`)
        .join('&')}`,
    );
  }
  return paths;
}

export function post(agent: Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = request(
      { agent, host: '127.0.0.1', port, method: 'POST', path, headers: { 'content-length': '0' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    r.on('error', reject);
    r.end();
  });
}

export interface AppLoad {
  /** Stops sending; resolves when every request sent has been answered. */
  stop(): Promise<{ sent: number; ok: number; throttled: number; failed: number }>;
}

/** How often the open-loop generator wakes up to send its share of the rate. */
const TICK_MS = 10;

/**
 * An application calling at a steady `perSecond`, open loop (a slow answer does not slow the next
 * request, as independent application instances behave), until stopped or `paths` run out.
 */
export function startAppLoad(port: number, paths: readonly string[], perSecond: number): AppLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const counts = { sent: 0, ok: 0, throttled: 0, failed: 0 };
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const timer = setInterval(() => {
    const due = Math.min(paths.length, Math.floor(((performance.now() - started) * perSecond) / 1000));
    while (counts.sent < due) {
      const path = paths[counts.sent++] ?? '/';
      const p = post(agent, port, path).then(
        (status) =>
          void (status === 200 ? (counts.ok += 1) : status === 429 ? (counts.throttled += 1) : (counts.failed += 1)),
        () => void (counts.failed += 1),
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
  }, TICK_MS);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
      agent.destroy();
      return { ...counts };
    },
  };
}
