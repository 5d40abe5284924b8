/** The Function Compute invocation contract, and how a handler is built (FC or local runtime). */
import type { Clock, Random } from '../clock';
import type { QuotaConsumer } from '../quota-share';

export interface FcCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** The fields of FC's `context` that the orchestrator reads (alibaba-cloud-apis.md §6.1). */
export interface FcContext {
  requestId: string;
  credentials: FcCredentials;
  function: { name: string; handler?: string; memory?: number; timeout?: number };
  region?: string;
  accountId?: string;
}

/**
 * An instance lifecycle hook (FC 3.0 `instanceLifecycleConfig`): called with the context only.
 * PreStop runs once before FC destroys the instance (lifecycle-hooks-for-function-instances).
 */
export type FcLifecycleHook = (context: FcContext) => Promise<void>;

export interface FcHandler {
  (event: Buffer, context: FcContext): Promise<unknown>;
  /** The function's PreStop hook, on the same instance state as the handler (s.yaml preStop.handler). */
  preStop?: FcLifecycleHook;
}

/**
 * What differs between Function Compute and the local runtime. On FC: env = process.env and the
 * defaults for the rest. The local runtime passes each function's environment from s.yaml and
 * the emulator's clock, so the same handler code runs in both.
 */
export interface HandlerRuntime {
  env: Record<string, string | undefined>;
  clock?: Clock;
  random?: Random;
  /** Where JSON log lines go (default: process.stdout). */
  writeLine?: (line: string) => void;
  /**
   * Whose part of the KMS quota share the handler's calls take (default: its own function's).
   * `kro invoke` runs a handler on the operator's machine, beside the deployed instances: 'cli'.
   */
  quotaConsumer?: QuotaConsumer;
}

/** Every functions/<name>/index.ts exports `handler` (for FC) and `createHandler` (for the local runtime). */
export type HandlerFactory = (runtime: HandlerRuntime) => FcHandler;
