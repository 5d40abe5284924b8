/**
 * Managed rotation (§3): started by the due queue (automatic) or RotateSecret (immediate), applied
 * to the target (AuthStore for RAM keys, a bound real server for backed secrets) BEFORE ACSCurrent
 * moves, then reported on the bus as a CloudMonitor event. Faults decide failures.
 */
import { kmsErrors } from './errors';
import { type KmsContext } from './context';
import { currentVersion, type RotationRecord, type SecretRecord } from './model';
import { rotationEvent } from './rotation-events';
import { accountOf, newAccessKeyPair, nextAccountName, randomPassword, ramKeysOf, sshKeyPair } from './secret-data';
import { BACKEND_FAILURE_CODE, DELETED_TARGET_ERROR, ROTATION_DURATION_MS, ROTATION_IN_PROGRESS } from './unconfirmed';
import { addVersion, pruneManaged } from './versions';
import { targetFailure } from '../targets/preconditions';

const MAX_HISTORY = 100;

interface Failure {
  errorCode: string;
  errorMessage: string;
}

function record(secret: SecretRecord, entry: RotationRecord): void {
  const history = (secret.history ??= []);
  history.push(entry);
  if (history.length > MAX_HISTORY) history.splice(0, history.length - MAX_HISTORY);
}

/** Schedules the next automatic rotation, or clears it. A past date is due at once. */
export function scheduleNext(ctx: KmsContext, secret: SecretRecord): void {
  if (secret.autoRotation && secret.state !== 'Invalid' && secret.nextRotation !== undefined && !secret.running) {
    ctx.due.set(secret.name, Math.max(secret.nextRotation, ctx.clock.now()));
  } else {
    ctx.due.remove(secret.name);
  }
}

/** Refuses a second rotation while one runs; a stuck one ends once its fault is cleared. */
export function assertNotRotating(ctx: KmsContext, secret: SecretRecord): void {
  const running = secret.running;
  if (!running) return;
  if (running.stuck && !ctx.faults.has('RotationStuck', { secretName: secret.name, product: 'kms' })) {
    secret.running = undefined;
    return;
  }
  throw kmsErrors.choice(ROTATION_IN_PROGRESS);
}

export async function startRotation(
  ctx: KmsContext,
  secret: SecretRecord,
  trigger: 'automatic' | 'immediate',
  versionId: string,
): Promise<void> {
  assertNotRotating(ctx, secret);
  ctx.due.remove(secret.name);
  const now = ctx.clock.now();
  secret.running = { versionId, trigger, startedAt: now, stuck: false };
  if (ctx.faults.take('RotationStuck', { secretName: secret.name, product: 'kms' })) {
    secret.running.stuck = true;
    record(secret, { at: now, versionId, outcome: 'stuck', trigger });
    return;
  }
  const durations = ROTATION_DURATION_MS[secret.type] ?? ROTATION_DURATION_MS.default ?? { automatic: 0, immediate: 0 };
  const duration = durations[trigger];
  if (duration <= 0) {
    await finishRotation(ctx, secret);
    return;
  }
  ctx.clock.schedule(now + duration, () => finishRotation(ctx, secret), `kms:rotation-finish:${secret.name}`);
}

