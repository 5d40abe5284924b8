/**
 * One run of a handler, the way FC 3.0 runs it (alibaba-cloud-apis.md §6.1): the event is a Buffer,
 * the context carries STS credentials of the function's role, and the timeout is enforced in REAL
 * time, because handlers do real I/O against the emulator; the simulated clock may not move at all
 * while a handler waits on a socket. A timed-out handler cannot be killed in-process: it keeps
 * running in the background and its late result is ignored.
 */
import type { FcContext } from '../../../shared/ports/runtime';
import type { AuthStore, LocalFunction } from '../contracts';

export type RunOutcome = { kind: 'ok'; result: unknown } | { kind: 'error'; errorType: string; errorMessage: string };

export interface RunSite {
  auth: AuthStore;
  accountId: string;
  regionId: string;
  /** The emulator clock; with it, role credentials are reused until an hour before they expire. */
  clock?: { now(): number };
}

type RoleCredentials = ReturnType<AuthStore['issueStsToken']>;
const REFRESH_BEFORE_EXPIRY_MS = 3_600_000;
const issued = new WeakMap<AuthStore, Map<string, RoleCredentials>>();

/**
 * FC hands a warm instance the same role credentials until they near expiry; a fresh token per run
 * would also grow the key ring (and every handler's registry of values to redact) without bound.
 */
function roleCredentials(fn: LocalFunction & { roleName: string }, site: RunSite): RoleCredentials {
  const byRole = issued.get(site.auth) ?? new Map<string, RoleCredentials>();
  issued.set(site.auth, byRole);
  const key = `${fn.roleName}/${fn.name}`;
  const cached = byRole.get(key);
  const now = site.clock?.now();
  if (
    cached &&
    now !== undefined &&
    Date.parse(cached.expiration) - now > REFRESH_BEFORE_EXPIRY_MS &&
    site.auth.lookup(cached.accessKeyId)
  )
    return cached;
  const fresh = site.auth.issueStsToken({ roleName: fn.roleName, sessionName: fn.name });
  byRole.set(key, fresh);
  return fresh;
}

export function contextFor(fn: LocalFunction, requestId: string, site: RunSite): FcContext {
  // Without a role FC hands the function empty credentials; with one, the role's current STS token.
  const credentials = fn.roleName
    ? roleCredentials({ ...fn, roleName: fn.roleName }, site)
    : { accessKeyId: '', accessKeySecret: '', securityToken: '' };
  return {
    requestId,
    credentials,
    function: { name: fn.name, handler: 'index.handler', memory: fn.memoryMb ?? 512, timeout: fn.timeoutSeconds },
    region: site.regionId,
    accountId: site.accountId,
  };
}

export async function runHandler(fn: LocalFunction, event: Buffer, context: FcContext): Promise<RunOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<RunOutcome>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          kind: 'error',
          errorType: 'FunctionTimeoutError',
          errorMessage: `Function timed out after ${fn.timeoutSeconds} seconds`,
        }),
      fn.timeoutSeconds * 1000,
    );
    timer.unref();
  });
  const run = (async (): Promise<RunOutcome> => {
    try {
      return { kind: 'ok', result: await fn.handler(event, context) };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      return { kind: 'error', errorType: e.name || 'Error', errorMessage: e.message };
    }
  })();
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** FC's reply body: a Buffer as is, a string as is, anything else JSON-encoded; nothing for undefined. */
export function encodeResult(result: unknown): Buffer {
  if (Buffer.isBuffer(result)) return result;
  if (result === undefined || result === null) return Buffer.alloc(0);
  if (typeof result === 'string') return Buffer.from(result);
  if (typeof result === 'object') return Buffer.from(JSON.stringify(result));
  return Buffer.from(String(result));
}

export function functionArn(site: RunSite, name: string): string {
  return `acs:fc:${site.regionId}:${site.accountId}:functions/${name}`;
}
