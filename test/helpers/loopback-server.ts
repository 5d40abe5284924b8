/**
 * A scripted HTTP server on 127.0.0.1 (port 0) that records every request, for contract tests of
 * the real SDK clients: what went on the wire, and what the client made of the scripted reply.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAlibabaClients, type RetryPolicy } from '../../shared/adapters/alibaba';
import { loadConfig } from '../../shared/config';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  /** x-acs-action, or the Action query parameter of signature-v1 clients. */
  action?: string;
}

export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  /** Drop the connection without answering (a reset). */
  destroy?: boolean;
  /** Never answer (a read timeout on the client's side). */
  hang?: boolean;
}

export type Responder = (request: RecordedRequest) => ScriptedReply;

export interface LoopbackServer {
  /** host:port, the form KRO_ENDPOINT takes. */
  endpoint: string;
  requests: RecordedRequest[];
  /** Answers in order; when the queue is empty the fallback answers. */
  enqueue(...replies: ScriptedReply[]): void;
  setFallback(responder: Responder): void;
  close(): Promise<void>;
}

export async function startLoopbackServer(
  fallback: Responder = () => ({ body: { RequestId: 'req-default' } }),
): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptedReply[] = [];
  let respond = fallback;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams.entries()),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const action = req.headers['x-acs-action'] ?? url.searchParams.get('Action') ?? undefined;
      if (typeof action === 'string') recorded.action = action;
      requests.push(recorded);
      const reply = queue.shift() ?? respond(recorded);
      if (reply.hang) return;
      if (reply.destroy) {
        req.socket.destroy();
        return;
      }
      const isText = typeof reply.body === 'string';
      res.writeHead(reply.status ?? 200, {
        'content-type': isText ? 'text/plain' : 'application/json;charset=utf-8',
        'x-acs-request-id': 'req-loopback',
        ...reply.headers,
      });
      res.end(isText ? (reply.body as string) : JSON.stringify(reply.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    setFallback: (responder) => {
      respond = responder;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A clock whose sleep records the wait and moves time without waiting. */
export function recordingClock(start = Date.UTC(2026, 10, 22, 12, 0, 0)) {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

export const TEST_KEY = { accessKeyId: 'LTAI5tTestKeyId', accessKeySecret: 'test-key-secret-value' };

/** The real clients pointed at the server, with pacing off and a recording clock; `retryPolicy` changes API_RETRY_POLICY. */
export function clientsFor(
  server: LoopbackServer,
  env: Record<string, string> = {},
  retryPolicy?: Partial<RetryPolicy>,
) {
  const clock = recordingClock();
  const config = loadConfig({
    KRO_ENDPOINT: server.endpoint,
    KRO_PACING: 'false',
    KRO_ACCOUNT_ID: '1234567890123456',
    ...env,
  });
  // Mid-range jitter keeps the delays non-zero and predictable.
  const clients = createAlibabaClients({ config, credentials: TEST_KEY, clock, random: () => 0.5, retryPolicy });
  return { clients, clock, config };
}
