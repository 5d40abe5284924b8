/**
 * What every handler shares: configuration parsed once per instance (a ConfigError is logged
 * clearly and fails the invocation), a logger per invocation (requestId, functionName), clients
 * built from the invocation's credentials, the runtime's clock (simulated locally) and a JSON
 * result with counts only. The handler body never sees raw FC input.
 */
import { activeClock, type Random } from '../clock';
import type { Config } from '../config-types';
import { loadConfig } from '../config';
import { ConfigError } from '../errors';
import { registerSensitive } from '../domain/redact';
import { createLogger } from '../log';
import type { CloudClients } from '../ports/cloud';
import type { Logger } from '../ports/logger';
import type { FcContext, FcHandler, HandlerRuntime } from '../ports/runtime';
import type { Verifier } from '../ports/verifier';
import type { TargetReads } from '../readiness/port';
import type { Clock } from '../clock';
import type { CoreDeps } from '../core/deps';
import type { FunctionKey, QuotaConsumer } from '../quota-share';

export interface WiringArgs {
  config: Readonly<Config>;
  credentials: FcContext['credentials'];
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Whose part of the KMS quota share the clients' calls take (quota-share.ts). */
  quotaConsumer: QuotaConsumer;
}

/** How clients and probes are built: the Alibaba adapters on FC and locally, fakes in tests. */
export interface Wiring {
  createClients(args: WiringArgs): CloudClients | Promise<CloudClients>;
  createVerifier?(args: WiringArgs & { clients: CloudClients }): Verifier | undefined;
  /** The readiness forecast's reads of rotation targets; absent = no forecast. */
  createTargets?(args: WiringArgs & { clients: CloudClients }): TargetReads | undefined;
}

export type HandlerBody<R> = (deps: CoreDeps, event: Buffer, context: FcContext) => Promise<R>;

/** A PreStop body: the instance's last chance to hand over what it kept (FC 3.0 instance lifecycle hooks). */
export type PreStopBody = (deps: CoreDeps, context: FcContext) => Promise<void>;

export function createFunctionHandler<R>(
  functionKey: FunctionKey,
  runtime: HandlerRuntime,
  wiring: () => Promise<Wiring>,
  body: HandlerBody<R>,
  hooks: { preStop?: PreStopBody } = {},
): FcHandler {
  let config: Readonly<Config> | undefined;
  let configError: ConfigError | undefined;
  let registeredCredentials = '';
  const baseLogger = (level: Config['logLevel'] = 'info') =>
    createLogger({ level, writeLine: runtime.writeLine, clock: runtime.clock });

  /** What every invocation and hook of this instance gets; throws when the configuration is invalid. */
  const depsFor = async (context: FcContext): Promise<CoreDeps> => {
    if (!config && !configError) {
      try {
        config = loadConfig(runtime.env);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        configError = error;
      }
    }
    const functionName = context.function?.name ?? functionKey;
    if (configError || !config) {
      baseLogger().error('configuration invalid: fix the function environment variables and redeploy', {
        requestId: context.requestId,
        functionName,
        problems: configError?.problems,
      });
      throw configError ?? new Error('configuration unavailable');
    }
    // The function role's STS pair must never reach a log line, whatever an SDK error quotes. A
    // warm instance gets the same pair on every invocation until it nears expiry: register it once.
    const secretPart = context.credentials
      ? `${context.credentials.accessKeySecret}\u0000${context.credentials.securityToken ?? ''}`
      : '';
    if (secretPart && secretPart !== registeredCredentials) {
      for (const value of [context.credentials?.accessKeySecret, context.credentials?.securityToken])
        if (value) registerSensitive(value);
      registeredCredentials = secretPart;
    }
    const logger = baseLogger(config.logLevel).child({ requestId: context.requestId, functionName });
    const clock = runtime.clock ?? activeClock();
    const random = runtime.random ?? Math.random;
    const w = await wiring();
    const args: WiringArgs = {
      config,
      credentials: context.credentials,
      clock,
      random,
      logger,
      quotaConsumer: runtime.quotaConsumer ?? functionKey,
    };
    const clients = await w.createClients(args);
    return {
      config,
      clients,
      clock,
      random,
      logger,
      functionName,
      verify: w.createVerifier?.({ ...args, clients }),
      targets: w.createTargets?.({ ...args, clients }),
    };
  };

  const handler: FcHandler = async (event, context) => {
    const deps = await depsFor(context);
    try {
      const result = await body(deps, Buffer.isBuffer(event) ? event : Buffer.from(String(event ?? '')), context);
      deps.logger.info('invocation done', { result });
      return result;
    } catch (error) {
      deps.logger.error('invocation failed', { error });
      throw error;
    }
  };
  const preStop = hooks.preStop;
  if (preStop)
    handler.preStop = async (context) => {
      const deps = await depsFor(context);
      try {
        await preStop(deps, context);
        deps.logger.info('preStop done');
      } catch (error) {
        deps.logger.error('preStop failed', { error });
        throw error;
      }
    };
  return handler;
}

/** Parses the body of an FC invocation as JSON, or undefined when it is not JSON. */
export function jsonBody(event: Buffer): unknown {
  const text = event.toString('utf8').trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
