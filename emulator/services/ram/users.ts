/**
 * RAM users and their AccessKeys (ram-20150501), the calls a RAM secret's rotation and its
 * forecast need: GetUser, ListAccessKeys, CreateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed.
 * Shapes from aliyun/alibabacloud-typescript-sdk ram-20150501/src/models (GetUserResponseBodyUser,
 * ListAccessKeysResponseBody `AccessKeys.AccessKey[]`, CreateAccessKeyResponseBodyAccessKey,
 * GetAccessKeyLastUsedResponseBody `AccessKeyLastUsed.LastUsedDate`). The state is the target
 * store's (a managed RAM rotation changes the same keys); a key made here is a working key in the
 * auth store. RAM allows 2 AccessKeys per user: a third is 409 `LimitExceeded.User.AccessKey`.
 */
import { randomBytes } from 'node:crypto';
import { ApiError, type ApiReply } from '../../types';
import type { AuthStore } from '../contracts';
import { MAX_ACCESS_KEYS_PER_USER } from '../targets/preconditions';
import type { RamUser, TargetStore } from '../targets/store';
import { required } from './errors';
import { ramDate } from './store';

export const ramUserErrors = {
  noUser: (name: string) => new ApiError(404, 'EntityNotExist.User', `The user does not exist: ${name}.`),
  noKey: (id: string) => new ApiError(404, 'EntityNotExist.User.AccessKey', `The AccessKey does not exist: ${id}.`),
  keyLimit: () =>
    new ApiError(409, 'LimitExceeded.User.AccessKey', 'The count of AccessKey of the user exceeds the limit.'),
};

function userOf(targets: TargetStore, params: Record<string, string>): RamUser {
  const name = required(params, 'UserName');
  const user = targets.ramUsers.get(name);
  if (!user) throw ramUserErrors.noUser(name);
  return user;
}

function keyOf(user: RamUser, params: Record<string, string>) {
  const id = required(params, 'UserAccessKeyId');
  const key = user.keys.get(id);
  if (!key) throw ramUserErrors.noKey(id);
  return key;
}

export function userActions(
  targets: TargetStore,
  auth: AuthStore,
): Record<string, (params: Record<string, string>) => ApiReply> {
  return {
    GetUser(p) {
      const user = userOf(targets, p);
      return {
        User: {
          UserId: user.userId,
          UserName: user.userName,
          DisplayName: user.userName,
          CreateDate: ramDate(user.createdAt),
          UpdateDate: ramDate(user.createdAt),
        },
      };
    },
    ListAccessKeys(p) {
      const user = userOf(targets, p);
      return {
        AccessKeys: {
          AccessKey: [...user.keys.values()].map((k) => ({
            AccessKeyId: k.accessKeyId,
            Status: k.status,
            CreateDate: ramDate(k.createdAt),
          })),
        },
      };
    },
    CreateAccessKey(p) {
      const user = userOf(targets, p);
      if (user.keys.size >= MAX_ACCESS_KEYS_PER_USER) throw ramUserErrors.keyLimit();
      const accessKeyId = `LTAI5t${randomBytes(9).toString('hex').slice(0, 18)}`;
      const accessKeySecret = randomBytes(22).toString('base64url').slice(0, 30);
      const key = targets.addKey(user.userName, accessKeyId);
      auth.addAccessKey({ accessKeyId, accessKeySecret, principal: `user/${user.userName}` });
      return {
        AccessKey: {
          AccessKeyId: accessKeyId,
          AccessKeySecret: accessKeySecret,
          Status: key.status,
          CreateDate: ramDate(key.createdAt),
        },
      };
    },
    DeleteAccessKey(p) {
      const user = userOf(targets, p);
      const key = keyOf(user, p);
      user.keys.delete(key.accessKeyId);
      auth.removeAccessKey(key.accessKeyId);
      return {};
    },
    GetAccessKeyLastUsed(p) {
      const user = userOf(targets, p);
      const key = keyOf(user, p);
      // Never used: RAM answers without a date (UNCONFIRMED: the field is absent, not empty).
      return { AccessKeyLastUsed: key.lastUsedAt !== undefined ? { LastUsedDate: ramDate(key.lastUsedAt) } : {} };
    },
  };
}
