/**
 * Whether a secret has room for the orchestrator's state (issue 12). The state lives on the secret
 * as tags (episode-tag.ts); a secret that already carries the documented maximum refuses them for
 * good, and so does one whose tags are refused for a reason no retry changes (an invalid parameter,
 * a permission refusal). Such a secret is told apart from a transient refusal (a throttle, a 5xx, a
 * network error), which the next pass simply writes again: only a lasting refusal moves its alerts
 * to the path that needs no tag (stateless-episode.ts), since a transient one would later be written
 * under the stored episode's own id and page a second time.
 */
import { isThrottling } from './throttling';

/**
 * At most 20 tags per secret: CreateSecret `Tags` ("up to 20 key-value pairs for each secret"), KMS
 * API 2016-01-20. The TagResource page says 10 (UNCONFIRMED, emulator/CONFORMANCE.md): with 10 the
 * listing check below misses some full secrets, and the refusal itself still tells.
 */
export const SECRET_TAG_LIMIT = 20;

/**
 * The codes documented or enforced for a tag write that no retry fixes (CONFORMANCE.md, tag rows;
 * Forbidden.* / NoPermission for RAM). A secret in its deletion window (Rejected.ResourceInDeleteWindow)
 * is not among them: that refusal ends with the window, and the deletion path covers it already.
 */
const LASTING_CODES = [/LimitExceeded/, /^InvalidParameter/, /^Forbidden/, /NoPermission/, /AccessDenied/];

export type TagRefusal = { lasting: false } | { lasting: true; code: string };

/** What the domain reads of a refused call: the service's answer (shared/errors.ts CloudError), when it answered. */
interface ServiceAnswer {
  name: string;
  code: string;
  httpStatus?: number;
}

const isServiceAnswer = (error: unknown): error is ServiceAnswer =>
  error instanceof Error && error.name === 'CloudError' && typeof (error as Partial<ServiceAnswer>).code === 'string';

/** A TagResource/UntagResource error: lasting (no room for state) or transient (the next pass writes it). */
export function classifyTagRefusal(error: unknown): TagRefusal {
  if (!isServiceAnswer(error)) return { lasting: false };
  if (isThrottling(error.code) || (error.httpStatus !== undefined && error.httpStatus >= 500))
    return { lasting: false };
  return LASTING_CODES.some((re) => re.test(error.code)) ? { lasting: true, code: error.code } : { lasting: false };
}

/** From a listing or a description alone: at the tag limit and without our state tag, so no room for it. */
export function lacksRoomForState(tags: Record<string, string>, stateTagKey: string): boolean {
  return !(stateTagKey in tags) && Object.keys(tags).length >= SECRET_TAG_LIMIT;
}

/** The runbook step every alert of a secret without room for state starts with. */
export const NO_ROOM_RUNBOOK =
  'The orchestrator cannot store its state on this secret (state cannot be stored: remove a tag): it carries the maximum number of tags or its tags are refused. Until a tag is removed it alerts once per failure and once on recovery, and never retries (RotateSecret needs its write-ahead on the tag).';

/** The finding as a secret without room for state alerts it: the runbook says why nothing is retried. */
export function withNoRoomRunbook<F extends { runbook: string }>(finding: F | undefined): F | undefined {
  return finding && { ...finding, runbook: `${NO_ROOM_RUNBOOK} ${finding.runbook}` };
}
