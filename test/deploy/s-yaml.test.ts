import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionSpecs, renderSYaml, SYamlError } from '../../emulator/runtime';
import { CONFIG_VARIABLES, loadConfig } from '../../shared/config';
import { RESERVED_CONCURRENCY, type FunctionKey } from '../../shared/quota-share';
import { ACCOUNT_ID, ROOT, sPreview } from './s-preview';

const sYamlText = readFileSync(path.join(ROOT, 's.yaml'), 'utf8');
const OVERRIDES = {
  KRO_REGION_ID: 'cn-shanghai',
  KRO_DRY_RUN: 'true',
  KRO_ALERT_CONTACT_GROUP: 'dba-oncall',
  KRO_SWEEP_CRON: '0 0 * * * *',
};

/** Each documented variable that some function lacks, and each KRO_ variable no one documents. */
function missingFromSYaml(rendered: Record<string, unknown>): string[] {
  const specs = functionSpecs(rendered);
  const problems: string[] = [];
  for (const v of CONFIG_VARIABLES.filter((c) => c.passedToFunctions)) {
    const lacking = specs.filter((s) => !(v.name in s.environment)).map((s) => s.functionName);
    if (lacking.length > 0) problems.push(`${v.name}: not passed to ${lacking.join(', ')}`);
  }
  const documented = new Set(CONFIG_VARIABLES.filter((c) => c.passedToFunctions).map((c) => c.name));
  const passed = new Set(specs.flatMap((s) => Object.keys(s.environment)));
  for (const name of passed) if (!documented.has(name)) problems.push(`${name}: passed by s.yaml but not documented`);
  return problems;
}
/**
 * Each function whose reserved concurrency in s.yaml is not the one the quota share is divided by
 * (shared/quota-share.ts): more instances than the table says would take more than the share.
 */
function reservationMismatches(rendered: Record<string, unknown>): string[] {
  const specs = functionSpecs(rendered);
  const problems: string[] = [];
  for (const [key, reserved] of Object.entries(RESERVED_CONCURRENCY) as Array<[FunctionKey, number]>) {
    const spec = specs.find((s) => s.sourceDir === key);
    if (spec?.reservedConcurrency !== reserved)
      problems.push(
        `${key}: reservedConcurrency ${spec?.reservedConcurrency ?? 'unset'}, RESERVED_CONCURRENCY ${reserved}`,
      );
  }
  for (const spec of specs)
    if (!(spec.sourceDir in RESERVED_CONCURRENCY)) problems.push(`${spec.sourceDir}: not in RESERVED_CONCURRENCY`);
  return problems;
}

const API_CALLS = [
  'RotateSecret',
  'UpdateSecretRotationPolicy',
  'DeleteSecret',
  'RestoreSecret',
  'PutSecretValue',
  'UpdateSecretVersionStage',
  'CreateSecret',
];

