/**
 * The one way trigger input becomes typed events (issue 4 item 3). FC hands the handler a Buffer;
 * EventBridge's default delivery is one CloudEvent, event-streaming delivers an array, a RawData
 * delivery is only the `data` part, and a timer sends its own small object. Every element yields
 * exactly one result, and nothing here throws: a bad event is reported, never allowed to block
 * the good ones next to it.
 */
import type { OrchestratorEvent, ParseResult } from '../domain/event-types';
import { API_CALL_TYPES, parseApiCall } from './api-call';
import { accountFromArn } from './arn';
import type { AccountClaim, Envelope } from './envelope';
import {
  EventRejection,
  type JsonObject,
  describe,
  isObject,
  malformed,
  objectField,
  quote,
  stringField,
} from './event-fields';
import { ROTATION_FAILURE_TYPE, ROTATION_SUCCESS_TYPE, parseRotationResult } from './rotation-result';
import { looksLikeTimer, parseTimer } from './timer-event';
import { checkTrust, type TrustOptions, withSafeText } from './trust';

export interface ParseOptions extends TrustOptions {
  /** The deployment's own account; events naming another account are refused. */
  accountId?: string;
}

/** Source used for RawData deliveries, which drop the envelope (and with it the source). */
const KMS_SOURCE = 'acs.kms';

export function parseEvents(input: Buffer | string | Uint8Array, options: ParseOptions = {}): ParseResult[] {
  try {
    const decoded = decode(input);
    if (!decoded.ok) return [decoded];
    const body = decoded.value;
    if (Array.isArray(body)) return body.map((item, index) => withIndex(parseOne(item, options), index));
    return [parseOne(body, options)];
  } catch (error) {
    return [unexpected(error)];
  }
}

function decode(input: unknown): { ok: true; value: unknown } | Extract<ParseResult, { ok: false }> {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (input instanceof Uint8Array)
    text = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  // A local caller may hand over an already parsed event; accept it rather than stringify it back.
  else if (typeof input === 'object' && input !== null) return { ok: true, value: input };
  else return { ok: false, reason: 'malformed', detail: `event must be a Buffer or text, got ${describe(input)}` };

  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    // The parser's own message quotes the input, which may hold anything: say only where it broke.
    const length = Buffer.byteLength(text);
    return {
      ok: false,
      reason: 'malformed',
      detail: length === 0 ? 'event body is empty' : `event body is not valid JSON (${length} bytes)`,
    };
  }
}

function parseOne(value: unknown, options: ParseOptions): ParseResult {
  try {
    if (!isObject(value)) throw malformed(`event must be a JSON object, got ${describe(value)}`);
    const parsed = parseObject(value);
    if (parsed.event.kind !== 'timer') checkAccount(parsed.claims, options.accountId);
    checkTrust(parsed.event, value, options);
    return { ok: true, event: withSafeText(parsed.event) };
  } catch (error) {
    if (error instanceof EventRejection) return { ok: false, reason: error.reason, detail: error.detail };
    return unexpected(error);
  }
}

function parseObject(value: JsonObject): { event: OrchestratorEvent; claims: AccountClaim[] } {
  if ('type' in value || 'specversion' in value) return parseCloudEvent(envelopeOf(value));
  if (looksLikeTimer(value)) return { event: parseTimer(value), claims: [] };
  const raw = rawDataEnvelope(value);
  if (raw) return parseCloudEvent(raw);
  throw malformed(
    'neither a CloudEvent (no "type"), nor a timer event (no "triggerTime"/"triggerName"), nor a KMS event body',
  );
}

function parseCloudEvent(envelope: Envelope): { event: OrchestratorEvent; claims: AccountClaim[] } {
  if (envelope.type === ROTATION_FAILURE_TYPE) return parseRotationResult(envelope, 'failure');
  if (envelope.type === ROTATION_SUCCESS_TYPE) return parseRotationResult(envelope, 'success');
  if (API_CALL_TYPES.has(envelope.type)) return parseApiCall(envelope);
  throw new EventRejection('unknown-type', `unknown event type ${quote(envelope.type)}`);
}

