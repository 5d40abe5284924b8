/**
 * Small hand-written fakes of the ports (KMS, CloudMonitor, FC invoke, ActionTrail, STS) with a
 * call log, a settable clock and switchable faults; and one builder for "a valid secret plus this
 * tweak". Enough behaviour for the core's unit tests; the emulator covers the wire.
 */
import { CloudError, type Product } from '../../shared/errors';
import type { Clock } from '../../shared/clock';
import type { CustomEvent, CustomMetric, FoundCustomEvent, MonitorPort } from '../../shared/ports/alerts';
import type { ActionTrailEvent, ActionTrailPort, CloudClients, StsPort } from '../../shared/ports/cloud';
import type {
  KmsPort,
  ListSecretsPage,
  SecretDescription,
  SecretSummary,
  SecretValue,
  SecretVersion,
  Tags,
} from '../../shared/ports/kms';
import type { AsyncInvocation, InvokerPort } from '../../shared/ports/scheduler';
import type { Logger, LogFields } from '../../shared/ports/logger';
import type { CoreDeps } from '../../shared/core/deps';
import type { Config } from '../../shared/config-types';

export const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export class TestClock implements Clock {
  constructor(public time = T0) {}
  now = () => this.time;
  sleep = async (ms: number) => {
    this.time += Math.max(0, ms);
  };
  advance(ms: number): void {
    this.time += ms;
  }
}

export function cloudError(
  code: string,
  action: string,
  product: Product = 'kms',
  message = code,
  httpStatus = 400,
): CloudError {
  return new CloudError({ code, message, product, action, retryable: false, httpStatus });
}

/** A healthy production RDS secret (dual accounts, 30-day rotation, rotated recently), plus overrides. */
export function aSecret(overrides: Partial<SecretDescription> = {}, now = T0): SecretDescription {
  const name = overrides.secretName ?? 'rds/orders';
  return {
    secretName: name,
    arn: `acs:kms:cn-hangzhou:1234567890123456:secret/${name}`,
    secretType: 'Rds',
    automaticRotation: 'Enabled',
    rotationIntervalSeconds: 30 * 86_400,
    lastRotationDate: now - 2 * DAY,
    nextRotationDate: now + 28 * DAY,
    extendedConfig: { SecretSubType: 'DoubleUsers', DBInstanceId: 'rm-orders01', CustomData: {} },
    tags: {},
    createTime: now - 400 * DAY,
    ...overrides,
  };
}

interface StoredSecret {
  description: SecretDescription;
  versions: SecretVersion[];
}

export interface KmsCall {
  action: string;
  secretName?: string;
  args?: unknown;
}

export class FakeKms implements KmsPort {
  readonly secrets = new Map<string, StoredSecret>();
  readonly calls: KmsCall[] = [];
  /** action -> error to throw (once per entry, or always with `sticky`). */
  readonly faults: Array<{ action: string; secretName?: string; error: CloudError; times: number }> = [];
  /** What RotateSecret does to the secret: succeed (default), fail (Invalid), or nothing (still running). */
  rotationBehaviour: 'succeed' | 'fail' | 'hang' = 'succeed';

  constructor(private readonly clock: Clock) {}

  put(
    description: SecretDescription,
    versions: SecretVersion[] = [
      { versionId: 'v1', createTime: description.createTime, versionStages: ['ACSCurrent'] },
    ],
  ): this {
    this.secrets.set(description.secretName, {
      description: structuredClone(description),
      versions: structuredClone(versions),
    });
    return this;
  }

  fail(action: string, error: CloudError, times = 1, secretName?: string): this {
    this.faults.push({ action, error, times, secretName });
    return this;
  }

  private call(action: string, secretName?: string, args?: unknown): void {
    this.calls.push({ action, secretName, args });
    const fault = this.faults.find(
      (f) => f.action === action && f.times > 0 && (!f.secretName || f.secretName === secretName),
    );
    if (fault) {
      fault.times -= 1;
      throw fault.error;
    }
  }

  private get(secretName: string, action: string): StoredSecret {
    const s = this.secrets.get(secretName);
    if (!s) throw cloudError('Forbidden.ResourceNotFound', action, 'kms', 'The resource is not found.', 404);
    return s;
  }

  count(action: string, secretName?: string): number {
    return this.calls.filter((c) => c.action === action && (!secretName || c.secretName === secretName)).length;
  }

  tagOf(secretName: string, key = 'kro-state'): string | undefined {
    return this.secrets.get(secretName)?.description.tags[key];
  }

  /** The largest page served, whatever PageSize asks (ListSecrets' limit is 100): small pages for paging tests. */
  pageSizeLimit = 100;

