/**
 * `s deploy`, into the emulator: reads s.yaml, renders it with the deployer's environment, and
 * registers each function with the emulated Function Compute exactly as written (handler from the
 * code path, environment, timeout, memory, role, async config), its timer triggers with the FC
 * scheduler and its EventBridge triggers as subscriptions with the same filter patterns. The
 * handlers are the real ones (createHandler) and reach the emulator over HTTP like they reach the
 * cloud, so the only differences from FC are KRO_ENDPOINT, KRO_PACING and the simulated clock.
 * Each function runs on a pool of instances sized by its instanceConcurrency (instance-pool.ts);
 * close() destroys them, running their PreStop hooks first.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock, Random } from '../../shared/clock';
import type { HandlerFactory } from '../../shared/ports/runtime';
import type { AuthStore, EventBus, FunctionService, LocalFunction, PolicyDocument } from '../services/contracts';
import type { CloudEvent } from '../types';
import { loadSYaml, type DeploymentRules, type FunctionSpec } from './deployment-spec';
import { contextFor } from '../services/fc/run-handler';
import { loadHandlerFactory, PROJECT_ROOT } from './handler-modules';
import { InstancePool } from './instance-pool';

/** What the local runtime needs of an emulator (createEmulator's Emulator has all of it). */
export interface LocalCloud {
  accountId: string;
  regionId: string;
  clock: { now(): number };
  fc: FunctionService;
  bus: EventBus;
  auth: AuthStore;
  listen?(options?: { port?: number; host?: string }): Promise<{ url: string; port: number; close(): Promise<void> }>;
}

export interface DeployLocalOptions {
  /** Default: s.yaml at the repository root. */
  sYamlPath?: string;
  /** The deployer's environment, for ${env('X', 'default')} (default: none, so s.yaml's defaults). */
  env?: Record<string, string | undefined>;
  /** Extra variables for every function, after s.yaml's (for settings s.yaml does not expose). */
  functionEnv?: Record<string, string>;
  /** Apply deploy/ram-policy.json to the function role: calls outside it get Forbidden.NoPermission. */
  enforcePolicy?: boolean;
  /** The policy to enforce instead of deploy/ram-policy.json. */
  policy?: PolicyDocument;
  /** Where functions/<dir>/index.ts live (default: this repository). */
  sourceRoot?: string;
  /** host:port of the emulator's running server; default: start one with emulator.listen(). */
  endpoint?: string;
  random?: Random;
  /** Where handler log lines go; default: kept in memory (the last 2,000, see logs()). */
  writeLine?: (line: string) => void;
  /** How to treat what FC leaves open (deployment-spec.ts DeploymentRules; CONFORMANCE.md). */
  rules?: DeploymentRules;
  /** Build a function's handler factory (tests); default: import functions/<dir>/index.ts. */
  loadFactory?: (spec: FunctionSpec) => Promise<HandlerFactory>;
}

export interface DeployedFunction extends FunctionSpec {
  /** The environment the handler runs with (s.yaml's plus the runtime's own). */
  runtimeEnv: Record<string, string>;
  subscriptions: string[];
  /** How many instances the function has started so far (requests share one up to instanceConcurrency). */
  instances(): number;
}

export interface LocalDeployment {
  functions: DeployedFunction[];
  /** host:port every handler calls. */
  endpoint: string;
  /** The rendered s.yaml, as `s preview` prints it. */
  rendered: Record<string, unknown>;
  logs(): string[];
  /**
   * Removes the EventBridge subscriptions, destroys the functions' instances (each runs its PreStop
   * hook, against the still-running server; a failing hook is logged) and stops the server this
   * deployment started.
   */
  close(): Promise<void>;
}

const KEPT_LOG_LINES = 2000;