describe('s.yaml', () => {
  let preview: Record<string, unknown>;
  let previewOverridden: Record<string, unknown>;

  beforeAll(async () => {
    [preview, previewOverridden] = await Promise.all([sPreview(), sPreview(OVERRIDES)]);
  }, 120_000);

  it('renders offline with s preview into three nodejs20 functions built from dist/functions', () => {
    const specs = functionSpecs(preview);
    expect(specs.map((s) => [s.functionName, s.runtime, s.code, s.handler, s.memorySize, s.timeoutSeconds])).toEqual([
      ['kro-sweep', 'nodejs20', './dist/functions/sweep', 'index.handler', 512, 600],
      ['kro-on-event', 'nodejs20', './dist/functions/on-event', 'index.handler', 256, 60],
      ['kro-remediate', 'nodejs20', './dist/functions/remediate', 'index.handler', 256, 120],
    ]);
    for (const spec of specs) expect(spec.roleArn).toBe(`acs:ram::${ACCOUNT_ID}:role/kro-orchestrator`);
  });

  it('gives every function the same configuration, with the account and the function names', () => {
    const [sweep, onEvent, remediate] = functionSpecs(preview);
    expect(onEvent?.environment).toEqual(sweep?.environment);
    expect(remediate?.environment).toEqual(sweep?.environment);
    expect(sweep?.environment).toMatchObject({
      KRO_REGION_ID: 'cn-hangzhou',
      KRO_ACCOUNT_ID: ACCOUNT_ID,
      KRO_DRY_RUN: 'false',
      KRO_SWEEP_FUNCTION: 'kro-sweep',
      KRO_REMEDIATE_FUNCTION: 'kro-remediate',
      KRO_SWEEP_CRON: '0 */10 * * * *',
    });
    // FC reserves FC_* and limits the environment to 4 KB (alibaba-cloud-apis.md §6.1).
    expect(Object.keys(sweep?.environment ?? {}).filter((k) => k.startsWith('FC_'))).toEqual([]);
    expect(JSON.stringify(sweep?.environment).length).toBeLessThan(4096);
  });

  it("passes every variable of the README's configuration table to every function, with the code's defaults", () => {
    expect(missingFromSYaml(preview)).toEqual([]);
    const [sweep] = functionSpecs(preview);
    // The defaults in s.yaml's vars are the parser's: the rendered environment parses to the same Config.
    expect(loadConfig(sweep!.environment)).toEqual(loadConfig({ FC_ACCOUNT_ID: ACCOUNT_ID }));
    // The webhook's URL carries a token and only bootstrap reads it: no function holds it.
    expect(Object.keys(sweep!.environment)).not.toContain('KRO_ALERT_DINGTALK_WEBHOOK');
    expect(sYamlText).not.toMatch(/^\s+KRO_ALERT_DINGTALK_WEBHOOK:/m);
  });

  it('fails the check when a variable is removed from s.yaml or an undocumented one is added', () => {
    const without = sYamlText.replace(/^ {8}KRO_VERIFY_TARGETS: .*\n/m, '');
    expect(without).not.toBe(sYamlText);
    expect(missingFromSYaml(renderSYaml(without, { env: {}, config: { AccountID: ACCOUNT_ID } }))).toEqual([
      'KRO_VERIFY_TARGETS: not passed to kro-sweep, kro-on-event, kro-remediate',
    ]);
    const stray = sYamlText.replace(/^( {8})KRO_VERIFY_TARGETS: .*$/m, "$&\n$1KRO_SWEEP_INTERVAL_SECONDS: '600'");
    expect(missingFromSYaml(renderSYaml(stray, { env: {}, config: { AccountID: ACCOUNT_ID } }))).toEqual([
      'KRO_SWEEP_INTERVAL_SECONDS: passed by s.yaml but not documented',
    ]);
  });

  it('takes overrides from the deployer environment', () => {
    const [sweep] = functionSpecs(previewOverridden);
    expect(sweep?.region).toBe('cn-shanghai');
    expect(sweep?.environment).toMatchObject({
      KRO_REGION_ID: 'cn-shanghai',
      KRO_DRY_RUN: 'true',
      KRO_ALERT_CONTACT_GROUP: 'dba-oncall',
    });
    expect(sweep?.asyncConfig?.onFailure).toBe('kro-on-event');
    // One variable feeds both the timer and the functions, which derive the sweep period from it.
    expect(sweep?.timers[0]?.cronExpression).toBe('0 0 * * * *');
    expect(sweep?.environment.KRO_SWEEP_CRON).toBe('0 0 * * * *');
    expect(loadConfig(sweep!.environment).sweep.intervalSeconds).toBe(3600);
  });

  it('runs the sweep every ten minutes on a six-field FC cron', () => {
    const [sweep] = functionSpecs(preview);
    expect(sweep?.timers).toEqual([
      { triggerName: 'kro-sweep-timer', cronExpression: '0 */10 * * * *', payload: '{"mode":"sweep"}', enable: true },
    ]);
    expect(sweep?.timers[0]?.cronExpression.split(' ')).toHaveLength(6);
  });

  it('sends on-event the rotation results and the write calls that matter, never the tag writes', () => {
    const onEvent = functionSpecs(preview)[1];
    expect(onEvent?.eventBridge.map((t) => [t.triggerName, t.async, t.enabled])).toEqual([
      ['kro-kms-rotation-results', true, true],
      ['kro-kms-api-calls', true, true],
    ]);
    expect(onEvent?.eventBridge[0]?.pattern).toEqual({
      source: ['acs.kms'],
      type: ['kms:CloudMonitor:Secret[RotateSecret:Failure]', 'kms:CloudMonitor:Secret[RotateSecret:Success]'],
    });
    const apiCalls = onEvent?.eventBridge[1]?.pattern as {
      source: string[];
      type: string[];
      data: { eventName: string[] };
    };
    expect(apiCalls.source).toEqual(['acs.kms']);
    expect(apiCalls.type).toEqual(['kms:ActionTrail:ApiCall']);
    expect([...apiCalls.data.eventName].sort()).toEqual([...API_CALLS].sort());
    expect(apiCalls.data.eventName).not.toContain('TagResource');
    expect(apiCalls.data.eventName).not.toContain('UntagResource');
  });

  it('bounds async retries and sends what FC gives up on to on-event', () => {
    const [sweep, , remediate] = functionSpecs(preview);
    for (const spec of [sweep, remediate]) {
      expect(spec?.asyncConfig?.asyncTask).toBe(true);
      expect(spec?.asyncConfig?.maxAsyncRetryAttempts).toBeGreaterThanOrEqual(2);
      expect(spec?.asyncConfig?.maxAsyncRetryAttempts).toBeLessThanOrEqual(3);
      expect(spec?.asyncConfig?.maxAsyncEventAgeInSeconds).toBeLessThanOrEqual(604_800);
      expect(spec?.asyncConfig?.onFailure).toBe('kro-on-event');
    }
  });

  it('refuses a batch window on a Default-source trigger (it runs in event-driven mode, one event per invocation) unless told to ignore it', () => {
    const withRunOptions = (runOptions: unknown, eventSourceType = 'Default') => {
      const resources = structuredClone(preview.resources) as Record<string, { props: { triggers: unknown[] } }>;
      const trigger = resources.onEvent!.props.triggers[0] as { triggerConfig: Record<string, unknown> };
      trigger.triggerConfig.runOptions = runOptions;
      trigger.triggerConfig.eventSourceConfig = { eventSourceType };
      return { ...preview, resources };
    };
    const batched = withRunOptions({ batchWindow: { CountBasedWindow: 10, TimeBasedWindow: 2 } });
    expect(() => functionSpecs(batched)).toThrow(/kro-kms-rotation-results.*eventSourceType Default/);
    expect(() => functionSpecs(withRunOptions({ mode: 'event-streaming' }))).toThrow(SYamlError);
    expect(() => functionSpecs(batched, { batchingOnDefaultSource: 'ignore' })).not.toThrow();
    expect(() => functionSpecs(withRunOptions({ batchWindow: { CountBasedWindow: 10 } }, 'MNS'))).not.toThrow();
    expect(() => functionSpecs(withRunOptions({ errorsTolerance: 'ALL' }))).not.toThrow();
  });

  it("sends every function's JSON logs to SLS (fc3 logConfig: auto)", () => {
    const specs = functionSpecs(preview);
    expect(specs.map((f) => f.logConfig)).toEqual(['auto', 'auto', 'auto']);
  });

  it("refuses a logConfig fc3's schema does not allow, naming the resource", () => {
    const withLog = (logConfig: unknown) => {
      const resources = structuredClone(preview.resources) as Record<string, { props: Record<string, unknown> }>;
      resources.sweep!.props.logConfig = logConfig;
      return () => functionSpecs({ ...preview, resources });
    };
    expect(withLog({ project: 'kro-logs', logstore: 'functions' })()[0]?.logConfig).toEqual({
      project: 'kro-logs',
      logstore: 'functions',
    });
    expect(withLog('on')).toThrow(/resources\.sweep\.props\.logConfig/);
    expect(withLog({ project: 'kro-logs' })).toThrow(/logConfig/);
  });

  it('caps each function at the reserved concurrency the KMS quota share is divided by (RESERVED_CONCURRENCY)', () => {
    expect(reservationMismatches(preview)).toEqual([]);
    expect(functionSpecs(preview).map((s) => [s.sourceDir, s.reservedConcurrency])).toEqual([
      ['sweep', 1],
      ['on-event', 4],
      ['remediate', 2],
    ]);
  });

  it('fails the reservation check when s.yaml and the table part', () => {
    const resources = structuredClone(preview.resources) as Record<string, { props: Record<string, unknown> }>;
    resources.onEvent!.props.concurrencyConfig = { reservedConcurrency: 8 };
    delete resources.remediate!.props.concurrencyConfig;
    expect(reservationMismatches({ ...preview, resources })).toEqual([
      'on-event: reservedConcurrency 8, RESERVED_CONCURRENCY 4',
      'remediate: reservedConcurrency unset, RESERVED_CONCURRENCY 2',
    ]);
  });

  it("refuses a reservedConcurrency fc3's schema or the product would not take, naming the resource", () => {
    const withReserved = (concurrencyConfig: unknown) => {
      const resources = structuredClone(preview.resources) as Record<string, { props: Record<string, unknown> }>;
      resources.sweep!.props.concurrencyConfig = concurrencyConfig;
      return () => functionSpecs({ ...preview, resources });
    };
    expect(withReserved({ reservedConcurrency: '3' })()[0]?.reservedConcurrency).toBe(3);
    expect(withReserved(undefined)()[0]?.reservedConcurrency).toBeUndefined();
    expect(withReserved({ reservedConcurrency: 0 })).toThrow(/resources\.sweep\.props\.concurrencyConfig/);
    expect(withReserved({ reservedConcurrency: 1.5 })).toThrow(/concurrencyConfig/);
    expect(withReserved({})).toThrow(/concurrencyConfig\.reservedConcurrency/);
  });

  it('lets ten requests share an on-event instance and one share the others (FC default), within fc3 1..200', () => {
    const specs = functionSpecs(preview);
    expect(specs.map((f) => [f.functionName, f.instanceConcurrency])).toEqual([
      ['kro-sweep', 1],
      ['kro-on-event', 10],
      ['kro-remediate', 1],
    ]);
    const withConcurrency = (value: unknown) => {
      const resources = structuredClone(preview.resources) as Record<string, { props: Record<string, unknown> }>;
      resources.onEvent!.props.instanceConcurrency = value;
      return () => functionSpecs({ ...preview, resources });
    };
    expect(withConcurrency('200')()[1]?.instanceConcurrency).toBe(200);
    expect(withConcurrency(0)).toThrow(/resources\.onEvent\.props\.instanceConcurrency/);
    expect(withConcurrency(201)).toThrow(/instanceConcurrency/);
  });

  it("gives on-event a PreStop hook that names an export of its handler's module", async () => {
    const onEvent = functionSpecs(preview).find((f) => f.functionName === 'kro-on-event');
    expect(onEvent?.preStop).toEqual({ handler: 'index.preStop', timeoutSeconds: 10 });
    const module = (await import('../../functions/on-event/index')) as Record<string, unknown>;
    expect(typeof module[onEvent!.preStop!.handler.split('.')[1]!]).toBe('function');
    expect(
      functionSpecs(preview)
        .filter((f) => f.preStop)
        .map((f) => f.functionName),
    ).toEqual(['kro-on-event']);
  });

  it('builds, then sets up the role, its policy and the alarm rules before the functions are deployed', () => {
    expect(preview.actions).toEqual({
      'pre-deploy': [
        { run: 'npm ci && npm run build', path: './' },
        { run: 'npx kro setup --region cn-hangzhou', path: './' },
      ],
    });
    expect((previewOverridden.actions as Record<string, Array<{ run: string }>>)['pre-deploy']?.[1]?.run).toBe(
      'npx kro setup --region cn-shanghai',
    );
  });

  it('renders exactly like s preview, with the defaults and with overrides', () => {
    expect(renderSYaml(sYamlText, { env: {}, config: { AccountID: ACCOUNT_ID } })).toEqual(preview);
    expect(renderSYaml(sYamlText, { env: OVERRIDES, config: { AccountID: ACCOUNT_ID } })).toEqual(previewOverridden);
  });
});

describe('renderSYaml', () => {
  const render = (text: string, env: Record<string, string> = {}) =>
    renderSYaml(text, { env, config: { AccountID: '42' } });

  it('renders env defaults, vars, config and this.props inside longer strings', () => {
    const out = render(
      [
        "vars: { region: \"${env('R', 'cn-hangzhou')}\" }",
        'resources:',
        '  a:',
        '    component: fc3',
        '    props:',
        '      functionName: f',
        '      description: \'runs ${this.props.functionName} in ${vars.region} for ${config("AccountID")}\'',
      ].join('\n'),
      { R: 'cn-beijing' },
    );
    expect((out.resources as any).a.props.description).toBe('runs f in cn-beijing for 42');
  });

  it('names the expression when an environment variable has no value and no default', () => {
    expect(() => render("name: ${env('MISSING')}")).toThrow(
      /name: \$\{env\('MISSING'\)\}: environment variable MISSING is not set/,
    );
  });

  it('refuses variable forms it does not know instead of deploying them literally', () => {
    expect(() => render('name: ${sweep.output.arn}')).toThrow(SYamlError);
    expect(() => render('name: ${vars.nope}')).toThrow(/is not defined/);
  });
});
