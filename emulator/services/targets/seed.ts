/**
 * The seed's `Targets` section and the control API's target changes, in the APIs' own names.
 * Declared targets replace the healthy defaults a managed secret would get; changes (stop an
 * instance, delete an account, add an AccessKey, remove a service role, move a KMS instance's end
 * date) are what the readiness forecast must see and what makes the next rotation fail.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AuthStore } from '../contracts';
import type { TargetStore } from './store';

const date = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), { error: 'is not a date (use 2026-01-01T00:00:00Z)' });
const accounts = z.array(z.string().min(1)).optional();

export const targetsSeedSchema = z
  .object({
    RdsInstances: z
      .array(
        z
          .object({ DBInstanceId: z.string().min(1), DBInstanceStatus: z.string().optional(), Accounts: accounts })
          .strict(),
      )
      .optional(),
    RedisInstances: z
      .array(
        z.object({ InstanceId: z.string().min(1), InstanceStatus: z.string().optional(), Accounts: accounts }).strict(),
      )
      .optional(),
    PolarDBClusters: z
      .array(
        z
          .object({ DBClusterId: z.string().min(1), DBClusterStatus: z.string().optional(), Accounts: accounts })
          .strict(),
      )
      .optional(),
    EcsInstances: z
      .array(
        z
          .object({
            InstanceId: z.string().min(1),
            Status: z.string().optional(),
            CloudAssistantStatus: z.boolean().optional(),
          })
          .strict(),
      )
      .optional(),
    RamUsers: z
      .array(
        z
          .object({
            UserName: z.string().min(1),
            AccessKeys: z
              .array(z.object({ AccessKeyId: z.string().min(1), AccessKeySecret: z.string().min(1) }).strict())
              .max(2)
              .optional(),
          })
          .strict(),
      )
      .optional(),
    KmsInstances: z.array(z.object({ KmsInstanceId: z.string().min(1), EndDate: date }).strict()).optional(),
    /** Service-linked roles that do not exist (all exist by default). */
    MissingServiceRoles: z.array(z.string().min(1)).optional(),
  })
  .strict();

export type TargetsSeed = z.infer<typeof targetsSeedSchema>;

export function applyTargetsSeed(store: TargetStore, auth: AuthStore, seed: TargetsSeed): void {
  for (const i of seed.RdsInstances ?? [])
    store.db('rds', i.DBInstanceId, { status: i.DBInstanceStatus, accounts: i.Accounts, declared: true });
  for (const i of seed.RedisInstances ?? [])
    store.db('redis', i.InstanceId, { status: i.InstanceStatus, accounts: i.Accounts, declared: true });
  for (const i of seed.PolarDBClusters ?? [])
    store.db('polardb', i.DBClusterId, { status: i.DBClusterStatus, accounts: i.Accounts, declared: true });
  for (const i of seed.EcsInstances ?? [])
    store.ecsInstance(i.InstanceId, { status: i.Status, cloudAssistant: i.CloudAssistantStatus });
  for (const u of seed.RamUsers ?? []) {
    store.ramUser(u.UserName);
    for (const k of u.AccessKeys ?? []) {
      store.addKey(u.UserName, k.AccessKeyId);
      auth.addAccessKey({
        accessKeyId: k.AccessKeyId,
        accessKeySecret: k.AccessKeySecret,
        principal: `user/${u.UserName}`,
      });
    }
  }
  for (const k of seed.KmsInstances ?? []) store.kmsInstance(k.KmsInstanceId, Date.parse(k.EndDate));
  for (const role of seed.MissingServiceRoles ?? []) store.serviceRoles.delete(role);
}

/** One change through the control API (`POST /_emulator/targets` with a `Kind`). */
export const targetChangeSchema = z.discriminatedUnion('Kind', [
  z
    .object({
      Kind: z.enum(['RdsInstance', 'RedisInstance', 'PolarDBCluster']),
      Id: z.string().min(1),
      Status: z.string().optional(),
      Deleted: z.boolean().optional(),
      AddAccount: z.string().optional(),
      DeleteAccount: z.string().optional(),
    })
    .strict(),
  z
    .object({
      Kind: z.literal('EcsInstance'),
      Id: z.string().min(1),
      Status: z.string().optional(),
      CloudAssistant: z.boolean().optional(),
      Deleted: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      Kind: z.literal('RamUser'),
      Id: z.string().min(1),
      Deleted: z.boolean().optional(),
      AddAccessKey: z.boolean().optional(),
      DeleteAccessKey: z.string().optional(),
    })
    .strict(),
  z.object({ Kind: z.literal('ServiceRole'), Id: z.string().min(1), Deleted: z.boolean() }).strict(),
  z.object({ Kind: z.literal('KmsInstance'), Id: z.string().min(1), EndDate: date }).strict(),
]);

export type TargetChange = z.infer<typeof targetChangeSchema>;

const DB_KIND = { RdsInstance: 'rds', RedisInstance: 'redis', PolarDBCluster: 'polardb' } as const;

/** Applies a change; returns the AccessKeyId a key addition made (never its secret). */
export function applyTargetChange(store: TargetStore, auth: AuthStore, change: TargetChange): { accessKeyId?: string } {
  switch (change.Kind) {
    case 'RdsInstance':
    case 'RedisInstance':
    case 'PolarDBCluster': {
      const kind = DB_KIND[change.Kind];
      if (change.Deleted) {
        store[kind].delete(change.Id);
        return {};
      }
      const instance = store.db(kind, change.Id, { status: change.Status, declared: true });
      if (change.AddAccount) instance.accounts.add(change.AddAccount);
      if (change.DeleteAccount) instance.accounts.delete(change.DeleteAccount);
      return {};
    }
    case 'EcsInstance':
      if (change.Deleted) store.ecs.delete(change.Id);
      else store.ecsInstance(change.Id, { status: change.Status, cloudAssistant: change.CloudAssistant });
      return {};
    case 'RamUser': {
      if (change.Deleted) {
        for (const id of store.ramUsers.get(change.Id)?.keys.keys() ?? []) auth.removeAccessKey(id);
        store.ramUsers.delete(change.Id);
        return {};
      }
      const user = store.ramUser(change.Id);
      if (change.DeleteAccessKey) {
        user.keys.delete(change.DeleteAccessKey);
        auth.removeAccessKey(change.DeleteAccessKey);
      }
      if (change.AddAccessKey) {
        // As an operator adding a second key in the console would (the limit is RAM's to enforce).
        const accessKeyId = `LTAI5t${randomBytes(9).toString('hex').slice(0, 18)}`;
        store.addKey(change.Id, accessKeyId);
        auth.addAccessKey({
          accessKeyId,
          accessKeySecret: randomBytes(22).toString('base64url'),
          principal: `user/${change.Id}`,
        });
        return { accessKeyId };
      }
      return {};
    }
    case 'ServiceRole':
      if (change.Deleted) store.serviceRoles.delete(change.Id);
      else store.serviceRoles.add(change.Id);
      return {};
    case 'KmsInstance':
      store.kmsInstance(change.Id, Date.parse(change.EndDate));
      return {};
  }
}
