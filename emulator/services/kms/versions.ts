/** Version stages (§3): a stage marks one version; ACSCurrent moving leaves ACSPrevious behind. */
import { kmsErrors } from './errors';
import type { SecretRecord, SecretVersion } from './model';
import { MAX_VERSIONS } from './unconfirmed';

function takeStage(secret: SecretRecord, stage: string): SecretVersion | undefined {
  for (const v of secret.versions) {
    const i = v.stages.indexOf(stage);
    if (i >= 0) {
      v.stages.splice(i, 1);
      return v;
    }
  }
  return undefined;
}

/** Puts `stage` on `target`, moving it off whichever version had it. ACSCurrent drags ACSPrevious. */
export function moveStage(secret: SecretRecord, stage: string, target: SecretVersion): void {
  if (target.stages.includes(stage)) return;
  const from = takeStage(secret, stage);
  target.stages.push(stage);
  if (stage === 'ACSCurrent' && from && from !== target) {
    takeStage(secret, 'ACSPrevious');
    from.stages.push('ACSPrevious');
  }
}

/** Adds a version with the given stages; past the limit the oldest stage-less version goes. */
export function addVersion(secret: SecretRecord, version: SecretVersion, stages: string[]): void {
  if (secret.versions.length >= MAX_VERSIONS) {
    const i = secret.versions.findIndex((v) => v.stages.length === 0);
    if (i < 0) throw kmsErrors.limitExceeded('version');
    secret.versions.splice(i, 1);
  }
  secret.versions.push(version);
  for (const stage of stages) moveStage(secret, stage, version);
}

/** Managed secrets keep only ACSCurrent and ACSPrevious; older versions are dropped. */
export function pruneManaged(secret: SecretRecord): void {
  secret.versions = secret.versions.filter((v) => v.stages.length > 0);
}