export async function deployLocal(emulator: LocalCloud, options: DeployLocalOptions = {}): Promise<LocalDeployment> {
  const sYamlPath = options.sYamlPath ?? path.join(PROJECT_ROOT, 's.yaml');
  const { rendered, functions: specs } = loadSYaml(
    sYamlPath,
    { env: options.env ?? {}, config: { AccountID: emulator.accountId } },
    options.rules,
  );

  let server: { close(): Promise<void> } | undefined;
  let endpoint = options.endpoint;
  if (!endpoint) {
    if (!emulator.listen) throw new Error('deployLocal: give options.endpoint or an emulator that can listen()');
    const listening = await emulator.listen({ port: 0 });
    server = listening;
    endpoint = `127.0.0.1:${listening.port}`;
  }

  const kept: string[] = [];
  const writeLine =
    options.writeLine ??
    ((line: string) => {
      kept.push(line);
      if (kept.length > KEPT_LOG_LINES) kept.splice(0, kept.length - KEPT_LOG_LINES);
    });
  // Handlers wait (backoff, pacing) through this clock: simulated time does not move inside an invocation.
  const clock: Clock = { now: () => emulator.clock.now(), sleep: async () => undefined };
  const policy = options.enforcePolicy ? (options.policy ?? readPolicy()) : undefined;
  const loadFactory =
    options.loadFactory ?? ((spec: FunctionSpec) => loadHandlerFactory(spec.sourceDir, options.sourceRoot));

  const functions: DeployedFunction[] = [];
  const pools: Array<{ spec: FunctionSpec; pool: InstancePool; local: LocalFunction }> = [];
  const unsubscribes: Array<() => void> = [];
  for (const spec of specs) {
    const runtimeEnv: Record<string, string> = {
      ...spec.environment,
      ...options.functionEnv,
      KRO_ENDPOINT: endpoint,
      KRO_PACING: 'false',
      FC_ACCOUNT_ID: emulator.accountId,
      FC_REGION: spec.region,
      FC_FUNCTION_NAME: spec.functionName,
      FC_FUNCTION_HANDLER: spec.handler,
      FC_FUNCTION_MEMORY_SIZE: String(spec.memorySize),
    };
    const factory = await loadFactory(spec);
    const pool = new InstancePool(
      () => factory({ env: runtimeEnv, clock, random: options.random, writeLine }),
      spec.instanceConcurrency,
    );
    if (spec.roleName && options.enforcePolicy) emulator.auth.setRolePolicy(spec.roleName, policy);
    const local = toLocalFunction(spec, pool.handler);
    emulator.fc.register(local);
    pools.push({ spec, pool, local });

    for (const timer of spec.timers) {
      emulator.fc.addTimer({ functionName: spec.functionName, ...timer });
    }
    const subscriptions: string[] = [];
    for (const trigger of spec.eventBridge.filter((t) => t.enabled)) {
      const name = `${spec.functionName}/${trigger.triggerName}`;
      unsubscribes.push(
        emulator.bus.subscribe({
          name,
          pattern: trigger.pattern,
          deliver: (event: CloudEvent) => deliver(emulator.fc, spec.functionName, event, trigger.async),
        }),
      );
      subscriptions.push(name);
    }
    functions.push({ ...spec, runtimeEnv, subscriptions, instances: () => pool.size() });
  }

  return {
    functions,
    endpoint,
    rendered,
    logs: () => [...kept],
    close: async () => {
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
      const site = {
        auth: emulator.auth,
        accountId: emulator.accountId,
        regionId: emulator.regionId,
        clock: emulator.clock,
      };
      for (const { spec, pool, local } of pools.splice(0)) {
        if (!spec.preStop) continue;
        const context = () => contextFor(local, `prestop-${randomUUID()}`, site);
        for (const failure of await pool.stop(context, spec.preStop.timeoutSeconds))
          writeLine(
            JSON.stringify({
              level: 'error',
              message: 'PreStop failed',
              functionName: spec.functionName,
              error: failure.message,
            }),
          );
      }
      await server?.close();
      server = undefined;
    },
  };
}

function toLocalFunction(spec: FunctionSpec, handler: LocalFunction['handler']): LocalFunction {
  return {
    name: spec.functionName,
    handler,
    timeoutSeconds: spec.timeoutSeconds,
    memoryMb: spec.memorySize,
    roleName: spec.roleName,
    reservedConcurrency: spec.reservedConcurrency,
    asyncConfig: spec.asyncConfig,
  };
}

// EventBridge hands FC one CloudEvent per invocation from the Default source: its event-driven mode
// does not batch (FC 3.0 API struct RunOptions; alibaba-cloud-apis.md §6.2; deployment-spec.ts).
async function deliver(fc: FunctionService, functionName: string, event: CloudEvent, async: boolean): Promise<void> {
  const reply = await fc.invoke(functionName, Buffer.from(JSON.stringify(event)), { async });
  // A failed synchronous delivery is recorded by the bus as a failed delivery.
  if (reply.error) throw new Error(`${functionName}: ${reply.error}`);
}

export function readPolicy(file = path.join(PROJECT_ROOT, 'deploy', 'ram-policy.json')): PolicyDocument {
  return JSON.parse(readFileSync(file, 'utf8')) as PolicyDocument;
}