  async listSecretsPage(
    page: number,
    options: { fetchTags?: boolean; pageSize?: number } = {},
  ): Promise<ListSecretsPage> {
    this.call('ListSecrets', undefined, { page });
    const size = Math.min(options.pageSize ?? 10, this.pageSizeLimit);
    const all = [...this.secrets.values()];
    const secrets: SecretSummary[] = all.slice((page - 1) * size, page * size).map(({ description: d }) => ({
      secretName: d.secretName,
      secretType: d.secretType,
      createTime: d.createTime,
      plannedDeleteTime: d.plannedDeleteTime,
      tags: options.fetchTags ? { ...d.tags } : {},
    }));
    return { pageNumber: page, pageSize: size, totalCount: all.length, secrets };
  }

  async *listSecrets(options: { fetchTags?: boolean; pageSize?: number } = {}): AsyncIterable<SecretSummary> {
    for (let page = 1; ; page++) {
      const p = await this.listSecretsPage(page, options);
      yield* p.secrets;
      if (page * p.pageSize >= p.totalCount) return;
    }
  }

  async describeSecret(secretName: string): Promise<SecretDescription> {
    this.call('DescribeSecret', secretName);
    return structuredClone(this.get(secretName, 'DescribeSecret').description);
  }

  async listSecretVersionIds(secretName: string): Promise<SecretVersion[]> {
    this.call('ListSecretVersionIds', secretName);
    return structuredClone(this.get(secretName, 'ListSecretVersionIds').versions);
  }

  async getSecretValue(secretName: string): Promise<SecretValue> {
    this.call('GetSecretValue', secretName);
    const s = this.get(secretName, 'GetSecretValue');
    const current = s.versions.find((v) => v.versionStages.includes('ACSCurrent'))!;
    return {
      secretName,
      secretType: s.description.secretType,
      versionId: current.versionId,
      versionStages: current.versionStages,
      secretData: 'not-a-real-value',
    };
  }

  async rotateSecret(secretName: string, versionId: string): Promise<{ versionId: string }> {
    this.call('RotateSecret', secretName, { versionId });
    const s = this.get(secretName, 'RotateSecret');
    if (s.versions.some((v) => v.versionId === versionId)) return { versionId }; // KMS ignores a known VersionId
    const now = this.clock.now();
    if (this.rotationBehaviour === 'hang') return { versionId };
    if (this.rotationBehaviour === 'fail') {
      s.description.automaticRotation = 'Invalid';
      return { versionId };
    }
    for (const v of s.versions)
      v.versionStages = v.versionStages
        .filter((stage) => stage !== 'ACSCurrent' && stage !== 'ACSPrevious')
        .concat(v.versionStages.includes('ACSCurrent') ? ['ACSPrevious'] : []);
    s.versions.push({ versionId, createTime: now, versionStages: ['ACSCurrent'] });
    s.description.lastRotationDate = now;
    if (s.description.automaticRotation !== 'Disabled') s.description.automaticRotation = 'Enabled';
    if (s.description.rotationIntervalSeconds)
      s.description.nextRotationDate = now + s.description.rotationIntervalSeconds * 1000;
    return { versionId };
  }

  async tagResource(secretName: string, tags: Tags): Promise<void> {
    this.call('TagResource', secretName, tags);
    for (const value of Object.values(tags))
      if (value.length > 128) throw cloudError('InvalidParameter', 'TagResource');
    Object.assign(this.get(secretName, 'TagResource').description.tags, tags);
  }

  async untagResource(secretName: string, tagKeys: string[]): Promise<void> {
    this.call('UntagResource', secretName, tagKeys);
    const d = this.get(secretName, 'UntagResource').description;
    for (const k of tagKeys) delete d.tags[k];
  }
}

export class FakeMonitor implements MonitorPort {
  readonly events: Array<CustomEvent & { id: string }> = [];
  readonly metrics: CustomMetric[] = [];
  readonly lookups: string[] = [];
  failing = false;
  /** Accept the events but throw afterwards (a reply lost after the service stored them). */
  loseReply = false;

  async putCustomEvents(events: CustomEvent[]): Promise<void> {
    if (this.failing) throw cloudError('InternalError', 'PutCustomEvent', 'cms', 'CloudMonitor is down', 500);
    for (const e of events) this.events.push({ ...e, id: String(this.events.length + 1) });
    if (this.loseReply) throw cloudError('SDK.ReadTimeout', 'PutCustomEvent', 'cms', 'read timeout', 0);
  }

