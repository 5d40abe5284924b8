/**
 * Redis / Tair (r-kvstore 2015-01-01), the two reads a rotation forecast needs. Shapes from
 * aliyun/alibabacloud-typescript-sdk r-kvstore-20150101/src/models: DescribeInstanceAttributeResponseBody
 * (`Instances.DBInstanceAttribute[]` with `InstanceId`, `InstanceStatus`: Normal, ...) and
 * DescribeAccountsResponseBody (`Accounts.Account[]` with `InstanceId`, `AccountName`,
 * `AccountStatus`, `AccountType`). The not-found code is UNCONFIRMED (`InvalidInstanceId.NotFound`).
 */
import type { Provider } from '../../types';
import type { TargetStore } from '../targets/store';
import { accountList, notFound, requireParam, targetProvider } from '../targets/wire';

export const REDIS_VERSION = '2015-01-01';

function instanceOf(store: TargetStore, id: string) {
  const instance = store.redis.get(id);
  if (!instance) throw notFound('InvalidInstanceId.NotFound', 'The specified instance is not found.');
  return instance;
}

export function createRedis(store: TargetStore): Provider {
  return targetProvider('r-kvstore', REDIS_VERSION, store, {
    DescribeInstanceAttribute(s, p) {
      const instance = instanceOf(s, requireParam(p, 'InstanceId'));
      return {
        Instances: {
          DBInstanceAttribute: [{ InstanceId: instance.id, InstanceStatus: instance.status, InstanceType: 'Redis' }],
        },
      };
    },
    DescribeAccounts(s, p) {
      const instance = instanceOf(s, requireParam(p, 'InstanceId'));
      const names = accountList(instance.accounts, p.AccountName);
      return {
        Accounts: {
          Account: names.map((AccountName) => ({
            InstanceId: instance.id,
            AccountName,
            AccountStatus: 'Available',
            AccountType: 'Normal',
          })),
        },
      };
    },
  });
}
