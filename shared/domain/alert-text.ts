/**
 * An alert's content as people and programs read it: one readable sentence (the secret, what
 * happened, since when), a newline, then the JSON fields. A mail or DingTalk message is useful from
 * its first line; programs read the fields through alertFields, the one parser of alert content.
 */

/** The sentence stays one line: the fields start on the next. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export function composeAlertContent(sentence: string, fields: Record<string, unknown>): string {
  return `${oneLine(sentence)}\n${JSON.stringify(fields)}`;
}

/** The readable first line; undefined for content without one (alerts sent before it existed). */
export function alertSentence(content: string): string | undefined {
  if (content.startsWith('{')) return undefined;
  const end = content.indexOf('\n');
  return end < 0 ? content : content.slice(0, end);
}

/**
 * The JSON fields of an alert, whether or not a sentence precedes them (alerts sent before the
 * sentence existed are JSON alone); an empty object for content that holds none, so a reader never
 * fails on an alert it did not write.
 */
export function alertFields(content: string): Record<string, unknown> {
  const start = content.startsWith('{') ? 0 : content.indexOf('\n{') + 1;
  if (start < 0 || content[start] !== '{') return {};
  try {
    const parsed: unknown = JSON.parse(content.slice(start));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
