/**
 * Events from outside are untrusted (issue 13): anyone who can put an event on the bus (or a
 * misconfigured rule) can hand on-event anything. An event is refused when it is dated in the
 * future beyond clock skew (an event "from 2099" once opened a critical episode and a RotateSecret),
 * or when any part of it names another region than the deployment's: a secret named in another
 * region is not the secret of that name here. What it says in free text (errorMessage) and its
 * error code pass the one redactor at this boundary, so nothing downstream holds the raw text.
 */
import type { ApiCallEvent, OrchestratorEvent, RotationResultEvent } from '../domain/event-types';
import { redactMessage, safeErrorCode } from '../domain/redact';
import { parseSecretArn } from './arn';
import { EventRejection, type JsonObject, objectField, quote, stringField } from './event-fields';

/**
 * How far ahead of our clock an event may be dated. EventBridge and CloudMonitor stamp events with
 * their own clocks; a few seconds of skew are normal, minutes are not (issue 13 sets 5 minutes).
 */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

export interface TrustOptions {
  /** The deployment's region: events naming another are refused. */
  regionId?: string;
  /** Now, epoch ms: events dated later than now + MAX_FUTURE_SKEW_MS are refused. */
  now?: number;
}

export function checkTrust(event: OrchestratorEvent, raw: JsonObject, options: TrustOptions): void {
  if (event.kind === 'timer') return;
  if (options.now !== undefined && event.at > options.now + MAX_FUTURE_SKEW_MS) {
    const ahead = Math.round((event.at - options.now) / 60_000);
    throw new EventRejection(
      'future-dated',
      `event is dated ${new Date(event.at).toISOString()}, ${ahead} min ahead of now (at most ${MAX_FUTURE_SKEW_MS / 60_000} min of clock skew is accepted)`,
    );
  }
  if (options.regionId) {
    const foreign = regionClaims(event, raw).find((claim) => claim.regionId !== options.regionId);
    if (foreign)
      throw new EventRejection(
        'foreign-region',
        `event is for region ${quote(foreign.regionId, 32)} (${foreign.path}), this deployment watches region ${options.regionId}`,
      );
  }
}

interface RegionClaim {
  path: string;
  regionId: string;
}

/** Every place an event names a region: the envelope, the CloudMonitor body, the secret's ARN, the ActionTrail record. */
function regionClaims(event: Exclude<OrchestratorEvent, { kind: 'timer' }>, raw: JsonObject): RegionClaim[] {
  const data = objectField(raw, 'data') ?? raw;
  const request = objectField(data, 'requestParameters');
  const candidates: Array<[string, string | undefined]> = [
    ['event', event.regionId],
    ['aliyunregionid', stringField(raw, 'aliyunregionid')],
    ['subject', /^acs\.[^:]+:([^:]*):/.exec(stringField(raw, 'subject') ?? '')?.[1]],
    ['data.regionId', stringField(data, 'regionId')],
    ['data.acsRegion', stringField(data, 'acsRegion')],
    ['data.resourceId', parseSecretArn(stringField(data, 'resourceId')?.trim() ?? '')?.regionId],
    ['data.requestParameters.SecretName', parseSecretArn(stringField(request, 'SecretName') ?? '')?.regionId],
  ];
  return candidates
    .filter((c): c is [string, string] => typeof c[1] === 'string' && c[1].length > 0)
    .map(([path, regionId]) => ({ path, regionId }));
}

/** The event with its outside text made safe: a redacted, bounded message and a code shaped like one. */
export function withSafeText(event: OrchestratorEvent): OrchestratorEvent {
  if (event.kind === 'timer') return event;
  const out: RotationResultEvent | ApiCallEvent = { ...event };
  if (out.errorMessage !== undefined) {
    const message = redactMessage(out.errorMessage);
    if (message === undefined) delete out.errorMessage;
    else out.errorMessage = message;
  }
  if (out.errorCode !== undefined) out.errorCode = safeErrorCode(out.errorCode);
  return out;
}
