/**
 * What KMS accepts in a secret's tags, as documented: "The tag key and tag value can be up to 128
 * characters in length and can contain letters, digits, forward slashes (/), backslashes (\),
 * underscores (_), hyphens (-), periods (.), plus signs (+), equal signs (=), colons (:), and at signs
 * (@). The tag key cannot start with aliyun or acs:." Source: CreateSecret `Tags`, KMS API 2016-01-20;
 * the SDK model aliyun/alibabacloud-typescript-sdk `kms-20160120/src/models/CreateSecretRequest.ts`
 * carries the same text. Every tag the product writes is checked against these (the state tag's
 * property test), and the emulator enforces the same constants.
 */

/** Longest tag key or value, in characters. */
export const TAG_TEXT_LIMIT = 128;

/** One documented character: letters, digits and / \ _ - . + = : @ (ASCII only: "letters" read strictly). */
export const TAG_CHARACTER = /[A-Za-z0-9/\\_.+=:@-]/;

/** A whole tag value: documented characters only, at most 128 of them. */
export const TAG_VALUE_PATTERN = /^[A-Za-z0-9/\\_.+=:@-]{0,128}$/;

/** A whole tag key: as a value, not empty, and not starting with the prefixes the cloud reserves. */
export const TAG_KEY_PATTERN = /^(?!aliyun|acs:)[A-Za-z0-9/\\_.+=:@-]{1,128}$/;

export function isDocumentedTagValue(text: string): boolean {
  return TAG_VALUE_PATTERN.test(text);
}

export function isDocumentedTagKey(text: string): boolean {
  return TAG_KEY_PATTERN.test(text);
}
