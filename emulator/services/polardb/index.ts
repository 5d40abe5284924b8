/**
 * PolarDB 2017-08-01, the two reads a rotation forecast needs. Shapes from
 * aliyun/alibabacloud-typescript-sdk polardb-20170801/src/models: DescribeDBClusterAttributeResponseBody
 * (flat `DBClusterId`, `DBClusterStatus`: Running, ...) and DescribeAccountsResponseBody
 * (`Accounts[]` with `AccountName`, `AccountStatus`, `AccountType`). The not-found code is
 * UNCONFIRMED (`InvalidDBClusterId.NotFound`).
 */
import type { Provider } from '../../types';
import type { TargetStore } from '../targets/store';
import { accountList, notFound, requireParam, targetProvider } from '../targets/wire';

export const POLARDB_VERSION = '2017-08-01';

function clusterOf(store: TargetStore, id: string) {
  const cluster = store.polardb.get(id);
  if (!cluster) throw notFound('InvalidDBClusterId.NotFound', 'The specified DBClusterId is not found.');
  return cluster;
}

export function createPolarDb(store: TargetStore): Provider {
  return targetProvider('polardb', POLARDB_VERSION, store, {
    DescribeDBClusterAttribute(s, p) {
      const cluster = clusterOf(s, requireParam(p, 'DBClusterId'));
      return { DBClusterId: cluster.id, DBClusterStatus: cluster.status, DBType: 'MySQL' };
    },
    DescribeAccounts(s, p) {
      const cluster = clusterOf(s, requireParam(p, 'DBClusterId'));
      const names = accountList(cluster.accounts, p.AccountName);
      return {
        Accounts: names.map((AccountName) => ({ AccountName, AccountStatus: 'Available', AccountType: 'Normal' })),
        PageNumber: 1,
        PageRecordCount: names.length,
      };
    },
  });
}