  async putCustomMetrics(metrics: CustomMetric[]): Promise<void> {
    if (this.failing) throw cloudError('InternalError', 'PutCustomMetric', 'cms', 'CloudMonitor is down', 500);
    this.metrics.push(...metrics);
  }

  async findCustomEvents(query: {
    name?: string;
    keyword: string;
    startTime: number;
    endTime: number;
  }): Promise<FoundCustomEvent[]> {
    if (this.failing)
      throw cloudError('InternalError', 'DescribeCustomEventAttribute', 'cms', 'CloudMonitor is down', 500);
    this.lookups.push(query.keyword);
    return this.events
      .filter((e) => (!query.name || e.eventName === query.name) && e.content.includes(query.keyword))
      .map((e) => ({ id: e.id, name: e.eventName, content: e.content, time: e.time }));
  }

  named(name: string): Array<CustomEvent & { id: string }> {
    return this.events.filter((e) => e.eventName === name);
  }
}

export class FakeInvoker implements InvokerPort {
  readonly invocations: AsyncInvocation[] = [];
  readonly taskIds = new Set<string>();

  async invokeAsync(invocation: AsyncInvocation): Promise<void> {
    if (this.taskIds.has(invocation.taskId))
      throw cloudError('TaskIdAlreadyExists', 'InvokeFunction', 'fc', 'duplicate task id', 409);
    this.taskIds.add(invocation.taskId);
    this.invocations.push(structuredClone(invocation));
  }

  to(functionName: string): AsyncInvocation[] {
    return this.invocations.filter((i) => i.functionName === functionName);
  }
}

export class FakeActionTrail implements ActionTrailPort {
  readonly events: ActionTrailEvent[] = [];
  failing = false;

  add(eventName: string, secretName: string, eventTime: number): this {
    this.events.push({
      eventId: `at-${this.events.length}`,
      eventName,
      eventTime,
      requestParameters: { SecretName: secretName },
      raw: {},
    });
    return this;
  }

  async *lookupEvents(query: {
    attributes?: Array<{ key: string; value: string }>;
    startTime?: number;
    endTime?: number;
  }): AsyncIterable<ActionTrailEvent> {
    if (this.failing) throw cloudError('InternalError', 'LookupEvents', 'actiontrail');
    const name = query.attributes?.find((a) => a.key === 'EventName')?.value;
    for (const e of [...this.events].reverse()) {
      if (name && e.eventName !== name) continue;
      if (query.startTime !== undefined && e.eventTime < query.startTime) continue;
      if (query.endTime !== undefined && e.eventTime > query.endTime) continue;
      yield e;
    }
  }
}

export const fakeSts: StsPort = { getCallerIdentity: async () => ({ accountId: '1234567890123456' }) };

export interface FakeCloud extends CloudClients {
  kms: FakeKms;
  monitor: FakeMonitor;
  invoker: FakeInvoker;
  actiontrail: FakeActionTrail;
  throttled: number;
}

export function fakeCloud(clock: Clock): FakeCloud {
  const cloud = {
    kms: new FakeKms(clock),
    monitor: new FakeMonitor(),
    invoker: new FakeInvoker(),
    actiontrail: new FakeActionTrail(),
    sts: fakeSts,
    throttled: 0,
    stats: () => ({ calls: 0, throttled: cloud.throttled, retries: 0 }),
  };
  return cloud;
}

export interface LogLine {
  level: string;
  message: string;
  fields: LogFields;
}

export function memoryLogger(lines: LogLine[] = [], base: LogFields = {}): Logger & { lines: LogLine[] } {
  const emit =
    (level: string) =>
    (message: string, fields: LogFields = {}) =>
      void lines.push({ level, message, fields: { ...base, ...fields } });
  return {
    lines,
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (fields) => memoryLogger(lines, { ...base, ...fields }),
  };
}

/** Core dependencies over the fakes, with a fixed random (jitter at its midpoint). */
export function fakeDeps(
  config: Config,
  overrides: Partial<CoreDeps> = {},
): CoreDeps & { cloud: FakeCloud; clock: TestClock; logger: ReturnType<typeof memoryLogger> } {
  const clock = (overrides.clock as TestClock | undefined) ?? new TestClock();
  const cloud = (overrides.clients as FakeCloud | undefined) ?? fakeCloud(clock);
  const logger = memoryLogger();
  return {
    config,
    clients: cloud,
    cloud,
    clock,
    random: () => 0.5,
    logger,
    functionName: 'kro-test',
    ...overrides,
  } as CoreDeps & { cloud: FakeCloud; clock: TestClock; logger: ReturnType<typeof memoryLogger> };
}
