/**
 * Function Compute's async destination payload (alibaba-cloud-apis.md §6.3): when an async
 * invocation of remediate or sweep exhausts its retries, FC invokes on-event with {timestamp,
 * requestContext: {requestId, functionArn, condition, approximateInvokeCount}, requestPayload,
 * responseContext, responsePayload}. Parsed here, at the edge, into the core's FailedInvocation.
 */
import type { FailedInvocation } from '../core/destination';
import { isObject } from '../events/event-fields';
import { jsonBody } from './handler-kit';
import { parseRemediatePayload } from './payloads';

/** The destination payload, or undefined when the event is something else (EventBridge, a timer...). */
export function parseDestination(event: Buffer): FailedInvocation | undefined {
  const body = jsonBody(event);
  if (!isObject(body) || !isObject(body.requestContext) || 'type' in body) return undefined;
  const { condition, functionArn, approximateInvokeCount } = body.requestContext;
  if (typeof condition !== 'string' || typeof functionArn !== 'string') return undefined;
  const functionName = /functions\/([^/]+)/.exec(functionArn)?.[1] ?? functionArn;
  const requestPayload =
    typeof body.requestPayload === 'string' ? body.requestPayload : JSON.stringify(body.requestPayload ?? null);
  let errorMessage: string | undefined;
  const response =
    typeof body.responsePayload === 'string' ? jsonBody(Buffer.from(body.responsePayload)) : body.responsePayload;
  if (isObject(response) && typeof response.errorMessage === 'string') errorMessage = response.errorMessage;
  return {
    functionName,
    functionArn,
    condition,
    invokeCount: typeof approximateInvokeCount === 'number' ? approximateInvokeCount : undefined,
    remediation: parseRemediatePayload(Buffer.from(requestPayload)),
    errorMessage,
  };
}
