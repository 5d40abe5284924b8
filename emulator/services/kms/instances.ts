/**
 * GetKmsInstance (KMS 2016-01-20): a KMS instance's status and end date. Reply shape from
 * aliyun/alibabacloud-typescript-sdk kms-20160120/src/models/GetKmsInstanceResponseBody.ts
 * (`KmsInstance.{InstanceId, Status, StartDate, EndDate, SaleStatus, ...}`). A secret held in an
 * expired instance answers `Rejected.Unavailable` and the instance is released 15 days later
 * (secrets FAQ); the SaleStatus an expired instance reports is UNCONFIRMED ("Expired" here).
 */
import type { ApiReply } from '../../types';
import { requireParam, type KmsContext } from './context';
import { kmsErrors } from './errors';
import { apiDate } from './model';

/** An expired KMS instance is released this long after its end date (secrets FAQ). */
export const RELEASE_AFTER_EXPIRY_MS = 15 * 86_400_000;

export function getKmsInstance(ctx: KmsContext, p: Record<string, string>): ApiReply {
  const id = requireParam(p, 'KmsInstanceId');
  const instance = ctx.targets.kmsInstances.get(id);
  const now = ctx.clock.now();
  if (!instance || instance.endDate + RELEASE_AFTER_EXPIRY_MS <= now) throw kmsErrors.notFound();
  return {
    KmsInstance: {
      InstanceId: instance.id,
      InstanceName: instance.id,
      Status: 'Connected',
      SaleStatus: instance.endDate <= now ? 'Expired' : 'Normal',
      ChargeType: 'PREPAY',
      ProductVersion: '3',
      CreateTime: apiDate(instance.createdAt),
      StartDate: apiDate(instance.createdAt),
      EndDate: apiDate(instance.endDate),
    },
  };
}
