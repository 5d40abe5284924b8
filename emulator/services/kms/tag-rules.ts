/**
 * The documented rules for tags on a secret. Source: CreateSecret `Tags` (KMS API 2016-01-20), the
 * same text in aliyun/alibabacloud-typescript-sdk `kms-20160120/src/models/CreateSecretRequest.ts`:
 * "The tag key and tag value can be up to 128 characters in length and can contain letters,
 * digits, forward slashes (/), backslashes (\), underscores (_), hyphens (-), periods (.), plus
 * signs (+), equal signs (=), colons (:), and at signs (@). The tag key cannot start with aliyun or
 * acs:. You can specify up to 20 key-value pairs for each secret." TagResources (`Tag.N`, same SDK,
 * `TagResourcesRequest.ts`) repeats the prefix rule. Every rule here is on, always: they are
 * documented. Only the count per secret is a choice (TagResource's page says 10): see
 * unconfirmed.ts MAX_TAGS_PER_SECRET and the emulator option `maxTagsPerSecret`.
 */
import { kmsErrors } from './errors';
import type { KmsContext } from './context';
import type { SecretRecord } from './model';

/** The documented alphabet; a key needs at least one character, a value may be empty. */
export const TAG_ALPHABET = /^[A-Za-z0-9/\\_\-.+=:@]*$/;
export const TAG_MAX_LENGTH = 128;
/** "cannot start with aliyun or acs:" (case as written; refusing any case is the stricter reading). */
const RESERVED_KEY_PREFIX = /^(aliyun|acs:)/i;

/** Why a tag breaks a documented rule, or undefined when it fits. Pure, for tests and the table. */
export function tagProblem(key: string, value: string): string | undefined {
  if (key.length === 0) return 'Tag keys cannot be empty.';
  if (key.length > TAG_MAX_LENGTH) return `Tag key is ${key.length} characters; at most ${TAG_MAX_LENGTH}.`;
  if (value.length > TAG_MAX_LENGTH)
    return `Tag value of "${key.slice(0, 40)}" is ${value.length} characters; at most ${TAG_MAX_LENGTH}.`;
  if (RESERVED_KEY_PREFIX.test(key)) return 'Tag keys cannot start with "aliyun" or "acs:".';
  // Never echo the value: the message lands in logs, and a caller may have mistaken a value for a tag.
  if (!TAG_ALPHABET.test(key)) return 'Tag key has a character outside letters, digits and / \\ _ - . + = : @.';
  if (!TAG_ALPHABET.test(value))
    return `Tag value of "${key.slice(0, 40)}" has a character outside letters, digits and / \\ _ - . + = : @.`;
  return undefined;
}

/**
 * Checks the tags a secret would carry after the call. A bad tag is 400 InvalidParameter (the code
 * CreateSecret documents for a bad parameter); too many is 400 Rejected.LimitExceeded (CreateSecret's
 * quota code). TagResource/TagResources document no codes of their own: UNCONFIRMED, same codes.
 */
export function validateTags(
  tags: ReadonlyArray<readonly [string, string]>,
  maxPerSecret: number,
  param = 'Tags',
): void {
  for (const [key, value] of tags) {
    const problem = tagProblem(key, value);
    if (problem) throw kmsErrors.invalid(param, problem);
  }
  if (tags.length > maxPerSecret) throw kmsErrors.limitExceeded(`tag (at most ${maxPerSecret} per secret)`);
}

/** A tag write: whether it moves UpdateTime is UNCONFIRMED (unconfirmed.ts UPDATE_TIME_MOVES). */
export function tagsChanged(ctx: KmsContext, secret: SecretRecord, tags: Array<[string, string]>): void {
  secret.tags = tags;
  if (ctx.updateTime.tags) secret.updatedAt = ctx.clock.now();
}
