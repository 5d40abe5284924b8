/**
 * Reading the first release's state tag, so the secrets it tagged keep their episodes across the
 * upgrade; nothing writes this format any more (the next write of a secret's state re-encodes it
 * as version 2). Format, as that release wrote it:
 *
 *   1:<rotationStartedAt>;<episode>;<episode>...
 *   episode = check,status,openedAt,attempts[s],lastAttempt,error,nextAction,alert,cause
 *
 * with `#<n>` for the n-th known error code. `;`, `,` and `#` are outside the tag alphabet KMS
 * documents, which is why version 2 exists. Fixtures written by that release:
 * test/fixtures/state-tag-v1.json.
 */
import type { SecretState } from './episode-tag';
import { decodeEpisodeFields, parse36, type FieldSyntax } from './state-tag-fields';

export const V1_PREFIX = '1:';
const V1: FieldSyntax = { knownErrorMarker: '#' };

/** The state a version 1 value holds; throws when the value is not one. */
export function decodeStateV1(value: string, secretName: string): SecretState {
  const [head = '', ...rest] = value.split(';');
  const parts = head.split(':');
  if (parts.length !== 2 || parts[0] !== '1') throw new Error(`not a version 1 head "${head}"`);
  const state: SecretState = { episodes: rest.map((e) => decodeEpisodeFields(e.split(','), secretName, V1)) };
  if (parts[1]) state.rotationStartedAt = parse36(parts[1]) * 1000;
  return state;
}
