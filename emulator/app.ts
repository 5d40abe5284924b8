/**
 * The emulator as a function of HTTP: `/_emulator/*` is the control API, everything else the cloud
 * protocol. fetch() is the in-process entry for tests; server.ts feeds node:http through handle().
 * It takes both as functions, so it knows neither the emulator nor the control API's routes
 * (emulator.ts composes them; no import cycle through here).
 */
import { DropConnectionSignal, type RawHttpRequest, type RawHttpResponse } from './protocol/http';

export interface EmulatorApp {
  handle(req: RawHttpRequest): Promise<RawHttpResponse>;
  fetch(request: Request): Promise<Response>;
}

export function createApp(deps: {
  /** The cloud protocol; waits for `ready`. */
  dispatch: (req: RawHttpRequest) => Promise<RawHttpResponse>;
  ready: Promise<void>;
  /** The control API under /_emulator/, served even before the seed is loaded. */
  control: (req: RawHttpRequest) => Promise<RawHttpResponse>;
}): EmulatorApp {
  async function handle(req: RawHttpRequest): Promise<RawHttpResponse> {
    if (req.url.startsWith('/_emulator/') || req.url === '/_emulator') return deps.control(req);
    await deps.ready;
    return deps.dispatch(req);
  }

  return {
    handle,
    async fetch(request: Request): Promise<Response> {
      const url = new URL(request.url);
      const headers: Record<string, string> = {};
      request.headers.forEach((value, key) => {
        headers[key] = value;
      });
      headers.host ??= url.host;
      const body = Buffer.from(await request.arrayBuffer());
      try {
        const res = await handle({ method: request.method, url: `${url.pathname}${url.search}`, headers, body });
        const payload = typeof res.body === 'string' ? res.body : new Uint8Array(res.body);
        return new Response(res.status === 204 || res.status === 304 ? null : payload, {
          status: res.status,
          headers: res.headers,
        });
      } catch (error) {
        // In-process, a dropped connection is what fetch reports for a reset socket.
        if (error instanceof DropConnectionSignal) throw new TypeError('fetch failed', { cause: error });
        throw error;
      }
    },
  };
}
