/**
 * LookupEvents (2020-07-06) parameter rules (alibaba-cloud-apis.md §4.5;
 * https://www.alibabacloud.com/help/en/actiontrail/support/how-to-set-the-lookupattribute-parameter):
 * attribute values match exactly and case-sensitively; a repeated key keeps its last value; only
 * the first two distinct keys count (AND). StartTime and EndTime come together or not at all.
 */
import { ApiError } from '../../types';
import { formatUtcSeconds } from '../eventbridge/time-format';
import { roleNameOf, type ActionTrailRecord } from './record';

export const LOOKUP_KEYS = [
  'ServiceName',
  'EventName',
  'User',
  'EventId',
  'ResourceType',
  'ResourceName',
  'EventRW',
  'EventAccessKeyId',
  'SensitiveAction',
  'SourceIpAddress',
  'EventType',
  'RoleName',
  'PrincipalId',
] as const;
export type LookupKey = (typeof LOOKUP_KEYS)[number];

const DAY_MS = 86_400_000;
const DEFAULT_MAX_RESULTS = 20;

export interface LookupQuery {
  attributes: Array<{ key: LookupKey; value: string }>;
  startTime: number;
  endTime: number;
  maxResults: number;
  /** Position (time, sequence) of the last event of the previous page. */
  after?: { t: number; s: number };
  direction: 'BACKWARD' | 'FORWARD';
}

const invalid = (message: string): ApiError => new ApiError(400, 'InvalidParameter', message);

function parseTime(name: string, text: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(text) || Number.isNaN(Date.parse(text))) {
    throw invalid(`The parameter ${name} "${text}" is invalid: use yyyy-MM-ddTHH:mm:ssZ (UTC).`);
  }
  return Date.parse(text);
}

export function encodeNextToken(e: { time: number; seq: number }): string {
  return Buffer.from(JSON.stringify({ t: e.time, s: e.seq })).toString('base64url');
}

function decodeNextToken(token: string): { t: number; s: number } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { t?: unknown; s?: unknown };
    if (Number.isInteger(parsed.t) && Number.isInteger(parsed.s))
      return { t: parsed.t as number, s: parsed.s as number };
  } catch {
    // fall through: any undecodable token is the caller's error
  }
  throw invalid('The parameter NextToken is invalid.');
}

function parseAttributes(params: Record<string, string>): LookupQuery['attributes'] {
  const indexes = new Set<number>();
  for (const name of Object.keys(params)) {
    const m = /^LookupAttribute\.(\d+)\.(Key|Value)$/.exec(name);
    if (m) indexes.add(Number(m[1]));
  }
  const latest = new Map<LookupKey, string>();
  for (const n of [...indexes].sort((a, b) => a - b)) {
    const key = params[`LookupAttribute.${n}.Key`];
    const value = params[`LookupAttribute.${n}.Value`];
    if (!key) throw invalid(`The parameter LookupAttribute.${n}.Key is needed but not provided.`);
    if (!(LOOKUP_KEYS as readonly string[]).includes(key)) {
      throw invalid(`The LookupAttribute key "${key}" is not supported: use one of ${LOOKUP_KEYS.join(', ')}.`);
    }
    if (value === undefined || value === '')
      throw invalid(`The parameter LookupAttribute.${n}.Value is needed but not provided.`);
    latest.delete(key as LookupKey); // a repeated key keeps its position of last mention and its last value
    latest.set(key as LookupKey, value);
  }
  return [...latest].slice(0, 2).map(([key, value]) => ({ key, value }));
}

export function parseLookupQuery(params: Record<string, string>, now: number): LookupQuery {
  const { StartTime, EndTime, MaxResults, NextToken, Direction } = params;
  if ((StartTime === undefined) !== (EndTime === undefined)) {
    throw invalid('StartTime and EndTime must be given together, or neither.');
  }
  const startTime = StartTime === undefined ? now - 7 * DAY_MS : parseTime('StartTime', StartTime);
  const endTime = EndTime === undefined ? now : parseTime('EndTime', EndTime);
  if (startTime > endTime) throw invalid('StartTime must not be later than EndTime.');
  let maxResults = DEFAULT_MAX_RESULTS;
  if (MaxResults !== undefined) {
    maxResults = Number(MaxResults);
    if (!/^\d+$/.test(MaxResults) || maxResults < 1 || maxResults > 50)
      throw invalid(`The parameter MaxResults "${MaxResults}" must be an integer from 1 to 50.`);
  }
  if (Direction !== undefined && Direction !== 'BACKWARD' && Direction !== 'FORWARD') {
    throw invalid(`The parameter Direction "${Direction}" must be BACKWARD or FORWARD.`);
  }
  return {
    attributes: parseAttributes(params),
    startTime,
    endTime,
    maxResults,
    after: NextToken ? decodeNextToken(NextToken) : undefined,
    direction: Direction === 'FORWARD' ? 'FORWARD' : 'BACKWARD',
  };
}

function attributeOf(record: ActionTrailRecord, key: LookupKey): string[] {
  const id = record.userIdentity;
  const resources = (record.referencedResources ?? {}) as Record<string, string[]>;
  switch (key) {
    case 'ServiceName':
      return [record.serviceName];
    case 'EventName':
      return [record.eventName];
    case 'User':
      return [id.userName];
    case 'EventId':
      return [record.eventId];
    case 'ResourceType':
      return Object.keys(resources);
    case 'ResourceName':
      return Object.values(resources).flat();
    case 'EventRW':
      return [record.eventRW];
    case 'EventAccessKeyId':
      return [id.accessKeyId];
    case 'SensitiveAction':
      return [String((record.eventAttributes as { SensitiveAction?: string } | undefined)?.SensitiveAction ?? 'false')];
    case 'SourceIpAddress':
      return [String(record.sourceIpAddress)];
    case 'EventType':
      return [String(record.eventType)];
    case 'RoleName':
      return [roleNameOf(id) ?? ''];
    case 'PrincipalId':
      return [id.principalId];
  }
}

export interface StoredEvent {
  seq: number;
  time: number;
  record: ActionTrailRecord;
}

const byPosition = (a: StoredEvent, b: StoredEvent): number => a.time - b.time || a.seq - b.seq;

/** One page of events. The cursor is a position, not an offset, so new events never shift a page. */
export function lookupPage(
  stored: readonly StoredEvent[],
  q: LookupQuery,
): { events: ActionTrailRecord[]; nextToken: string; startTime: string; endTime: string } {
  const matching = stored.filter(
    (e) =>
      e.time >= q.startTime &&
      e.time <= q.endTime &&
      q.attributes.every((a) => attributeOf(e.record, a.key).includes(a.value)),
  );
  matching.sort(byPosition);
  const ordered = q.direction === 'BACKWARD' ? matching.reverse() : matching;
  const after = q.after;
  const from =
    after === undefined
      ? 0
      : ordered.findIndex((e) => {
          const c = byPosition(e, { time: after.t, seq: after.s, record: e.record });
          return q.direction === 'BACKWARD' ? c < 0 : c > 0;
        });
  const page = from < 0 ? [] : ordered.slice(from, from + q.maxResults);
  const last = page[page.length - 1];
  const more = from >= 0 && from + q.maxResults < ordered.length;
  return {
    events: page.map((e) => e.record),
    nextToken: more && last ? encodeNextToken(last) : '',
    startTime: formatUtcSeconds(q.startTime),
    endTime: formatUtcSeconds(q.endTime),
  };
}
