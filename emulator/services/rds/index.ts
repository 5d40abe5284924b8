/**
 * RDS 2014-08-15, the two reads a rotation forecast needs. Shapes from
 * aliyun/alibabacloud-typescript-sdk rds-20140815/src/models: DescribeDBInstanceAttributeResponseBody
 * (`Items.DBInstanceAttribute[]` with `DBInstanceId`, `DBInstanceStatus`: Running, Stopped, ...)
 * and DescribeAccountsResponseBody (`Accounts.DBInstanceAccount[]` with `AccountName`,
 * `AccountStatus`, `AccountType`). Unknown instance: 404 `InvalidDBInstanceId.NotFound`.
 */
import type { Provider } from '../../types';
import type { TargetStore } from '../targets/store';
import { accountList, notFound, requireParam, targetProvider } from '../targets/wire';

export const RDS_VERSION = '2014-08-15';

function instanceOf(store: TargetStore, id: string) {
  const instance = store.rds.get(id);
  if (!instance) throw notFound('InvalidDBInstanceId.NotFound', 'Specified instance does not exist or not support.');
  return instance;
}

export function createRds(store: TargetStore): Provider {
  return targetProvider('rds', RDS_VERSION, store, {
    DescribeDBInstanceAttribute(s, p) {
      const instance = instanceOf(s, requireParam(p, 'DBInstanceId'));
      return {
        Items: {
          DBInstanceAttribute: [
            { DBInstanceId: instance.id, DBInstanceStatus: instance.status, Engine: 'MySQL', LockMode: 'Unlock' },
          ],
        },
      };
    },
    DescribeAccounts(s, p) {
      const instance = instanceOf(s, requireParam(p, 'DBInstanceId'));
      const names = accountList(instance.accounts, p.AccountName);
      return {
        Accounts: {
          DBInstanceAccount: names.map((AccountName) => ({
            DBInstanceId: instance.id,
            AccountName,
            AccountStatus: 'Available',
            AccountType: 'Normal',
          })),
        },
        PageNumber: 1,
        TotalRecordCount: names.length,
      };
    },
  });
}
