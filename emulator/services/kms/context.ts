/** What every KMS handler reaches: the store, the clock, the other services. One per emulator. */
import type { FaultRegistry } from '../../faults';
import type { SimClock } from '../../types';
import type { AuthStore, CredentialBackend, EventBus } from '../contracts';
import type { TargetStore } from '../targets/store';
import type { EventShapes } from '../event-shapes';
import type { DueQueue } from './due-queue';
import { kmsErrors } from './errors';
import type { SecretRecord } from './model';
import { nameFromParam } from './model';

export interface KmsContext {
  clock: SimClock;
  faults: FaultRegistry;
  auth: AuthStore;
  bus: EventBus;
  backend?: CredentialBackend;
  accountId: string;
  regionId: string;
  intervalBounds: { minSeconds: number; maxSeconds: number };
  /** Tags one secret may carry: 20 (CreateSecret) unless the emulator was told 10 (TagResource page). */
  maxTagsPerSecret: number;
  /** Which writes move UpdateTime (unconfirmed.ts UPDATE_TIME_MOVES). */
  updateTime: { tags: boolean; rotation: boolean };
  /** The published forms the rotation events take (event-shapes.ts). */
  eventShapes: EventShapes;
  secrets: Map<string, SecretRecord>;
  due: DueQueue;
  /** The resources managed rotations write to (emulator/services/targets). */
  targets: TargetStore;
}

/** The live secret, purging it first if its deletion window has passed (lazy: no timer per secret). */
export function liveSecret(ctx: KmsContext, name: string): SecretRecord | undefined {
  const secret = ctx.secrets.get(name);
  if (secret?.plannedDeleteAt !== undefined && secret.plannedDeleteAt <= ctx.clock.now()) {
    purge(ctx, secret);
    return undefined;
  }
  return secret;
}

export function purge(ctx: KmsContext, secret: SecretRecord): void {
  ctx.secrets.delete(secret.name);
  ctx.due.remove(secret.name);
}

export function requireParam(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw kmsErrors.missing(name);
  return value;
}

export function requireSecret(ctx: KmsContext, params: Record<string, string>): SecretRecord {
  const secret = liveSecret(ctx, nameFromParam(requireParam(params, 'SecretName')));
  if (!secret) throw kmsErrors.notFound();
  return secret;
}

export function boolParam(params: Record<string, string>, name: string, fallback: boolean): boolean {
  const value = params[name];
  if (value === undefined || value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw kmsErrors.invalid(name, 'Expected "true" or "false".');
}

export function intParam(
  params: Record<string, string>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = params[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw kmsErrors.invalid(name, `Expected an integer from ${min} to ${max}.`);
  return n;
}

export function jsonParam<T>(params: Record<string, string>, name: string): T | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  try {
    return JSON.parse(value) as T;
  } catch {
    throw kmsErrors.invalid(name, 'Expected JSON.');
  }
}
