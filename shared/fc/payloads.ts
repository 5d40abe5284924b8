/** The async-invocation and timer payloads of sweep and remediate, parsed once at the edge. */
import { isObject } from '../events/event-fields';
import type { RemediatePayload, SweepPayload } from '../core/scheduling';
import { jsonBody } from './handler-kit';

function sweepFrom(value: unknown): SweepPayload | undefined {
  if (!isObject(value) || (value.mode !== 'full' && value.mode !== 'flush')) return undefined;
  const c = value.cursor;
  if (isObject(c) && Number.isInteger(c.page) && (c.page as number) >= 1 && typeof c.sweepId === 'string') {
    return {
      mode: value.mode,
      cursor: {
        page: c.page as number,
        sweepId: c.sweepId,
        retries: Number.isInteger(c.retries) ? (c.retries as number) : 0,
      },
    };
  }
  return { mode: value.mode };
}

/** A timer event ({triggerTime, triggerName, payload}), our own async payload, or nothing: a full sweep. */
export function parseSweepPayload(event: Buffer): SweepPayload {
  const body = jsonBody(event);
  const direct = sweepFrom(body);
  if (direct) return direct;
  if (isObject(body) && typeof body.payload === 'string') {
    try {
      return sweepFrom(JSON.parse(body.payload)) ?? { mode: 'full' };
    } catch {
      return { mode: body.payload.trim() === 'flush' ? 'flush' : 'full' };
    }
  }
  return { mode: 'full' };
}

export function parseRemediatePayload(event: Buffer): RemediatePayload | { error: string } {
  const body = jsonBody(event);
  if (!isObject(body)) return { error: 'payload is not a JSON object' };
  const { secretName, episodeId, attempt, phase, notBefore } = body;
  if (typeof secretName !== 'string' || !secretName) return { error: 'secretName missing' };
  if (typeof episodeId !== 'string' || !/^[0-9a-f]{10}$/.test(episodeId))
    return { error: 'episodeId missing or malformed' };
  if (!Number.isInteger(attempt) || (attempt as number) < 1) return { error: 'attempt must be a positive integer' };
  if (phase !== 'rotate' && phase !== 'verify') return { error: 'phase must be rotate or verify' };
  const payload: RemediatePayload = { secretName, episodeId, attempt: attempt as number, phase };
  if (typeof notBefore === 'number' && Number.isFinite(notBefore)) payload.notBefore = notBefore;
  return payload;
}