function envelopeOf(value: JsonObject): Envelope {
  const type = stringField(value, 'type');
  if (!type || typeof value.type !== 'string')
    throw malformed(`"type" must be a non-empty string, got ${describe(value.type)}`);
  const id = stringField(value, 'id');
  if (!id) throw malformed(`"id" must be a non-empty string, got ${describe(value.id)}`);
  const source = stringField(value, 'source');
  if (!source) throw malformed(`"source" must be a non-empty string, got ${describe(value.source)}`);

  const claims: AccountClaim[] = [];
  const accountId = stringField(value, 'aliyunaccountid');
  if (accountId) claims.push({ path: 'aliyunaccountid', accountId });
  const subjectAccount = subjectAccountOf(stringField(value, 'subject'));
  if (subjectAccount) claims.push({ path: 'subject', accountId: subjectAccount });

  return {
    id,
    source,
    type,
    accountId: accountId ?? subjectAccount,
    regionId: stringField(value, 'aliyunregionid'),
    times: [
      ['time', value.time],
      ['aliyunpublishtime', value.aliyunpublishtime],
    ],
    claims,
    data: value.data === undefined ? undefined : (objectField(value, 'data') ?? value.data),
  };
}

/** `acs.kms:cn-hangzhou:123456:secret/x` or an ARN. */
function subjectAccountOf(subject: string | undefined): string | undefined {
  if (!subject) return undefined;
  return /^acs\.[^:]+:[^:]*:(\d+):/.exec(subject)?.[1] ?? accountFromArn(subject);
}

/** An EventBridge rule with eventSchema RawData delivers only `data`: recognise the two KMS bodies. */
function rawDataEnvelope(value: JsonObject): Envelope | undefined {
  const name = stringField(value, 'name');
  if (stringField(value, 'product')?.toUpperCase() === 'KMS' && name?.startsWith('Secret:RotateSecret:')) {
    const content = objectField(value, 'content');
    const id = stringField(content, 'eventId') ?? stringField(value, 'eventId');
    if (!id) throw malformed('a CloudMonitor KMS event body without content.eventId cannot be de-duplicated');
    return {
      id,
      source: KMS_SOURCE,
      type: `kms:CloudMonitor:${name.replace(/^Secret:/, 'Secret[')}]`,
      times: [],
      claims: [],
      data: value,
    };
  }
  const service = stringField(value, 'serviceName')?.toLowerCase();
  if (
    stringField(value, 'eventName') &&
    stringField(value, 'eventId') &&
    (service === 'kms' || stringField(value, 'eventSource')?.startsWith('kms.'))
  ) {
    const eventType = stringField(value, 'eventType') ?? 'ApiCall';
    return {
      id: stringField(value, 'eventId') ?? '',
      source: KMS_SOURCE,
      type: `kms:ActionTrail:${eventType}`,
      times: [],
      claims: [],
      data: value,
    };
  }
  return undefined;
}

function checkAccount(claims: AccountClaim[], expected: string | undefined): void {
  if (!expected) return;
  const foreign = claims.find((claim) => claim.accountId !== expected);
  if (foreign) {
    throw new EventRejection(
      'foreign-account',
      `event is for account ${quote(foreign.accountId, 32)} (${foreign.path}), this deployment watches account ${expected}`,
    );
  }
}

function withIndex(result: ParseResult, index: number): ParseResult {
  return result.ok ? result : { ...result, detail: `event [${index}]: ${result.detail}` };
}

function unexpected(error: unknown): Extract<ParseResult, { ok: false }> {
  const name = error instanceof Error ? error.name : typeof error;
  return { ok: false, reason: 'malformed', detail: `event could not be read (${name})` };
}
