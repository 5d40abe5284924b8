/** STS 2015-04-01 GetCallerIdentity: the probe that tells a working AccessKey from a rotated-away one. */
import { ApiError, type ApiRequest, type Provider } from '../../types';

export function createStsProvider(): Provider {
  return {
    product: 'sts',
    version: '2015-04-01',
    writeActions: new Set(),
    handle(req: ApiRequest) {
      if (req.action !== 'GetCallerIdentity') {
        throw new ApiError(
          404,
          'InvalidAction.NotFound',
          'Specified api is not found, please check your url and method.',
        );
      }
      const caller = req.caller;
      // The protocol layer has already refused unknown or badly signed keys; without a caller
      // (signature checks off and no key) there is no identity to report.
      if (!caller) throw new ApiError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
      const [kind, name = '', session = ''] = caller.principal.split('/');
      const userId = name ? `2${hash(caller.principal)}` : caller.accountId;
      const identityType = kind === 'assumed-role' ? 'AssumedRoleUser' : kind === 'user' ? 'RAMUser' : 'Account';
      const arn =
        kind === 'assumed-role'
          ? `acs:ram::${caller.accountId}:assumed-role/${name}/${session}`
          : kind === 'user'
            ? `acs:ram::${caller.accountId}:user/${name}`
            : `acs:ram::${caller.accountId}:root`;
      return {
        AccountId: caller.accountId,
        UserId: userId,
        Arn: arn,
        IdentityType: identityType,
        PrincipalId: kind === 'assumed-role' ? `${userId}:${session}` : userId,
        ...(kind === 'assumed-role' ? { RoleId: userId } : {}),
      };
    },
  };
}

/** A stable 15-digit id per principal, so the same user always reports the same UserId. */
function hash(text: string): string {
  let h = 1469598103934665603n;
  for (const ch of text) h = ((h ^ BigInt(ch.charCodeAt(0))) * 1099511628211n) & 0xffffffffffffffffn;
  return (h % 10n ** 14n).toString().padStart(14, '0');
}
