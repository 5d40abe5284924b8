/**
 * ActionTrail: keeps a record of each call the wire layer reports, serves LookupEvents, and puts
 * write calls on the event bus as `<product>:ActionTrail:ApiCall` (only write-type events reach
 * EventBridge: alibaba-cloud-apis.md §4.2).
 */
import type { CloudEvent, SimClock } from '../../types';
import { ApiError } from '../../types';
import type { ActionTrailService, EventBus } from '../contracts';
import { eventShapes, type EventShapes } from '../event-shapes';
import { formatEnvelopeTime, formatPublishTime } from '../eventbridge/time-format';
import { lookupPage, parseLookupQuery, type StoredEvent } from './lookup';
import { buildRecord, deliveredForm, uuidFrom, type ActionTrailRecord } from './record';

export { buildRecord, withoutSecrets, userIdentityOf, isReadAction } from './record';
export type { ActionTrailRecord, UserIdentity } from './record';
export { parseLookupQuery, lookupPage, LOOKUP_KEYS } from './lookup';

export interface ActionTrailDeps {
  clock: SimClock;
  bus: EventBus;
  accountId: string;
  regionId: string;
  eventShapes?: Partial<EventShapes>;
}

export function createActionTrail(deps: ActionTrailDeps): ActionTrailService {
  const stored: StoredEvent[] = [];
  const shapes = eventShapes(deps.eventShapes);

  function toCloudEvent(record: ActionTrailRecord, product: string, secretName: string | undefined): CloudEvent {
    const now = deps.clock.now();
    const account = record.userIdentity.accountId;
    return {
      id: uuidFrom(`eventbridge/${record.eventId}`),
      source: `acs.${product}`,
      specversion: '1.0',
      type: `${product}:ActionTrail:ApiCall`,
      datacontenttype: 'application/json;charset=utf-8',
      subject: `acs.${product}:${deps.regionId}:${account}:${secretName ? `secret/${secretName}` : '*'}`,
      time: formatEnvelopeTime(Date.parse(String(record.eventTime))),
      aliyunaccountid: account,
      aliyunpublishtime: formatPublishTime(now),
      aliyuneventbusname: 'default',
      aliyunregionid: deps.regionId,
      aliyunpublishaddr: '127.0.0.1',
      data: record,
    };
  }

  return {
    product: 'actiontrail',
    version: '2020-07-06',
    writeActions: new Set<string>(),

    record(req, outcome): void {
      const seq = stored.length + 1;
      const record = buildRecord(req, outcome, { accountId: deps.accountId, regionId: deps.regionId, seq }, shapes);
      stored.push({ seq, time: req.receivedAt, record });
      if (record.eventRW === 'Write')
        deps.bus.publish(toCloudEvent(deliveredForm(record, shapes), req.product, req.params.SecretName));
    },

    events(): Array<Record<string, unknown>> {
      return stored.map((e) => e.record);
    },

    handle(req) {
      if (req.action !== 'LookupEvents') {
        throw new ApiError(
          404,
          'InvalidAction.NotFound',
          `Specified api "${req.action}" is not found, please check your url and method.`,
        );
      }
      const page = lookupPage(stored, parseLookupQuery(req.params, deps.clock.now()));
      return {
        RequestId: req.requestId,
        Events: page.events,
        NextToken: page.nextToken,
        StartTime: page.startTime,
        EndTime: page.endTime,
      };
    },
  };
}
