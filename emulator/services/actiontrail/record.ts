/**
 * Builds the ActionTrail record of one API call (alibaba-cloud-apis.md §4.4). The record is what
 * LookupEvents returns and the `data` of the `kms:ActionTrail:ApiCall` CloudEvent, so it must never
 * carry a secret value: sensitive parameters and reply fields are dropped, not masked.
 */
import { createHash } from 'node:crypto';
import type { ApiError, ApiReply, ApiRequest, Caller, ProductName } from '../../types';
import { formatUtcSeconds } from '../eventbridge/time-format';
import { DEFAULT_EVENT_SHAPES, type EventShapes } from '../event-shapes';

const SENSITIVE_KEY = /secretdata|password|accesskeysecret|privatekey|securitytoken|signature|^secret$/i;

const SERVICE_NAMES: Record<ProductName, string> = {
  kms: 'Kms',
  actiontrail: 'Actiontrail',
  cms: 'Cms',
  sts: 'Sts',
  fc: 'FC',
  rds: 'Rds',
  ecs: 'Ecs',
  'r-kvstore': 'R-kvstore',
  polardb: 'Polardb',
  ram: 'Ram',
};

export type ActionTrailRecord = Record<string, unknown> & {
  eventId: string;
  eventName: string;
  eventRW: 'Read' | 'Write';
  serviceName: string;
  userIdentity: UserIdentity;
};

export interface UserIdentity {
  type: 'root-account' | 'ram-user' | 'assumed-role';
  accountId: string;
  principalId: string;
  accessKeyId: string;
  userName: string;
  sessionContext?: { attributes: { mfaAuthenticated: string; creationDate: string } };
}

/** Drops every sensitive key at any depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!SENSITIVE_KEY.test(k)) out[k] = withoutSecrets(v);
  return out;
}

export function isReadAction(action: string): boolean {
  return /^(Get|Describe|List|Lookup|Query|Check|BatchGet)/.test(action);
}

/** A stable 16-digit id for a RAM principal, so lookups by PrincipalId repeat across runs. */
function numericId(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex').slice(0, 13);
  return String(parseInt(hex, 16)).padStart(16, '2').slice(0, 16);
}

export function userIdentityOf(caller: Caller | undefined, accountId: string, at: number): UserIdentity {
  const account = caller?.accountId ?? accountId;
  const accessKeyId = caller?.accessKeyId ?? '';
  const [kind, name = '', session = ''] = (caller?.principal ?? 'root').split('/');
  if (kind === 'user') {
    return {
      type: 'ram-user',
      accountId: account,
      principalId: numericId(`user/${account}/${name}`),
      accessKeyId,
      userName: name,
    };
  }
  if (kind === 'assumed-role') {
    return {
      type: 'assumed-role',
      accountId: account,
      principalId: `${numericId(`role/${account}/${name}`)}:${session}`,
      accessKeyId,
      userName: `${name}:${session}`,
      sessionContext: { attributes: { mfaAuthenticated: 'false', creationDate: formatUtcSeconds(at) } },
    };
  }
  return { type: 'root-account', accountId: account, principalId: account, accessKeyId, userName: 'root' };
}

/** The role of an assumed-role identity ("kro-role:fc" -> "kro-role"), for the RoleName lookup key. */
export function roleNameOf(identity: UserIdentity): string | undefined {
  return identity.type === 'assumed-role' ? identity.userName.split(':')[0] : undefined;
}

export function buildRecord(
  req: ApiRequest,
  outcome: { reply?: ApiReply; error?: ApiError },
  where: { accountId: string; regionId: string; seq: number },
  shapes: EventShapes = DEFAULT_EVENT_SHAPES,
): ActionTrailRecord {
  const host = `${req.product}.${where.regionId}.aliyuncs.com`;
  const secretName = req.params.SecretName;
  const record: ActionTrailRecord = {
    eventId: uuidFrom(`${req.requestId}/${where.seq}`),
    eventVersion: shapes.eventVersionNumber ? 1 : '1',
    eventTime: formatUtcSeconds(req.receivedAt),
    requestId: req.requestId,
    acsRegion: where.regionId,
    isGlobal: false,
    eventName: req.action,
    eventType: 'ApiCall',
    eventRW: isReadAction(req.action) ? 'Read' : 'Write',
    eventCategory: 'Management',
    serviceName: SERVICE_NAMES[req.product],
    eventSource: host,
    apiVersion: req.version,
    requestParameters: {
      ...(withoutSecrets(req.params) as Record<string, unknown>),
      AcsHost: host,
      AcsProduct: SERVICE_NAMES[req.product],
      RegionId: where.regionId,
      RequestId: req.requestId,
      HostId: host,
    },
    userIdentity: userIdentityOf(req.caller, where.accountId, req.receivedAt),
    sourceIpAddress: '127.0.0.1',
    userAgent: req.headers['user-agent'] ?? '',
  };
  if (secretName) record.referencedResources = { 'ACS::KMS::Secret': [secretName] };
  if (outcome.error) {
    record.errorCode = outcome.error.code;
    record.errorMessage = outcome.error.message;
  } else if (outcome.reply) {
    record.responseElements = withoutSecrets(outcome.reply);
  }
  return record;
}

/**
 * The record as EventBridge delivers it, in the form `shapes.actionTrailParameters` picks: the
 * parameters as an object, as a JSON string (requestParameterJson), or absent (and the response
 * too) with the secret named only in referencedResources (the EventBridge "ActionTrail events" sample). The stored
 * record (LookupEvents) keeps requestParameters.
 */
export function deliveredForm(record: ActionTrailRecord, shapes: EventShapes): ActionTrailRecord {
  if (shapes.actionTrailParameters === 'object') return record;
  const { requestParameters, responseElements, ...rest } = record;
  if (shapes.actionTrailParameters === 'json')
    return {
      ...rest,
      responseElements,
      requestParameterJson: JSON.stringify(requestParameters ?? {}),
    } as ActionTrailRecord;
  // The sample has neither parameters nor response: the secret is only in referencedResources.
  return rest as ActionTrailRecord;
}

/** A deterministic UUID-shaped id (runs replay the same ids). */
export function uuidFrom(text: string): string {
  const h = createHash('sha1').update(text).digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
