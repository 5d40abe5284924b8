/**
 * No rotation on the word of an event alone (issue 13, DESIGN "First, do no harm"). A rotation
 * failure event pages (it is KMS's word), but RotateSecret interrupts a single-account RDS
 * application, so it is called only when the secret's own state, as DescribeSecret returns it now,
 * says the same; a forged, replayed or stale event can then raise an alert at worst, never a
 * rotation. Pure decisions over plain data: the caller reads the secret and acts.
 */
import type { CheckId } from './types';

export type Verdict = { ok: true; reason: string } | { ok: false; reason: string };

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A failure event dated at or before the secret's LastRotationDate is about a rotation that has
 * since been superseded by a successful one: it changes nothing (no episode, no alert, no retry).
 */
export function isStaleFailure(failedAt: number, lastRotationDate: number | undefined): Verdict {
  if (lastRotationDate !== undefined && failedAt <= lastRotationDate) {
    return {
      ok: true,
      reason: `the failure (${iso(failedAt)}) is not after the last successful rotation (${iso(lastRotationDate)})`,
    };
  }
  return {
    ok: false,
    reason:
      lastRotationDate === undefined
        ? 'the secret has never rotated'
        : `the failure (${iso(failedAt)}) is after the last rotation (${iso(lastRotationDate)})`,
  };
}

/** What DescribeSecret returns now, as much as the decision needs. */
export interface RotationState {
  automaticRotation?: string;
  lastRotationDate?: number;
  nextRotationDate?: number;
}

export interface RotationRequest {
  /** The check of the episode that wants the rotation. */
  checkId: CheckId;
  /** The secret as DescribeSecret returns it now (never as an event describes it). */
  state: RotationState;
  now: number;
  /** How long after NextRotationDate a scheduled rotation may still be running (type-aware, e.g. 48 h for RAM). */
  completionGraceMs: number;
}

/**
 * Whether RotateSecret may be called. A rotation failure is corroborated by AutomaticRotation
 * `Invalid` (KMS marks a failed managed rotation so, reference §3), or by a due date passed with
 * LastRotationDate unchanged; a failing verification by our own probe, not by an event. Any other
 * check never calls for a rotation.
 */
export function rotationCorroborated(request: RotationRequest): Verdict {
  const { state, now } = request;
  switch (request.checkId) {
    case 'verification-failed':
      return { ok: true, reason: 'our own probe found the current credential refused' };
    // A stuck episode may carry a later failure (one episode per problem): the secret's state decides.
    case 'rotation-failed':
    case 'rotation-overdue':
    case 'stuck-in-progress': {
      if (state.automaticRotation === 'Invalid')
        return { ok: true, reason: 'DescribeSecret shows AutomaticRotation Invalid' };
      const due = state.nextRotationDate;
      if (
        due !== undefined &&
        now > due + request.completionGraceMs &&
        (state.lastRotationDate === undefined || state.lastRotationDate < due)
      ) {
        return {
          ok: true,
          reason: `the rotation due ${iso(due)} has not happened (LastRotationDate ${state.lastRotationDate === undefined ? 'never' : iso(state.lastRotationDate)})`,
        };
      }
      const last =
        state.lastRotationDate === undefined ? 'never rotated' : `last rotated ${iso(state.lastRotationDate)}`;
      return {
        ok: false,
        reason: `DescribeSecret shows a healthy rotation (AutomaticRotation ${state.automaticRotation ?? 'unknown'}, ${last}${due === undefined ? '' : `, next due ${iso(due)}`}): the failure is not corroborated`,
      };
    }
    default:
      return { ok: false, reason: `${request.checkId} does not call for a rotation` };
  }
}

/** The orchestrator's own functions, as the deployment knows them. */
export interface OwnFunctions {
  regionId: string;
  /** Unknown only outside FC (a local run without KRO_ACCOUNT_ID): then any account is ours. */
  accountId?: string;
  names: ReadonlyArray<string>;
}

/**
 * FC 3.0 names a function `acs:fc:<region>:<account>:functions/<name>`; FC 2.0 payloads put the
 * service in between (`services/<service>.<qualifier>/functions/<name>`). Which form the async
 * destination's requestContext.functionArn uses is UNCONFIRMED (reference §6.3), so both are read.
 */
const FUNCTION_ARN = /^acs:fc:([^:]+):(\d+):(?:services\/[^/]+\/)?functions\/([^/:]+)(?::[^/]+)?$/;

/** A destination payload is acted on only when it comes from one of the orchestrator's own functions. */
export function isOwnFunctionArn(functionArn: string, own: OwnFunctions): Verdict {
  const match = FUNCTION_ARN.exec(functionArn);
  if (!match) return { ok: false, reason: 'requestContext.functionArn is not a Function Compute function ARN' };
  const [, region, account, name] = match;
  if (region !== own.regionId)
    return { ok: false, reason: `the function is in region ${region}, this deployment is in ${own.regionId}` };
  if (own.accountId && account !== own.accountId)
    return { ok: false, reason: `the function belongs to account ${account}, this deployment to ${own.accountId}` };
  if (!own.names.includes(name!))
    return { ok: false, reason: `${name} is not one of the orchestrator's functions (${own.names.join(', ')})` };
  return { ok: true, reason: `${name} is the orchestrator's own function` };
}
