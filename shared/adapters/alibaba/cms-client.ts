/**
 * CloudMonitor through @alicloud/cms20190101, which is 12 MB and slow to load: it is imported on
 * first use only, with exactly `await import('@alicloud/cms20190101')` (scripts/build.ts turns that
 * specifier into a sibling file of each function bundle). CMS answers some failures with HTTP 200
 * and `Success: false` or a Code other than "200" (alibaba-cloud-apis.md §0.9): those throw here.
 */
import type { Config } from '../../config-types';
import type { CustomEvent, CustomMetric, FoundCustomEvent, MonitorPort } from '../../ports/alerts';
import type { Caller } from './caller';
import { cmsReplyError } from './errors';
import { type CredentialSource, namedExport, openApiConfig, unwrapDefault } from './sdk';
import { parseWireDate } from './wire-values';

const EVENT_BATCH = 50;
const METRIC_BATCH = 20;

interface CmsSdk {
  client: any;
  model(name: string): new (map: Record<string, unknown>) => any;
}

/** One lazily created CloudMonitor client, shared by the MonitorPort and the admin calls. */
export class CmsConnection {
  constructor(
    private readonly config: Config,
    private readonly source: CredentialSource,
    readonly caller: Caller,
    /** Where the loaded SDK is kept: shared across invocations by the handlers (sdk-cache.ts). */
    private readonly shared: { cms?: Promise<CmsSdk> } = {},
  ) {}

  private load(): Promise<CmsSdk> {
    const shared = this.shared;
    if (!shared.cms) {
      const loading = this.open();
      shared.cms = loading;
      // A failed load may be retried by the next call.
      loading.catch(() => {
        if (shared.cms === loading) shared.cms = undefined;
      });
    }
    return shared.cms;
  }

  /**
   * Starts loading the SDK (about a second on a cold instance) without waiting, so that it
   * overlaps other work; a failure is left for the first real call to report.
   */
  preload(): void {
    this.load().catch(() => undefined);
  }

  private async open(): Promise<CmsSdk> {
    const mod: any = await import('@alicloud/cms20190101');
    const Client = unwrapDefault(mod);
    const client = new Client(openApiConfig(this.config, 'cms', this.source));
    // The SDK casts replies into its models, and some models (PutCustomEvent's) have no Success
    // field: judge the raw reply before the cast drops it.
    const callApi = client.callApi.bind(client);
    client.callApi = async (params: { action: string }, request: unknown, runtime: unknown) => {
      const response = await callApi(params, request, runtime);
      const failure = cmsReplyError(response?.body, params.action);
      if (failure) throw failure;
      return response;
    };
    return { client, model: (name) => namedExport(mod, name) };
  }

  /** Calls `<method>WithOptions` with a request built from the named model; a 200 failure throws. */
  async send(
    action: string,
    method: string,
    requestModel: string,
    fields: Record<string, unknown>,
  ): Promise<Record<string, any>> {
    const sdk = await this.load();
    return this.caller.call('cms', action, async () => {
      const Request = sdk.model(requestModel);
      const response = await sdk.client[`${method}WithOptions`](new Request(fields), {});
      const body = response?.body as Record<string, any> | undefined;
      const failure = cmsReplyError(body, action);
      if (failure) throw failure;
      return body as Record<string, any>;
    });
  }

  model(name: string): Promise<new (map: Record<string, unknown>) => any> {
    return this.load().then((sdk) => sdk.model(name));
  }
}

export class CmsMonitor implements MonitorPort {
  constructor(
    private readonly cms: CmsConnection,
    private readonly defaultGroupId: string,
  ) {}

  /** Fire-and-forget: begin loading CloudMonitor's SDK now, before the first alert or metric needs it. */
  preload(): void {
    this.cms.preload();
  }

  async putCustomEvents(events: CustomEvent[]): Promise<void> {
    if (events.length === 0) return;
    const EventInfo = await this.cms.model('PutCustomEventRequestEventInfo');
    for (let i = 0; i < events.length; i += EVENT_BATCH) {
      const eventInfo = events.slice(i, i + EVENT_BATCH).map(
        (e) =>
          new EventInfo({
            eventName: e.eventName,
            content: e.content,
            groupId: e.groupId ?? this.defaultGroupId,
            time: String(e.time ?? Date.now()),
          }),
      );
      await this.cms.send('PutCustomEvent', 'putCustomEvent', 'PutCustomEventRequest', { eventInfo });
    }
  }

  async putCustomMetrics(metrics: CustomMetric[]): Promise<void> {
    if (metrics.length === 0) return;
    const MetricList = await this.cms.model('PutCustomMetricRequestMetricList');
    for (let i = 0; i < metrics.length; i += METRIC_BATCH) {
      const metricList = metrics.slice(i, i + METRIC_BATCH).map((m) => {
        const type = m.type ?? 1;
        return new MetricList({
          metricName: m.metricName,
          dimensions: JSON.stringify(m.dimensions),
          groupId: m.groupId ?? this.defaultGroupId,
          type: String(type),
          // Aggregated metrics (type 1, free) need a period.
          period: type === 1 ? String(m.period ?? 60) : m.period !== undefined ? String(m.period) : undefined,
          time: String(m.time),
          values: JSON.stringify({ value: m.value }),
        });
      });
      await this.cms.send('PutCustomMetric', 'putCustomMetric', 'PutCustomMetricRequest', { metricList });
    }
  }

  async findCustomEvents(query: {
    name?: string;
    keyword: string;
    startTime: number;
    endTime: number;
  }): Promise<FoundCustomEvent[]> {
    const found: FoundCustomEvent[] = [];
    const pageSize = 100;
    for (let page = 1; page <= 50; page++) {
      const body = await this.cms.send(
        'DescribeCustomEventAttribute',
        'describeCustomEventAttribute',
        'DescribeCustomEventAttributeRequest',
        {
          name: query.name,
          searchKeywords: query.keyword,
          startTime: String(query.startTime),
          endTime: String(query.endTime),
          pageNumber: page,
          pageSize,
        },
      );
      const rows: any[] = body.customEvents?.customEvent ?? [];
      for (const row of rows) {
        const event: FoundCustomEvent = { name: String(row.name ?? ''), content: String(row.content ?? '') };
        if (row.id !== undefined && row.id !== null) event.id = String(row.id);
        const time = parseWireDate(row.time);
        if (time !== undefined) event.time = time;
        found.push(event);
      }
      if (rows.length < pageSize) break;
    }
    return found;
  }
}
