/**
 * Function Compute 3.0 invoke through @alicloud/fc20230330 (DESIGN D1: fc2 speaks the frozen 2.0
 * API and needs a service). Async invocations carry a delay (x-fc-async-delay, 0..3600 s) and a
 * task id (x-fc-async-task-id) that makes a duplicated submission harmless. The SDK (about 470 KB
 * bundled) is imported on first use with exactly `await import('@alicloud/fc20230330')`:
 * scripts/build.ts makes it a sibling file (fc-sdk.js), so a cold start that never invokes skips it.
 */
import { Readable } from 'node:stream';
import type { Config } from '../../config-types';
import { CloudError } from '../../errors';
import type { AsyncInvocation, InvokerPort } from '../../ports/scheduler';
import type { Caller } from './caller';
import { type CredentialSource, namedExport, openApiConfig, unwrapDefault } from './sdk';

const MAX_DELAY_SECONDS = 3600;
const TASK_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
const MAX_PAYLOAD_BYTES = 128 * 1024;

export interface SyncInvocationResult {
  statusCode: number;
  /** Set when the function failed (x-fc-error-type, e.g. UnhandledInvocationError). */
  errorType?: string;
  requestId?: string;
  body: string;
}

/** Clamps the delay into FC's range; a non-number is a programming error. */
export function asyncDelaySeconds(delay: number): number {
  if (!Number.isFinite(delay))
    throw new TypeError(`x-fc-async-delay must be a number of seconds, got ${String(delay)}`);
  return Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(delay)));
}

export function assertTaskId(taskId: string): void {
  if (!TASK_ID.test(taskId)) {
    throw new TypeError(
      `x-fc-async-task-id "${taskId}" must start with a letter or _, hold only letters, digits, _ and -, and be at most 128 characters`,
    );
  }
}

interface FcSdk {
  client: any;
  fc: any;
}

export class FcInvoker implements InvokerPort {
  constructor(
    private readonly config: Config,
    private readonly source: CredentialSource,
    private readonly caller: Caller,
    /** Where the loaded SDK and client are kept: shared across invocations by the handlers (sdk-cache.ts). */
    private readonly shared: { fc?: Promise<FcSdk> } = {},
  ) {}

  private sdk(): Promise<FcSdk> {
    const shared = this.shared;
    if (!shared.fc) {
      // Built on first use: the FC endpoint needs the account id, which the CLI may not have.
      const loading = (async (): Promise<FcSdk> => {
        const fc: any = await import('@alicloud/fc20230330');
        const Client = unwrapDefault(fc);
        return { client: new Client(openApiConfig(this.config, 'fc', this.source)), fc };
      })();
      shared.fc = loading;
      // A failed load or a missing account id is tried again by the next call.
      loading.catch(() => {
        if (shared.fc === loading) shared.fc = undefined;
      });
    }
    return shared.fc;
  }

  async invokeAsync(invocation: AsyncInvocation): Promise<void> {
    assertTaskId(invocation.taskId);
    const delay = asyncDelaySeconds(invocation.delaySeconds);
    await this.invoke('InvokeFunction', invocation.functionName, invocation.payload, {
      xFcInvocationType: 'Async',
      xFcAsyncTaskId: invocation.taskId,
      commonHeaders: { 'x-fc-async-delay': String(delay) },
    });
  }

  /** A synchronous invocation, for the CLI's `invoke` command. */
  async invokeSync(functionName: string, payload: unknown): Promise<SyncInvocationResult> {
    const response = await this.invoke('InvokeFunction', functionName, payload, {
      xFcInvocationType: 'Sync',
      xFcLogType: 'None',
    });
    const headers: Record<string, string> = response?.headers ?? {};
    const result: SyncInvocationResult = {
      statusCode: Number(response?.statusCode ?? 0),
      body: await readAll(response?.body),
    };
    const errorType = headers['x-fc-error-type'];
    if (errorType) result.errorType = errorType;
    const requestId = headers['x-fc-request-id'];
    if (requestId) result.requestId = requestId;
    return result;
  }

  private async invoke(
    action: string,
    functionName: string,
    payload: unknown,
    headerFields: Record<string, unknown>,
  ): Promise<any> {
    const body = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload ?? {}));
    if (body.length > MAX_PAYLOAD_BYTES) {
      throw new CloudError({
        code: 'PayloadTooLarge',
        message: `payload of ${body.length} bytes exceeds FC's 128 KB`,
        product: 'fc',
        action,
        retryable: false,
      });
    }
    return this.caller.call('fc', action, async () => {
      const { client, fc } = await this.sdk();
      const Request = namedExport(fc, 'InvokeFunctionRequest');
      const Headers = namedExport(fc, 'InvokeFunctionHeaders');
      // A fresh stream per attempt: a consumed one cannot be sent again.
      return client.invokeFunctionWithOptions(
        functionName,
        new Request({ body: Readable.from([body]) }),
        new Headers({ ...headerFields, commonHeaders: { ...(headerFields.commonHeaders as object) } }),
        {},
      );
    });
  }
}

async function readAll(stream: unknown): Promise<string> {
  if (!stream) return '';
  if (typeof stream === 'string') return stream;
  if (Buffer.isBuffer(stream)) return stream.toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer | string>)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
