/**
 * A hard stop around a probe. The drivers' own timeouts cover most hangs, but not every phase
 * (a TLS handshake, a server that accepts and never answers after the greeting), and a probe
 * must end within its budget whatever the server does. Real timers: the network is real time
 * even when the business clock is simulated.
 */
export const EXPIRED = Symbol('expired');

export async function withDeadline<T>(ms: number, work: Promise<T>, onExpire: () => void): Promise<T | typeof EXPIRED> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<typeof EXPIRED>((resolve) => {
    timer = setTimeout(() => {
      onExpire();
      resolve(EXPIRED);
    }, ms);
    timer.unref?.();
  });
  try {
    return await Promise.race([work, expiry]);
  } finally {
    clearTimeout(timer);
  }
}

/** Ends a connection politely within a short time, else destroys it: a probe never leaks a socket. */
export async function closeQuietly(end: () => Promise<unknown>, destroy: () => void, ms = 1_000): Promise<void> {
  const ended = await withDeadline(
    ms,
    end().then(
      () => true,
      () => false,
    ),
    () => undefined,
  );
  if (ended !== true) destroy();
}
