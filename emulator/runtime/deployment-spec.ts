/**
 * The fc3 props of a rendered s.yaml, parsed into what the local runtime needs: one FunctionSpec
 * per function with its environment, async config and triggers. Only the keys the project uses
 * are read (serverless-devs.md §1.1; trigger keys alibaba-cloud-apis.md §6.2); unknown keys are
 * tolerated like fc3 does, missing required ones are an error naming the resource.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { renderSYaml, SYamlError, type RenderContext } from './render-s-yaml';

export interface TimerTriggerSpec {
  triggerName: string;
  cronExpression: string;
  payload?: string;
  enable: boolean;
}

export interface EventBridgeTriggerSpec {
  triggerName: string;
  /** eventRuleFilterPattern, parsed from its JSON string. */
  pattern: unknown;
  async: boolean;
  enabled: boolean;
}

export interface FunctionSpec {
  resourceId: string;
  functionName: string;
  region: string;
  runtime: string;
  /** The code path as written, e.g. ./dist/functions/on-event. */
  code: string;
  /** The source directory under functions/ (the last segment of the code path). */
  sourceDir: string;
  handler: string;
  memorySize: number;
  timeoutSeconds: number;
  roleArn?: string;
  roleName?: string;
  /** concurrencyConfig.reservedConcurrency: FC runs at most this many instances at once; absent = no cap. */
  reservedConcurrency?: number;
  environment: Record<string, string>;
  /**
   * Where FC ships the function's stdout (its JSON log lines): 'auto' (fc3 creates the SLS project
   * and logstore: devsapp/fc3 src/subCommands/deploy/impl/function.ts _deployAuto) or a named one.
   * The local runtime keeps the lines itself; the setting is validated so s.yaml stays deployable.
   */
  logConfig?: 'auto' | { project: string; logstore: string };
  asyncConfig?: {
    maxAsyncRetryAttempts?: number;
    maxAsyncEventAgeInSeconds?: number;
    asyncTask?: boolean;
    onFailure?: string; // function name
    onSuccess?: string;
  };
  /**
   * Requests one instance runs at once (fc3 `instanceConcurrency`, FC default 1, fc3 schema 1..200;
   * FC creates an instance only when every existing one is full: "Configure instance concurrency").
   */
  instanceConcurrency: number;
  /** `instanceLifecycleConfig.preStop`: the hook FC runs before it destroys an instance. */
  preStop?: LifecycleHookSpec;
  timers: TimerTriggerSpec[];
  eventBridge: EventBridgeTriggerSpec[];
}

export interface LifecycleHookSpec {
  /** file.export, like the function handler (index.preStop). */
  handler: string;
  timeoutSeconds: number;
}

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const int = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

const destination = z.object({ destination: z.string() }).optional();
// fc3 src/schema.json ILifecycleHook: {handler, timeout >= 1, command}; the runtime runs handlers only.
const lifecycleHook = z.object({ handler: z.string().regex(/^[\w.-]+\.\w+$/), timeout: int.pipe(z.number().min(1)) });
const trigger = z.object({
  triggerName: z.string(),
  triggerType: z.string(),
  triggerConfig: z.record(z.string(), z.unknown()).default({}),
});
const props = z.object({
  region: z.string(),
  functionName: z.string(),
  runtime: z.string(),
  code: z.string(),
  handler: z.string(),
  memorySize: int.default(512),
  timeout: int.default(3),
  role: z.string().optional(),
  environmentVariables: z.record(z.string(), scalar).default({}),
  // fc3 src/schema.json: integer, default 1, minimum 1, maximum 200.
  instanceConcurrency: int.pipe(z.number().min(1).max(200)).default(1),
  instanceLifecycleConfig: z
    .object({ initializer: lifecycleHook.optional(), preStop: lifecycleHook.optional() })
    .optional(),
  // fc3's schema (src/schema.json ILogConfig): "auto", or project and logstore (both required).
  logConfig: z
    .union([
      z.literal('auto'),
      z.object({
        project: z.string().min(1),
        logstore: z.string().min(1),
        enableRequestMetrics: bool.optional(),
        enableInstanceMetrics: bool.optional(),
        logBeginRule: z.enum(['DefaultRegex', 'None']).optional(),
      }),
    ])
    .optional(),
  asyncInvokeConfig: z
    .object({
      maxAsyncRetryAttempts: int.optional(),
      maxAsyncEventAgeInSeconds: int.optional(),
      asyncTask: bool.optional(),
      destinationConfig: z.object({ onFailure: destination, onSuccess: destination }).optional(),
    })
    .optional(),
  triggers: z.array(trigger).default([]),
  // fc3's schema (src/schema.json IConcurrencyConfig): reservedConcurrency required. FC accepts 0
  // (the function never runs); here at least 1, so no deployment disables a function by accident.
  concurrencyConfig: z
    .object({ reservedConcurrency: int.pipe(z.number().min(1, 'expected an integer of at least 1')) })
    .optional(),
});

