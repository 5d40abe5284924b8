/**
 * `kms:ActionTrail:ApiCall` (reference §4.4): `data` is the ActionTrail record. Only write calls
 * reach EventBridge; of those, the ones that change rotation state matter here. A present
 * errorCode means the call failed. requestParameters may name the secret by ARN (cross-account).
 */
import type { ApiCallEvent, ApiCallName } from '../domain/event-types';
import { parseSecretArn } from './arn';
import { type AccountClaim, type Envelope, pickTime } from './envelope';
import { EventRejection, describe, isObject, malformed, objectField, quote, stringField } from './event-fields';
import { dropUndefined } from './rotation-result';

export const API_CALL_TYPES: ReadonlySet<string> = new Set(['kms:ActionTrail:ApiCall', 'kms:ActionTrail:ConsoleOperation']);

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

  const request = objectField(record, 'requestParameters');
  const response = objectField(record, 'responseElements');
  const requested = stringField(request, 'SecretName');
  // RAMCredentials secrets are created with the literal name $Auto; the real one is in the response.
  const nameOrArn = requested && requested !== '$Auto' ? requested : (stringField(response, 'SecretName') ?? requested);
  if (!nameOrArn) {
    throw malformed(request ? 'data.requestParameters.SecretName is missing' : 'data.requestParameters is missing or not an object');
  }
  const arn = parseSecretArn(nameOrArn);
  const secretName = arn?.secretName ?? nameOrArn;

  const identity = objectField(record, 'userIdentity');
  const callerAccount = stringField(identity, 'accountId');
  const claims: AccountClaim[] = [...envelope.claims];
  // An ARN names the owner; the caller may then be another account acting on this one's secret,
  // so the caller's account only counts when the secret was named without an ARN.
  if (arn?.accountId) claims.push({ path: 'data.requestParameters.SecretName', accountId: arn.accountId });
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
    versionId: stringField(request, 'VersionId') ?? stringField(request, 'MoveToVersion') ?? stringField(response, 'VersionId'),
    principalId: stringField(identity, 'principalId'),
    accessKeyId: stringField(identity, 'accessKeyId'),
  };
  return { event: dropUndefined(event), claims };
}
