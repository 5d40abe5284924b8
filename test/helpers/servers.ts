/**
 * The real servers probe tests log in to (issue 7). On CI (CI=true) a missing server fails the
 * test file; elsewhere the tests skip with one line saying which server is missing and how to
 * start it. Also: unique account names, and two deliberately unhelpful servers (a closed port and
 * a server that accepts connections and never answers) for timeout tests.
 */
import { randomBytes } from 'node:crypto';
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { portAnswers } from '../../shared/port-answers';
import type { ServerBinding } from '../../emulator/services/contracts';

export type ServerKind = 'postgresql' | 'mysql' | 'redis';

export const SERVERS: Readonly<Record<ServerKind, { name: string; binding: ServerBinding; start: string }>> = {
  postgresql: {
    name: 'PostgreSQL',
    binding: { Engine: 'postgresql', Host: '127.0.0.1', Port: 5432 },
    start: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  },
  mysql: {
    name: 'MariaDB',
    binding: { Engine: 'mysql', Host: '127.0.0.1', Port: 3306 },
    start: 'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd',
  },
  redis: {
    name: 'Redis',
    binding: { Engine: 'redis', Host: '127.0.0.1', Port: 6379 },
    start: 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no',
  },
};

const checked = new Map<ServerKind, Promise<boolean>>();

/**
 * Resolves true when the server answers on its port. Without it: throws when CI=true, otherwise
 * prints one line and resolves false (use with describe.skipIf).
 */
export async function requireServer(kind: ServerKind): Promise<boolean> {
  let check = checked.get(kind);
  if (!check) {
    check = portAnswers(SERVERS[kind].binding.Host, SERVERS[kind].binding.Port);
    checked.set(kind, check);
  }
  if (await check) return true;
  const { name, binding, start } = SERVERS[kind];
  const line = `${name} is not running on ${binding.Host}:${binding.Port}; start it with: ${start}`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${line}`);
  console.warn(`[skipped] ${line}`);
  return false;
}

/** A name no other test (or test run) uses: lower case, valid for PostgreSQL, MariaDB and Redis. */
export function uniqueAccountName(prefix = 'kro_t'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A server that accepts connections and never sends a byte: the worst case for a client. */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
