/**
 * `kms:CloudMonitor:Secret[RotateSecret:Failure|Success]` (reference §4.3). The two outcomes name
 * their fields differently (rotationSubType vs secretSubType, failureTime vs successTime). Whether
 * EventBridge's `data` is exactly the CloudMonitor object is UNCONFIRMED, so the content is taken
 * from data.content or, failing that, from data itself.
 *
 * Variants in the published samples (AlibabaCloudDocs/kms "Monitor the rotation of dynamic RDS
 * secrets" and "... dynamic ECS secrets", English and Chinese; reference §10), all accepted:
 * `resourceId` with a leading space; a success event without `eventTime`; `failureInfo.errorCode`
 * as `Kms:<Code>` (kept as sent: the retry table keys on the code after the prefix); and, for ECS,
 * `RotationEntityArn` naming the secret itself rather than the instance, so it is no target.
 */
import type { RotationResultEvent } from '../domain/event-types';
import { accountFromArn, parseSecretArn } from './arn';
import { type AccountClaim, type Envelope, pickTime } from './envelope';
import { describe, isObject, malformed, objectField, optionalString, stringField } from './event-fields';

export const ROTATION_FAILURE_TYPE = 'kms:CloudMonitor:Secret[RotateSecret:Failure]';
export const ROTATION_SUCCESS_TYPE = 'kms:CloudMonitor:Secret[RotateSecret:Success]';

export function parseRotationResult(
  envelope: Envelope,
  outcome: 'success' | 'failure',
): { event: RotationResultEvent; claims: AccountClaim[] } {
  const data = envelope.data;
  if (!isObject(data)) throw malformed(`data must be an object, got ${describe(data)}`);
  const content = objectField(data, 'content') ?? data;
  const contentPath = content === data ? 'data' : 'data.content';

  const resourceId = optionalString(data, 'resourceId', 'data.resourceId')?.trim() || undefined;
  const arn = resourceId ? parseSecretArn(resourceId) : undefined;
  const secretName = optionalString(content, 'secretName', `${contentPath}.secretName`) ?? arn?.secretName;
  if (!secretName) {
    throw malformed(
      `no secret name: ${contentPath}.secretName is missing and data.resourceId is ${resourceId ? 'not a secret ARN' : 'missing'}`,
    );
  }

  const failureInfo = objectField(content, 'failureInfo');
  const outcomeTime = outcome === 'failure' ? 'failureTime' : 'successTime';
  const at = pickTime([
    [`${contentPath}.${outcomeTime}`, content[outcomeTime]],
    ['data.eventTime', data.eventTime],
    ...envelope.times,
  ]);

  const claims: AccountClaim[] = [...envelope.claims];
  const arnAccount = resourceId ? accountFromArn(resourceId) : undefined;
  if (arnAccount) claims.push({ path: 'data.resourceId', accountId: arnAccount });

  const event: RotationResultEvent = {
    kind: 'rotation-result',
    dedupeKey: `${envelope.source}/${envelope.id}`,
    id: envelope.id,
    source: envelope.source,
    accountId: envelope.accountId ?? arnAccount,
    regionId: stringField(data, 'regionId') ?? envelope.regionId ?? arn?.regionId,
    at,
    outcome,
    secretName,
    secretType: stringField(content, 'secretType'),
    subType:
      stringField(content, outcome === 'failure' ? 'rotationSubType' : 'secretSubType') ??
      stringField(content, 'rotationSubType') ??
      stringField(content, 'secretSubType'),
    target: rotationTarget(stringField(content, 'RotationEntityArn') ?? stringField(content, 'rotationEntityArn')),
    errorCode: stringField(failureInfo, 'errorCode'),
    errorMessage: stringField(failureInfo, 'errorMessage'),
    rotationStatus: stringField(content, 'rotationStatus'),
  };
  return { event: dropUndefined(event), claims };
}

/** The instance/user a rotation acts on; the ECS samples give the secret's own ARN, which names no target. */
function rotationTarget(arn: string | undefined): string | undefined {
  const text = arn?.trim();
  return text && !parseSecretArn(text) ? text : undefined;
}

export function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}