async function finishRotation(ctx: KmsContext, secret: SecretRecord): Promise<void> {
  const running = secret.running;
  // Forced deletion or an abandoned stuck run: nothing left to finish.
  if (!running || ctx.secrets.get(secret.name) !== secret) return;
  const target = { secretName: secret.name, product: 'kms' as const };
  // The target's own state decides first (a stopped instance fails the rotation), then faults.
  let failure: Failure | undefined = secret.deletedTarget
    ? DELETED_TARGET_ERROR[secret.type]
    : targetFailure(ctx.targets, secret, currentVersion(secret)?.data, ctx.clock.now());
  if (!failure) {
    const fault = ctx.faults.take('RotationFailure', target);
    if (fault)
      failure = {
        errorCode: fault.ErrorCode ?? 'InternalFailure',
        errorMessage: fault.ErrorMessage ?? 'Internal Failure.',
      };
  }
  let value: { data: string; commit: () => void } | undefined;
  if (!failure) {
    const notApplied = ctx.faults.take('RotationNotApplied', target) !== undefined;
    try {
      value = await produceValue(ctx, secret, !notApplied);
    } catch (error) {
      // The backend's message names the server and account, never the password.
      failure = {
        errorCode: BACKEND_FAILURE_CODE,
        errorMessage: error instanceof Error ? error.message : String(error),
      };
    }
  }
  const now = ctx.clock.now();
  secret.running = undefined;
  if (ctx.updateTime.rotation) secret.updatedAt = now;
  if (failure || !value) {
    const f = failure ?? { errorCode: 'InternalFailure', errorMessage: 'Internal Failure.' };
    secret.state = 'Invalid';
    ctx.due.remove(secret.name);
    record(secret, {
      at: now,
      versionId: running.versionId,
      outcome: 'failure',
      errorCode: f.errorCode,
      trigger: running.trigger,
    });
    ctx.bus.publish(rotationEvent(secret, { at: now, success: false, ...f }, ctx));
    return;
  }
  value.commit();
  addVersion(secret, { id: running.versionId, data: value.data, dataType: 'text', createdAt: now, stages: [] }, [
    'ACSCurrent',
  ]);
  pruneManaged(secret);
  secret.lastRotation = now;
  secret.state = secret.autoRotation ? 'Enabled' : 'Disabled';
  secret.nextRotation = secret.autoRotation && secret.intervalSeconds ? now + secret.intervalSeconds * 1000 : undefined;
  scheduleNext(ctx, secret);
  record(secret, { at: now, versionId: running.versionId, outcome: 'success', trigger: running.trigger });
  ctx.bus.publish(rotationEvent(secret, { at: now, success: true }, ctx));
}

/**
 * The new value, with the target already changed when `apply` is set. `commit` runs the
 * bookkeeping that must only happen once the rotation is certain (AuthStore keys).
 */
async function produceValue(
  ctx: KmsContext,
  secret: SecretRecord,
  apply: boolean,
): Promise<{ data: string; commit: () => void }> {
  const current = currentVersion(secret);
  const config = secret.extendedConfig;
  const now = ctx.clock.now();
  switch (secret.type) {
    case 'Rds':
    case 'Redis':
    case 'PolarDB': {
      const account = accountOf(current?.data ?? '')?.AccountName ?? String(config?.AccountName ?? 'kms_user');
      const next = nextAccountName(secret.type, config, account);
      const password = randomPassword();
      if (apply && secret.backing && ctx.backend) await ctx.backend.setPassword(secret.backing, next, password);
      return { data: JSON.stringify({ AccountName: next, AccountPassword: password }), commit: () => undefined };
    }
    case 'RAMCredentials': {
      const pair = newAccessKeyPair();
      const userName = String(config?.UserName ?? '');
      const old = ramKeysOf(current?.data ?? '');
      return {
        data: JSON.stringify({ ...pair, GenerateTimestamp: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z') }),
        commit: () => {
          if (!apply) return;
          ctx.auth.addAccessKey({
            accessKeyId: pair.AccessKeyId,
            accessKeySecret: pair.AccessKeySecret,
            principal: `user/${userName}`,
          });
          for (const key of old) ctx.auth.removeAccessKey(key.AccessKeyId);
          // The RAM user's key list follows: the new key in, the rotated-out key deleted. Whether
          // KMS deletes the previous key at once or one rotation later is UNCONFIRMED; at once
          // keeps a user at one key between rotations, which the 2-key precondition needs.
          const user = ctx.targets.ramUsers.get(userName);
          if (user) {
            ctx.targets.addKey(userName, pair.AccessKeyId);
            for (const key of old) user.keys.delete(key.AccessKeyId);
          }
        },
      };
    }
    case 'ECS': {
      const userName = String((JSON.parse(current?.data ?? '{}') as { UserName?: string }).UserName ?? 'root');
      if (config?.SecretSubType === 'SSHKey')
        return { data: JSON.stringify({ UserName: userName, ...sshKeyPair(secret.name) }), commit: () => undefined };
      return { data: JSON.stringify({ UserName: userName, Password: randomPassword() }), commit: () => undefined };
    }
    default:
      throw new Error('Generic secrets have no managed rotation.');
  }
}
