/**
 * ECS 2014-05-26, the two reads a rotation forecast needs. Shapes from
 * aliyun/alibabacloud-typescript-sdk ecs-20140526/src/models: DescribeInstancesResponseBody
 * (`Instances.Instance[]` with `InstanceId`, `Status`: Running, Stopped, ...; `InstanceIds` is a
 * JSON array text, unknown ids are simply absent) and DescribeCloudAssistantStatusResponseBody
 * (`InstanceCloudAssistantStatusSet.InstanceCloudAssistantStatus[]`, `CloudAssistantStatus`
 * "true"/"false": a heartbeat in the last 2 minutes; `InstanceId.N`). `RegionId` is required.
 */
import type { Provider } from '../../types';
import type { TargetStore } from '../targets/store';
import { jsonListParam, listParam, requireParam, targetProvider } from '../targets/wire';

export const ECS_VERSION = '2014-05-26';

export function createEcs(store: TargetStore): Provider {
  return targetProvider('ecs', ECS_VERSION, store, {
    DescribeInstances(s, p) {
      const regionId = requireParam(p, 'RegionId');
      const ids = jsonListParam(p, 'InstanceIds') ?? [...s.ecs.keys()];
      const found = ids.map((id) => s.ecs.get(id)).filter((x) => x !== undefined);
      return {
        Instances: { Instance: found.map((i) => ({ InstanceId: i.id, Status: i.status, RegionId: regionId })) },
        TotalCount: found.length,
        PageNumber: 1,
        PageSize: Math.max(found.length, 10),
      };
    },
    DescribeCloudAssistantStatus(s, p) {
      requireParam(p, 'RegionId');
      const ids = listParam(p, 'InstanceId');
      const found = (ids.length > 0 ? ids : [...s.ecs.keys()])
        .map((id) => s.ecs.get(id))
        .filter((x) => x !== undefined);
      return {
        InstanceCloudAssistantStatusSet: {
          // A stopped instance sends no heartbeat, so its agent reads as not running.
          InstanceCloudAssistantStatus: found.map((i) => ({
            InstanceId: i.id,
            CloudAssistantStatus: String(i.cloudAssistant && i.status === 'Running'),
            OSType: 'Linux',
          })),
        },
        TotalCount: found.length,
      };
    },
  });
}
