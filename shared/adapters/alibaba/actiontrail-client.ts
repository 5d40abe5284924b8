/**
 * ActionTrail LookupEvents (2020-07-06) via callApi: `@alicloud/actiontrail20200706` is not
 * published (alibaba-cloud-apis.md §0). Pages follow NextToken, empty on the last page.
 */
import * as z from 'zod/mini';
import { redactValue } from '../../domain/redact';
import type { ActionTrailEvent, ActionTrailPort } from '../../ports/cloud';
import type { Caller } from './caller';
import { callRpc, parseReply } from './rpc';
import { formatUtcSeconds, optionalText, wireDate } from './wire-values';

export const ACTIONTRAIL_VERSION = '2020-07-06';

const record = z.record(z.string(), z.unknown());
const eventRecord = z.object({
  eventId: z.string().check(z.minLength(1)),
  eventName: z.string().check(z.minLength(1)),
  eventTime: wireDate.check(z.refine((v) => v !== undefined, 'is required')),
  acsRegion: optionalText,
  serviceName: optionalText,
  errorCode: optionalText,
  errorMessage: optionalText,
  // Some records carry requestParameters as a JSON string.
  requestParameters: z.optional(z.unknown()),
  userIdentity: z.optional(record),
});

const lookupEventsReply = z.object({
  Events: z.optional(z.array(z.unknown())),
  NextToken: optionalText,
});

export class ActionTrailClient implements ActionTrailPort {
  constructor(
    private readonly client: any,
    private readonly caller: Caller,
  ) {}

  async *lookupEvents(query: Parameters<ActionTrailPort['lookupEvents']>[0]): AsyncIterable<ActionTrailEvent> {
    const seenTokens = new Set<string>();
    let nextToken: string | undefined;
    do {
      const params = {
        // At most two attributes count (AND); flattened 1-based: LookupAttribute.1.Key.
        LookupAttribute: query.attributes?.map((a) => ({ Key: a.key, Value: a.value })),
        StartTime: query.startTime !== undefined ? formatUtcSeconds(query.startTime) : undefined,
        EndTime: query.endTime !== undefined ? formatUtcSeconds(query.endTime) : undefined,
        MaxResults: String(Math.min(50, Math.max(1, query.maxResults ?? 50))),
        NextToken: nextToken,
      };
      const body = await this.caller.call('actiontrail', 'LookupEvents', () =>
        callRpc(this.client, 'LookupEvents', ACTIONTRAIL_VERSION, params),
      );
      const reply = parseReply(lookupEventsReply, body, 'actiontrail', 'LookupEvents');
      for (const raw of reply.Events ?? []) yield toEvent(raw);
      nextToken = reply.NextToken;
      // A token seen twice would page forever.
      if (nextToken !== undefined && seenTokens.has(nextToken)) return;
      if (nextToken !== undefined) seenTokens.add(nextToken);
    } while (nextToken);
  }
}

const CALL_DATA_KEYS = ['responseElements', 'additionalEventData', 'serviceEventData', 'errorMessage'];

function toEvent(raw: unknown): ActionTrailEvent {
  const event = parseReply(eventRecord, (raw ?? {}) as Record<string, unknown>, 'actiontrail', 'LookupEvents');
  // A write call's parameters (and what it answered) may hold SecretData: never keep it (DESIGN D6).
  // Only these parts carry call data; redacting just them keeps a busy trail cheap to read.
  const params =
    typeof event.requestParameters === 'string' ? parseJson(event.requestParameters) : event.requestParameters;
  const requestParameters = (redactValue(params ?? {}) ?? {}) as Record<string, unknown>;
  const safeRaw: Record<string, unknown> = { ...(raw as Record<string, unknown>), requestParameters };
  for (const key of CALL_DATA_KEYS) if (safeRaw[key] !== undefined) safeRaw[key] = redactValue(safeRaw[key]);
  const out: ActionTrailEvent = {
    eventId: event.eventId,
    eventName: event.eventName,
    eventTime: event.eventTime as number,
    requestParameters,
    raw: safeRaw,
  };
  if (event.acsRegion) out.acsRegion = event.acsRegion;
  if (event.serviceName) out.serviceName = event.serviceName;
  if (event.errorCode) out.errorCode = event.errorCode;
  if (event.errorMessage) out.errorMessage = event.errorMessage;
  if (event.userIdentity) out.userIdentity = redactValue(event.userIdentity) as Record<string, unknown>;
  return out;
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}
