/**
 * The CloudMonitor rotation events KMS puts on the EventBridge default bus (§4.2, §4.3), with their
 * odd time formats: eventTime `20180816T135935.689+0800`, aliyunpublishtime `…179PRC`.
 */
import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '../../types';
import { DEFAULT_EVENT_SHAPES, type EventShapes } from '../event-shapes';
import type { SecretRecord } from './model';
import { apiDate, secretArn } from './model';

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

function chinaParts(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().replace('Z', '');
}

/** `20180816T135935.689+0800` */
export function cmsEventTime(ms: number): string {
  const iso = chinaParts(ms); // 2018-08-16T13:59:35.689
  return `${iso.slice(0, 10).replace(/-/g, '')}T${iso.slice(11, 19).replace(/:/g, '')}${iso.slice(19, 23)}+0800`;
}

/** `2020-11-19T21:04:42.179PRC` */
export function publishTime(ms: number): string {
  return `${chinaParts(ms)}PRC`;
}

/** `2020-11-19T21:04:41+08:00` */
export function cloudEventTime(ms: number): string {
  return `${chinaParts(ms).slice(0, 19)}+08:00`;
}

export function rotationEntityArn(
  secret: SecretRecord,
  regionId: string,
  accountId: string,
  shapes: EventShapes = DEFAULT_EVENT_SHAPES,
): string {
  const c = secret.extendedConfig ?? {};
  if (secret.type === 'ECS' && shapes.ecsEntityIsSecret) return secretArn(regionId, accountId, secret.name);
  const region = typeof c.RegionId === 'string' ? c.RegionId : regionId;
  switch (secret.type) {
    case 'Rds':
      return `acs:rds:${region}:${accountId}:dbinstance/${String(c.DBInstanceId)}`;
    case 'RAMCredentials':
      return `acs:ram::${accountId}:user/${String(c.UserName)}`;
    case 'ECS':
      return `acs:ecs:${region}:${accountId}:instance/${String(c.InstanceId)}`;
    case 'Redis':
      return `acs:kvstore:${region}:${accountId}:instance/${String(c.InstanceId)}`;
    case 'PolarDB':
      return `acs:polardb:${region}:${accountId}:dbcluster/${String(c.DBClusterId)}`;
    default:
      return secretArn(regionId, accountId, secret.name);
  }
}

export interface RotationOutcome {
  at: number;
  success: boolean;
  errorCode?: string;
  errorMessage?: string;
}

export function rotationEvent(
  secret: SecretRecord,
  outcome: RotationOutcome,
  ids: { regionId: string; accountId: string; eventShapes?: EventShapes },
): CloudEvent {
  const shapes = ids.eventShapes ?? DEFAULT_EVENT_SHAPES;
  const eventId = randomUUID();
  const arn = secretArn(ids.regionId, ids.accountId, secret.name);
  const resourceId = secret.type === 'Rds' && shapes.rdsResourceIdLeadingSpace ? ` ${arn}` : arn;
  const errorCode = outcome.errorCode ?? 'InternalFailure';
  const subType = String(secret.extendedConfig?.SecretSubType ?? '');
  const common = {
    eventId,
    secretName: secret.name,
    secretType: secret.type,
    RotationEntityArn: rotationEntityArn(secret, ids.regionId, ids.accountId, shapes),
  };
  const data = outcome.success
    ? {
        product: 'KMS',
        ...(shapes.successWithoutEventTime ? {} : { eventTime: cmsEventTime(outcome.at) }),
        level: 'INFO',
        name: 'Secret:RotateSecret:Success',
        regionId: ids.regionId,
        resourceId,
        status: 'Normal',
        instanceName: secret.name,
        content: { ...common, rotationStatus: 'Enabled', secretSubType: subType, successTime: apiDate(outcome.at) },
        ver: '1.0',
      }
    : {
        product: 'KMS',
        eventTime: cmsEventTime(outcome.at),
        level: 'CRITICAL',
        name: 'Secret:RotateSecret:Failure',
        regionId: ids.regionId,
        resourceId,
        status: 'Failed',
        content: {
          ...common,
          rotationStatus: 'Invalid',
          rotationSubType: subType,
          failureInfo: {
            errorCode: shapes.kmsCodePrefix ? `Kms:${errorCode}` : errorCode,
            errorMessage: outcome.errorMessage ?? '',
          },
          failureTime: apiDate(outcome.at),
        },
        ver: '1.0',
      };
  return {
    id: eventId,
    source: 'acs.kms',
    specversion: '1.0',
    type: `kms:CloudMonitor:Secret[RotateSecret:${outcome.success ? 'Success' : 'Failure'}]`,
    datacontenttype: 'application/json;charset=utf-8',
    subject: `acs.kms:${ids.regionId}:${ids.accountId}:secret/${secret.name}`,
    time: cloudEventTime(outcome.at),
    aliyunaccountid: ids.accountId,
    aliyunpublishtime: publishTime(outcome.at),
    aliyuneventbusname: 'default',
    aliyunregionid: ids.regionId,
    aliyunpublishaddr: '127.0.0.1',
    data,
  };
}