/** Reads, renders and parses an s.yaml file. */
export function loadSYaml(
  file: string,
  context: RenderContext,
  rules: DeploymentRules = {},
): { rendered: Record<string, unknown>; functions: FunctionSpec[] } {
  const rendered = renderSYaml(readFileSync(file, 'utf8'), context);
  return { rendered, functions: functionSpecs(rendered, rules) };
}

/** How the local runtime treats what FC's documentation leaves open (emulator/CONFORMANCE.md). */
export interface DeploymentRules {
  /**
   * A batch window (or event-streaming mode) on an EventBridge trigger whose source is `Default`.
   * FC documents batching for event-streaming sources only (MNS, RocketMQ, RabbitMQ, Kafka, MQTT,
   * DTS) and none for the Default source's event-driven mode; whether CreateTrigger then refuses
   * the setting or ignores it is UNCONFIRMED. 'refuse' (default) fails the deploy; 'ignore' deploys
   * it and still delivers one event per invocation.
   */
  batchingOnDefaultSource?: 'refuse' | 'ignore';
}

/** Every fc3 resource of the rendered document, in the order written. */
export function functionSpecs(rendered: Record<string, unknown>, rules: DeploymentRules = {}): FunctionSpec[] {
  const resources = rendered.resources;
  if (typeof resources !== 'object' || resources === null) throw new SYamlError('s.yaml: no resources');
  const specs: FunctionSpec[] = [];
  for (const [resourceId, resource] of Object.entries(
    resources as Record<string, { component?: unknown; props?: unknown }>,
  )) {
    if (resource?.component !== 'fc3') continue;
    const parsed = props.safeParse(resource.props);
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (i) => `resources.${resourceId}.props.${i.path.join('.')}: ${i.message}`,
      );
      throw new SYamlError(`s.yaml: ${problems.join('; ')}`);
    }
    specs.push(toSpec(resourceId, parsed.data, rules));
  }
  return specs;
}

function toSpec(resourceId: string, p: z.infer<typeof props>, rules: DeploymentRules): FunctionSpec {
  const where = `resources.${resourceId}`;
  const async = p.asyncInvokeConfig;
  return {
    resourceId,
    functionName: p.functionName,
    region: p.region,
    runtime: p.runtime,
    code: p.code,
    sourceDir: p.code.replace(/\/+$/, '').split('/').pop() ?? p.code,
    handler: p.handler,
    memorySize: p.memorySize,
    timeoutSeconds: p.timeout,
    roleArn: p.role,
    roleName: p.role ? roleNameOf(p.role) : undefined,
    reservedConcurrency: p.concurrencyConfig?.reservedConcurrency,
    environment: p.environmentVariables,
    logConfig:
      p.logConfig === undefined || p.logConfig === 'auto'
        ? p.logConfig
        : { project: p.logConfig.project, logstore: p.logConfig.logstore },
    asyncConfig: async && {
      maxAsyncRetryAttempts: async.maxAsyncRetryAttempts,
      maxAsyncEventAgeInSeconds: async.maxAsyncEventAgeInSeconds,
      asyncTask: async.asyncTask,
      onFailure: functionNameOf(async.destinationConfig?.onFailure?.destination, `${where}.asyncInvokeConfig`),
      onSuccess: functionNameOf(async.destinationConfig?.onSuccess?.destination, `${where}.asyncInvokeConfig`),
    },
    instanceConcurrency: p.instanceConcurrency,
    preStop: hookOf(p.instanceLifecycleConfig?.preStop),
    timers: p.triggers.filter((t) => t.triggerType === 'timer').map((t) => timerOf(t, where)),
    eventBridge: p.triggers.filter((t) => t.triggerType === 'eventbridge').map((t) => eventBridgeOf(t, where, rules)),
  };
}

