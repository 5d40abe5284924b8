/**
 * The FC 3.0 InvokeFunction wire form (alibaba-cloud-apis.md §6.4): `POST
 * /2023-03-30/functions/{name}/invocations?qualifier=..`, the event as the raw body, options in
 * x-fc-* headers; the reply is the handler's raw result, not a JSON envelope. A handler error is
 * HTTP 200 with `x-fc-error-type`, as FC does; only request problems are HTTP errors.
 */
import { ApiError, rawReply, type ApiReply, type ApiRequest } from '../../types';
import type { InvokeResult } from './invoker';
import { encodeResult } from './run-handler';

const INVOKE_PATH = /^\/2023-03-30\/functions\/([^/]+)\/invocations\/?$/;

export interface ParsedInvoke {
  functionName: string;
  async: boolean;
  delaySeconds?: number;
  taskId?: string;
  body: Buffer;
}

function header(req: ApiRequest, name: string): string | undefined {
  const direct = req.headers[name];
  if (direct !== undefined) return direct;
  const key = Object.keys(req.headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : req.headers[key];
}

export function parseInvokeRequest(req: ApiRequest): ParsedInvoke {
  const m = INVOKE_PATH.exec(req.path);
  if (!m) throw new ApiError(404, 'NotFound', `no FC 3.0 operation at ${req.method} ${req.path}`);
  if (req.method.toUpperCase() !== 'POST')
    throw new ApiError(405, 'MethodNotAllowed', `${req.method} is not allowed on ${req.path}`);
  const type = header(req, 'x-fc-invocation-type') ?? 'Sync';
  if (!/^(sync|async)$/i.test(type))
    throw new ApiError(400, 'InvalidArgument', `x-fc-invocation-type must be Sync or Async, got "${type}"`);
  const delayText = header(req, 'x-fc-async-delay');
  if (delayText !== undefined && !/^\d+$/.test(delayText)) {
    throw new ApiError(
      400,
      'InvalidArgument',
      `x-fc-async-delay must be an integer from 0 to 3600 seconds, got "${delayText}"`,
    );
  }
  return {
    functionName: decodeURIComponent(m[1] as string),
    async: /^async$/i.test(type),
    delaySeconds: delayText === undefined ? undefined : Number(delayText),
    taskId: header(req, 'x-fc-async-task-id'),
    body: req.body,
  };
}

export function invokeReply(result: InvokeResult, async: boolean): ApiReply {
  const headers: Record<string, string> = { 'x-fc-request-id': result.requestId };
  if (async) return rawReply({ status: result.status, headers, body: Buffer.alloc(0) });
  if (result.errorType !== undefined) {
    headers['x-fc-error-type'] =
      result.errorType === 'FunctionTimeoutError' ? 'FunctionTimeoutError' : 'UnhandledInvocationError';
    headers['content-type'] = 'application/json';
    return rawReply({
      status: 200,
      headers,
      body: Buffer.from(JSON.stringify({ errorMessage: result.error, errorType: result.errorType })),
    });
  }
  const body = encodeResult(result.result);
  headers['content-type'] =
    typeof result.result === 'object' && !Buffer.isBuffer(result.result)
      ? 'application/json'
      : 'application/octet-stream';
  return rawReply({ status: 200, headers, body });
}
