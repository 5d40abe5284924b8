/** Turns a driver's error into a reason an operator can act on, and says whether one retry may help. */
import type { ProbeResult, ProbeTarget } from './types';

const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const TRANSIENT_MESSAGE =
  /connection terminated unexpectedly|socket hang up|connection lost|server closed the connection/i;

export type ProbePhase = 'connect' | 'login' | 'query';

export function networkFailure(
  error: unknown,
  target: ProbeTarget,
  phase: ProbePhase,
  timeoutMs: number,
): ProbeResult | undefined {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const where = `${target.host}:${target.port}`;
  if (code === 'ECONNREFUSED')
    return {
      ok: false,
      reason: `connection refused by ${where} (nothing listens there, or a firewall rejects the function's address)`,
    };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return { ok: false, reason: `host ${target.host} cannot be resolved from the function` };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return { ok: false, reason: `${where} is unreachable from the function (is it in the database's VPC?)` };
  if (code === 'ETIMEDOUT' || /timed? ?out|timeout/i.test(message)) {
    return { ok: false, reason: timeoutReason(target, phase, timeoutMs) };
  }
  if ((typeof code === 'string' && TRANSIENT_CODES.has(code)) || TRANSIENT_MESSAGE.test(message)) {
    return { ok: false, reason: `connection to ${where} was cut: ${message}`, transient: true };
  }
  return undefined;
}

export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

export function timeoutReason(target: ProbeTarget, phase: ProbePhase, timeoutMs: number): string {
  const where = `${target.host}:${target.port}`;
  if (phase === 'connect')
    return `no answer from ${where} within ${timeoutMs} ms while connecting and logging in (check the function's vpcConfig and the server's whitelist)`;
  if (phase === 'login') return `${where} accepted the connection but did not answer the login within ${timeoutMs} ms`;
  return `${where} did not answer the test query within ${timeoutMs} ms`;
}

/** The driver's message alone, for text that already names the code. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