function hookOf(hook: { handler: string; timeout: number } | undefined): LifecycleHookSpec | undefined {
  return hook && { handler: hook.handler, timeoutSeconds: hook.timeout };
}

/** fc3 accepts a full ARN acs:ram::<uid>:role/<name> or just the name (serverless-devs.md §1.1). */
export function roleNameOf(role: string): string {
  const match = /^acs:ram::[^:]*:role\/(.+)$/i.exec(role);
  return match?.[1] ?? role;
}

/** acs:fc:<region>:<uid>:functions/<name>; other destination kinds (MNS, EventBridge) are not emulated. */
function functionNameOf(arn: string | undefined, where: string): string | undefined {
  if (arn === undefined) return undefined;
  const match = /^acs:fc:[^:]*:[^:]*:functions\/([^/:]+)/.exec(arn);
  if (!match)
    throw new SYamlError(
      `${where}: destination ${arn} is not a function ARN; the local runtime only emulates FC destinations`,
    );
  return match[1];
}

function timerOf(t: z.infer<typeof trigger>, where: string): TimerTriggerSpec {
  const c = t.triggerConfig;
  if (typeof c.cronExpression !== 'string')
    throw new SYamlError(`${where}: timer ${t.triggerName} has no cronExpression`);
  return {
    triggerName: t.triggerName,
    cronExpression: c.cronExpression,
    payload: typeof c.payload === 'string' ? c.payload : undefined,
    enable: c.enable === undefined ? true : c.enable === true || c.enable === 'true',
  };
}

function eventBridgeOf(t: z.infer<typeof trigger>, where: string, rules: DeploymentRules): EventBridgeTriggerSpec {
  const c = t.triggerConfig;
  checkBatching(t, where, rules);
  const raw = c.eventRuleFilterPattern;
  let pattern: unknown;
  try {
    pattern = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch (error) {
    throw new SYamlError(
      `${where}: trigger ${t.triggerName}: eventRuleFilterPattern is not JSON (${(error as Error).message})`,
    );
  }
  if (typeof pattern !== 'object' || pattern === null)
    throw new SYamlError(`${where}: trigger ${t.triggerName} has no eventRuleFilterPattern`);
  return {
    triggerName: t.triggerName,
    pattern,
    async: c.asyncInvocationType === true || c.asyncInvocationType === 'true',
    enabled: c.triggerEnable === undefined ? true : c.triggerEnable === true || c.triggerEnable === 'true',
  };
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

/**
 * The Default source (Alibaba Cloud service events on the default bus) runs in event-driven mode:
 * "a single message is passed as the event", and batching is not supported in that mode; batch
 * windows apply to event-streaming sources only (FC 3.0 API, struct RunOptions `mode`; "Advanced
 * trigger features": batch push applies only to MNS, RocketMQ, RabbitMQ, Kafka and DTS triggers).
 */
function checkBatching(t: z.infer<typeof trigger>, where: string, rules: DeploymentRules): void {
  const c = t.triggerConfig;
  const source = record(c.eventSourceConfig).eventSourceType ?? 'Default';
  const run = record(c.runOptions);
  const batching = run.batchWindow !== undefined || run.mode === 'event-streaming';
  if (source !== 'Default' || !batching || rules.batchingOnDefaultSource === 'ignore') return;
  throw new SYamlError(
    `${where}: trigger ${t.triggerName}: runOptions.batchWindow / mode event-streaming do not apply to eventSourceType Default ` +
      '(Alibaba Cloud service events are delivered one per invocation; FC batches only event-streaming sources: MNS, RocketMQ, RabbitMQ, Kafka, MQTT, DTS)',
  );
}
