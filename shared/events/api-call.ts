/**
 * `kms:ActionTrail:ApiCall` (reference §4.4): `data` is the ActionTrail record. Only write calls
 * reach EventBridge; of those, the ones that change rotation state matter here. A present
 * errorCode means the call failed. requestParameters may name the secret by ARN (cross-account).
 *
 * Variants of the record (ActionTrail event structure pages; EventBridge "ActionTrail events" page;
 * reference §4.4, §10), all accepted: `eventVersion` as a number; `userIdentity.type` root-account,
 * ram-user, assumed-role or system (a system identity has no accountId); numbers inside
 * `requestParameters`; the parameters as a JSON string in `requestParameterJson`; and no parameters
 * at all, the secret named only in `referencedResources` (the EventBridge sample's shape).
 */
import type { ApiCallEvent, ApiCallName } from '../domain/event-types';
import { parseSecretArn } from './arn';
import { type AccountClaim, type Envelope, pickTime } from './envelope';
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
import { dropUndefined } from './rotation-result';

export const API_CALL_TYPES: ReadonlySet<string> = new Set([
  'kms:ActionTrail:ApiCall',
  'kms:ActionTrail:ConsoleOperation',
]);

const RELEVANT_CALLS: ReadonlySet<string> = new Set<ApiCallName>([
  'RotateSecret',
  'UpdateSecretRotationPolicy',
  'DeleteSecret',
  'RestoreSecret',
  'PutSecretValue',
  'UpdateSecretVersionStage',
  'CreateSecret',
]);

export function parseApiCall(envelope: Envelope): { event: ApiCallEvent; claims: AccountClaim[] } {
  const record = envelope.data;
  if (!isObject(record)) throw malformed(`data must be the ActionTrail record (an object), got ${describe(record)}`);
  const eventName = stringField(record, 'eventName');
  if (!eventName) throw malformed(`data.eventName is missing or not a string (${describe(record.eventName)})`);
  if (!RELEVANT_CALLS.has(eventName)) {
    throw new EventRejection('irrelevant', `${quote(eventName, 60)} does not change rotation state`);
  }

  const request = objectField(record, 'requestParameters') ?? objectField(record, 'requestParameterJson');
  const response = objectField(record, 'responseElements');
  const requested = stringField(request, 'SecretName');
  // RAMCredentials secrets are created with the literal name $Auto; the real one is in the response.
  const nameOrArn =
    (requested && requested !== '$Auto' ? requested : (stringField(response, 'SecretName') ?? requested)) ??
    referencedSecret(record);
  if (!nameOrArn) {
    throw malformed(
      request
        ? 'data.requestParameters.SecretName is missing and data.referencedResources names no secret'
        : 'no secret: data.requestParameters (or requestParameterJson) is missing and data.referencedResources names no secret',
    );
  }
  const arn = parseSecretArn(nameOrArn);
  const secretName = arn?.secretName ?? nameOrArn;

  const identity = objectField(record, 'userIdentity');
  const callerAccount = stringField(identity, 'accountId');
  const claims: AccountClaim[] = [...envelope.claims];
  // An ARN names the owner; the caller may then be another account acting on this one's secret,
  // so the caller's account only counts when the secret was named without an ARN.
  if (arn?.accountId)
    claims.push({
      path: requested ? 'data.requestParameters.SecretName' : 'data.referencedResources',
      accountId: arn.accountId,
    });
  else if (callerAccount) claims.push({ path: 'data.userIdentity.accountId', accountId: callerAccount });

  const errorCode = stringField(record, 'errorCode');
  const event: ApiCallEvent = {
    kind: 'api-call',
    dedupeKey: `${envelope.source}/${envelope.id}`,
    id: envelope.id,
    source: envelope.source,
    accountId: envelope.accountId ?? arn?.accountId ?? callerAccount,
    regionId: stringField(record, 'acsRegion') ?? envelope.regionId ?? arn?.regionId,
    at: pickTime([['data.eventTime', record.eventTime], ...envelope.times]),
    eventName: eventName as ApiCallName,
    secretName,
    failed: errorCode !== undefined,
    errorCode,
    errorMessage: stringField(record, 'errorMessage'),
    versionId:
      stringField(request, 'VersionId') ?? stringField(request, 'MoveToVersion') ?? stringField(response, 'VersionId'),
    versionStages: stagesOf(response?.VersionStages) ?? stagesOf(request?.VersionStages),
    principalId: stringField(identity, 'principalId'),
    accessKeyId: stringField(identity, 'accessKeyId'),
  };
  return { event: dropUndefined(event), claims };
}

/** A version may carry at most 8 stages (UpdateSecretVersionStage); more is not a KMS answer. */
const MAX_VERSION_STAGES = 8;
const MAX_STAGE_LENGTH = 64;

/**
 * The stages a PutSecretValue gave its version: the response's `VersionStages.VersionStage[]`, or the
 * request's `VersionStages`, a JSON array sent as a string (reference §2). Undefined when absent or
 * not of that shape (the caller then knows nothing about the stages, not "none").
 */
function stagesOf(value: unknown): string[] | undefined {
  let list: unknown = value;
  if (typeof list === 'string') {
    try {
      list = JSON.parse(list) as unknown;
    } catch {
      return undefined;
    }
  }
  if (isObject(list)) list = list.VersionStage;
  if (!Array.isArray(list) || list.length > MAX_VERSION_STAGES) return undefined;
  const stages = list.filter((s): s is string => typeof s === 'string' && s.length > 0 && s.length <= MAX_STAGE_LENGTH);
  return stages.length === list.length ? stages : undefined;
}

/**
 * The secret in `referencedResources` (`{"ACS::KMS::Secret":["name"]}`; the resource-type key's
 * spelling is UNCONFIRMED for KMS, so any case is read), when the record names exactly one.
 */
function referencedSecret(record: JsonObject): string | undefined {
  const resources = objectField(record, 'referencedResources');
  if (!resources) return undefined;
  const key = Object.keys(resources).find((k) => k.toUpperCase() === 'ACS::KMS::SECRET');
  const names = key === undefined ? undefined : resources[key];
  const list = Array.isArray(names) ? names : typeof names === 'string' ? names.split(',') : [];
  const texts = list.filter((n): n is string => typeof n === 'string' && n.trim().length > 0).map((n) => n.trim());
  return texts.length === 1 ? texts[0] : undefined;
}
