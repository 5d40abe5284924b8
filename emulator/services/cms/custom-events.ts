/**
 * PutCustomEvent and DescribeCustomEventAttribute (alibaba-cloud-apis.md §5.1;
 * https://www.alibabacloud.com/help/doc-detail/115012.html). The SDK allows at most 50 EventInfo
 * entries per call (the guide says 100): the emulator enforces the stricter 50. A report is at most
 * 500 KB (doc-detail/60196): read strictly, the contents of one call together, not each alone.
 */
import type { ApiRequest } from '../../types';
import { formatCmsTime, intParam, invalid, listOfObjects, parseCmsTime } from './flat-params';
import { OK, type CmsStore, type CustomEvent } from './store';

export const MAX_EVENTS_PER_CALL = 50;
export const MAX_REPORT_BYTES = 500 * 1024;

export function putCustomEvent(store: CmsStore, req: ApiRequest): CustomEvent[] {
  const infos = listOfObjects(req.params, 'EventInfo');
  if (infos.length === 0) throw invalid('The parameter "EventInfo" is needed: at least one EventInfo.N entry.');
  if (infos.length > MAX_EVENTS_PER_CALL)
    throw invalid(`At most ${MAX_EVENTS_PER_CALL} EventInfo entries per call, got ${infos.length}.`);
  const bytes = infos.reduce((n, info) => n + Buffer.byteLength(info.Content ?? ''), 0);
  if (bytes > MAX_REPORT_BYTES)
    throw invalid(`The EventInfo contents of one call exceed 500 KB (${bytes} bytes): send them in more calls.`);
  const accepted = infos.map((info, i) => {
    const n = i + 1;
    if (!info.EventName) throw invalid(`The parameter "EventInfo.${n}.EventName" is needed but not provided.`);
    if (info.Content === undefined || info.Content === '')
      throw invalid(`The parameter "EventInfo.${n}.Content" is needed but not provided.`);
    return {
      name: info.EventName,
      groupId: info.GroupId || '0',
      time: info.Time ? parseCmsTime(info.Time, `EventInfo.${n}.Time`) : req.receivedAt,
      content: info.Content,
    };
  });
  // Validate all first: a bad entry rejects the whole call, nothing half stored.
  return accepted.map((e) => {
    const event: CustomEvent = { id: String(store.nextEventId++), receivedAt: req.receivedAt, ...e };
    store.events.push(event);
    return event;
  });
}

/** `a and b` needs both words in the content, `a or b` either; a single word must appear. */
export function matchesKeywords(content: string, search: string): boolean {
  const text = search.trim();
  if (!text) return true;
  if (/\s+or\s+/i.test(text)) return text.split(/\s+or\s+/i).some((w) => content.includes(w.trim()));
  return text.split(/\s+and\s+/i).every((w) => content.includes(w.trim()));
}

export function describeCustomEventAttribute(store: CmsStore, req: ApiRequest): Record<string, unknown> {
  const p = req.params;
  const start = p.StartTime ? parseCmsTime(p.StartTime, 'StartTime') : undefined;
  const end = p.EndTime ? parseCmsTime(p.EndTime, 'EndTime') : undefined;
  const pageNumber = intParam(p, 'PageNumber', 1, 1, 1_000_000);
  const pageSize = intParam(p, 'PageSize', 10, 1, 1000);
  const found = store.events
    .filter(
      (e) =>
        (!p.Name || e.name === p.Name) &&
        (!p.EventId || e.id === p.EventId) &&
        (!p.GroupId || e.groupId === p.GroupId) &&
        (start === undefined || e.time >= start) &&
        (end === undefined || e.time <= end) &&
        (!p.SearchKeywords || matchesKeywords(e.content, p.SearchKeywords)),
    )
    .sort((a, b) => b.time - a.time || Number(b.id) - Number(a.id));
  const page = found.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    Code: OK.Code,
    Message: OK.Message,
    // This one API sends Success as a string (the SDK model types it `string`).
    Success: 'true',
    CustomEvents: {
      CustomEvent: page.map((e) => ({
        Id: e.id,
        Name: e.name,
        GroupId: e.groupId,
        Time: formatCmsTime(e.time),
        Content: e.content,
      })),
    },
  };
}
