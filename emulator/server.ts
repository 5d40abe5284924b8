/** A thin node:http wrapper around the app; 127.0.0.1 unless told otherwise. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DropConnectionSignal, type RawHttpRequest, type RawHttpResponse } from './protocol/http';

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

export async function startServer(
  handle: (req: RawHttpRequest) => Promise<RawHttpResponse>,
  options: { port?: number; host?: string } = {},
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  // RPC SDKs put every parameter in the query string: a PutCustomEvent with a grouped alert
  // (content up to 500 KB, URL-encoded) overflows Node's 16 KB header limit, and Node answers
  // 431 with an empty body, which the cloud's gateway does not do.
  const server = createServer({ maxHeaderSize: 4 * 1024 * 1024 }, (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        const body = await readBody(req);
        const reply = await handle({
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: headersOf(req),
          body,
          remoteAddress: req.socket.remoteAddress,
        });
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
      } catch (error) {
        if (error instanceof DropConnectionSignal) {
          req.socket.destroy();
          return;
        }
        res.writeHead(500, { 'content-type': 'application/json;charset=utf-8' });
        res.end(JSON.stringify({ Code: 'InternalFailure', Message: 'Internal Failure.' }));
      }
    })();
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    host,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
