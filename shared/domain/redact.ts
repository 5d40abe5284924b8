/**
 * The one redaction of the product (DESIGN D6, issue 13). Text from outside (an event's
 * errorMessage, an API error, a driver's error in a probe) reaches a tag, an alert, a log line or
 * the report only through here, and so does every log record. Pure and synchronous; its only state
 * is the registry of values the product has read (a probe's password, the function's STS pair), so
 * a value quoted back by anyone is removed wherever it appears.
 *
 * `redactText` removes, in this order:
 *  1. every registered value: raw, JSON-escaped, URL-encoded, and each long line of a multi-line one;
 *  2. PEM blocks (BEGIN..END, or BEGIN to the end of the text when the END was cut off);
 *  3. URL user info in any scheme (mysql, postgres(ql), redis, rediss, http(s), ...) and the bare
 *     `user:password@host:port` form;
 *  4. the value after a credential label, English or Chinese (password, passwd, pwd, secret, token,
 *     AccessKeySecret, SecretAccessKey, access_token, 密码, 口令, 密钥 ...) in `label: value`,
 *     `label=value`, `"label":"value"` (also JSON-escaped) and quoted forms, across line breaks;
 *  5. AccessKey pairs (an `LTAI` id and the secret after it) and STS key ids;
 *  6. long high-entropy tokens (`looksLikeCredential`), unless the caller says the text is an
 *     identifier of ours (a secret name, an ARN, an id).
 * `redactMessage` is what an outside message becomes: redacted, on one line, at most
 * MESSAGE_LIMIT characters. `safeErrorCode` keeps an error code only when it is shaped like one.
 */

export const REDACTED = '[REDACTED]';

/** An outside message keeps at most this many characters, after redaction. */
export const MESSAGE_LIMIT = 200;
/**
 * Only this much of an outside message is read. Cutting happens BEFORE redaction, so a value cut
 * in two here could escape the rules; the kept part ends long before this bound, so it never shows.
 */
const MESSAGE_INPUT_LIMIT = 4_096;
/** An error code is letters, digits and . _ : - (e.g. OperationDenied.DBInstanceStatus, Kms:InternalFailure). */
const ERROR_CODE = /^[A-Za-z][A-Za-z0-9._:-]{0,63}$/;
export const UNREADABLE_ERROR_CODE = 'UnreadableErrorCode';

// ---- the registry of values read by the product ----

const registered = new Set<string>();
/** Values shorter than this are not registered: they would match inside ordinary words. */
const MIN_REGISTERED_LENGTH = 4;
/**
 * The registered forms by their first MIN_REGISTERED_LENGTH characters, longest first. A long-lived
 * instance registers thousands of forms; one regular expression alternating them all cost time in
 * proportion to their number at every character of every text, this index a lookup per character.
 */
const registeredByPrefix = new Map<string, string[]>();

function formsOf(value: string): string[] {
  const forms = [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)];
  // A multi-line value (a private key) may surface one line at a time.
  for (const line of value.split(/\r?\n/)) if (line.trim().length >= 16) forms.push(line.trim());
  return forms.filter((form) => form.length >= MIN_REGISTERED_LENGTH);
}

/** From now on every redaction removes this value, in each form it can take in a text. */
export function registerSensitive(value: string): void {
  if (typeof value !== 'string' || value.length < MIN_REGISTERED_LENGTH) return;
  const before = registered.size;
  for (const form of formsOf(value)) {
    if (registered.has(form)) continue;
    registered.add(form);
    const prefix = form.slice(0, MIN_REGISTERED_LENGTH);
    const list = registeredByPrefix.get(prefix);
    if (list) list.splice(longestFirstIndex(list, form.length), 0, form);
    else registeredByPrefix.set(prefix, [form]);
  }
  if (registered.size === before) return;
  cache.clear();
}

/** Where a form of this length goes so the list stays longest first (equal lengths: oldest first). */
function longestFirstIndex(list: string[], length: number): number {
  let i = 0;
  while (i < list.length && list[i]!.length >= length) i++;
  return i;
}

/**
 * Every registered form replaced, scanning left to right and taking the longest form that starts at
 * each place (what one alternation of all forms, longest first, would match).
 */
function removeRegistered(text: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i + MIN_REGISTERED_LENGTH <= text.length;) {
    const list = registeredByPrefix.get(text.slice(i, i + MIN_REGISTERED_LENGTH));
    const form = list?.find((f) => text.startsWith(f, i));
    if (form === undefined) {
      i++;
      continue;
    }
    out += text.slice(copied, i) + REDACTED;
    i += form.length;
    copied = i;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function removeValues(text: string, values: Iterable<string>): string {
  const sorted = [...values].sort((a, b) => b.length - a.length);
  let out = text;
  for (const value of sorted) if (out.includes(value)) out = out.split(value).join(REDACTED);
  return out;
}

// ---- the rules ----

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]{1,40}-----[\s\S]*?(?:-----END [A-Z0-9 ]{1,40}-----|$)/g;
// Greedy to the last @ before a space: a password may itself hold @ / # ? (a raw one in an error).
// Bounded, so a text full of "http://" stays linear to scan.
const URL_USER_INFO = /\b([A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/)[^\s<>]{0,512}@/g;
const BARE_USER_INFO = /\b([A-Za-z0-9_.-]{1,64}):[^\s@/]{1,256}@(?=[A-Za-z0-9.-]+:\d{2,5}\b)/g;

const LABEL_WORDS =
  'password|passwd|passphrase|pwd|secretaccesskey|accesskeysecret|access_token|secretdata|privatekey|private_key|apikey|api_key|credential|secret|token|authorization|密码|密碼|口令|密钥|密鑰|令牌';
const QUOTED_VALUE = `\\\\"[\\s\\S]*?\\\\"|"(?:[^"\\\\]|\\\\[\\s\\S])*"|'[^']*'|“[^”]*”|「[^」]*」`;
/** `label: value`, `label=value`, `"label":"value"`, `\"label\":\"value\"`, `密码：value`. */
/** An unquoted value runs to white space, or to a double quote (the end of the JSON string it sits in). */
const BARE_VALUE = `(?:bearer|basic)\\s+[^\\s"]+|[^\\s"]+`;
const LABELLED = new RegExp(
  `((?:${LABEL_WORDS})(?:\\\\?["'])?\\s*(?:[:=：]|=>|为|是)\\s*)(${QUOTED_VALUE}|${BARE_VALUE})`,
  'gi',
);
/** "... failed for password hunter2": a driver may quote the value after a plain space. */
const SPACED = new RegExp(
  `((?:password|passwd|pwd|密码|口令|密钥)[ \\t]+)(?!(?:for|of|is|was|authentication|and|or|not|in|to|the|must|has|does|did|cannot|expired|incorrect|invalid|policy|length|mismatch|required|reset|change|rotation)\\b)(${QUOTED_VALUE}|${BARE_VALUE})`,
  'gi',
);
/** A quoted value keeps its quotes, so a JSON text stays JSON. */
function keepQuotes(_match: string, label: string, value: string): string {
  for (const [open, close] of [
    ['\\"', '\\"'],
    ['"', '"'],
    ["'", "'"],
    ['“', '”'],
    ['「', '」'],
  ] as const) {
    if (value.startsWith(open) && value.endsWith(close) && value.length >= open.length + close.length)
      return `${label}${open}${REDACTED}${close}`;
  }
  return `${label}${REDACTED}`;
}
const ACCESS_KEY_PAIR = /\bLTAI[A-Za-z0-9]{8,30}[\s:,;/|="']+[A-Za-z0-9]{20,40}\b/g;
const STS_KEY_ID = /\bSTS\.[A-Za-z0-9]{10,}/g;

/** Separators that identifiers, paths, codes and times are made of: they do not count as symbols. */
const NEUTRAL = /[.\-_/:=@]/;

/**
 * A long token mixing at least three of lower case, upper case, digits and symbols (a generated
 * password, an AccessKey secret), or a long base64/hex run. Error codes (letters and dots), request
 * ids (upper case, digits and dashes), ARNs, ISO times and paths stay readable.
 */
export function looksLikeCredential(token: string): boolean {
  if (token.length < 12) return false;
  const lower = /[a-z]/.test(token);
  const upper = /[A-Z]/.test(token);
  const digit = /\d/.test(token);
  if (token.length >= 32 && /^[A-Za-z0-9+/=]+$/.test(token) && digit && (lower || upper)) return true;
  // base64url and the like; a dashed id (a UUID, our own ids) is not one unless it mixes cases.
  if (
    token.length >= 24 &&
    /^[A-Za-z0-9+=_-]+$/.test(token) &&
    ((lower && upper) || (digit && (lower || upper) && !token.includes('-')))
  )
    return true;
  const symbol = [...token].some((c) => !/[A-Za-z0-9]/.test(c) && !NEUTRAL.test(c));
  return Number(lower) + Number(upper) + Number(digit) + Number(symbol) >= 3;
}

/**
 * A token is a run without white space, quotes, braces, brackets or commas (JSON punctuation, and
 * none of the special characters RDS accepts in a password); brackets and the like at its edges
 * do not count.
 */
const TOKEN = /[^\s"'{}[\],]{12,}/g;
const EDGE_OPEN = /^[(<`]+/;
const EDGE_CLOSE = /[)>`;.:!?]+$/;

function redactTokens(text: string): string {
  return text.replace(TOKEN, (token) => {
    const open = EDGE_OPEN.exec(token)?.[0] ?? '';
    const close = EDGE_CLOSE.exec(token.slice(open.length))?.[0] ?? '';
    const inner = token.slice(open.length, token.length - close.length);
    return looksLikeCredential(inner) ? `${open}${REDACTED}${close}` : token;
  });
}

export interface RedactOptions {
  /** Values to remove besides the registered ones (a probe's own value). */
  values?: ReadonlyArray<string | undefined>;
  /** False for identifiers of ours (names, ARNs, ids): every rule but the high-entropy one. */
  tokens?: boolean;
}

// Log lines repeat the same strings (names, codes, messages): remember recent results.
const cache = new Map<string, string>();
const CACHE_LIMIT = 5_000;
const CACHEABLE_LENGTH = 2_000;

/** The text with every credential the rules recognise replaced by [REDACTED]. */
export function redactText(text: string, options: RedactOptions = {}): string {
  if (text.length < 4) return text;
  const tokens = options.tokens !== false;
  const extra = (options.values ?? []).filter((v): v is string => typeof v === 'string' && v.length >= 3);
  const key = tokens ? `t${text}` : `i${text}`;
  if (extra.length === 0) {
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
  }
  let out = text;
  if (registered.size > 0) out = removeRegistered(out);
  if (extra.length > 0)
    out = removeValues(
      out,
      extra.flatMap((v) => [v, JSON.stringify(v).slice(1, -1), encodeURIComponent(v)]),
    );
  if (out.includes('-----BEGIN ')) out = out.replace(PEM_BLOCK, REDACTED);
  if (out.includes('://')) out = out.replace(URL_USER_INFO, `$1${REDACTED}@`);
  if (out.includes('@')) out = out.replace(BARE_USER_INFO, `$1:${REDACTED}@`);
  out = out.replace(LABELLED, keepQuotes).replace(SPACED, keepQuotes);
  if (out.includes('LTAI')) out = out.replace(ACCESS_KEY_PAIR, REDACTED);
  if (out.includes('STS.')) out = out.replace(STS_KEY_ID, REDACTED);
  if (tokens) out = redactTokens(out);
  if (extra.length === 0 && text.length <= CACHEABLE_LENGTH) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, out);
  }
  return out;
}

/** What an outside message may become in a tag, an alert or the report: redacted, one line, bounded. */
export function redactMessage(message: string | undefined, options: RedactOptions = {}): string | undefined {
  if (typeof message !== 'string' || message.length === 0) return undefined;
  const redacted = redactText(message.slice(0, MESSAGE_INPUT_LIMIT), options)
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!redacted) return undefined;
  return redacted.length > MESSAGE_LIMIT ? `${redacted.slice(0, MESSAGE_LIMIT - 1)}…` : redacted;
}

/** An error code from outside, kept only when it is shaped like one (a code may carry anything). */
export function safeErrorCode(code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  const trimmed = code.trim();
  return ERROR_CODE.test(trimmed) && redactText(trimmed) === trimmed ? trimmed : UNREADABLE_ERROR_CODE;
}

// ---- structured values (log records, ActionTrail parameters) ----

const SENSITIVE_KEY =
  /password|passwd|secret(data|key)?$|privatekey|token$|^authorization$|^signature$|accesskeysecret|securitytoken|apikey|api_key|credential$/i;
// Pagination cursors end in "Token" but are not credentials.
const NOT_SENSITIVE_KEY = /^(next|continuation|page)token$/i;
/** Keys whose values are our own identifiers: every rule applies but the high-entropy one. */
const IDENTIFIER_KEY = /(?:name|names|id|ids|arn|key|keys)$|^(?:target|cause|dedupeKey)$/i;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key) && !NOT_SENSITIVE_KEY.test(key);
}

/** A JSON-safe deep copy with every secret removed; never throws on cycles or BigInt. */
export function redactValue(value: unknown): unknown {
  return walk(value, new WeakSet(), 0, true);
}

function walk(value: unknown, seen: WeakSet<object>, depth: number, tokens: boolean): unknown {
  if (typeof value === 'string') return redactText(value, { tokens });
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth > 32) return '[Truncated]';
  seen.add(value);
  try {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (value instanceof Uint8Array) return `[Buffer ${value.length} bytes]`;
    if (Array.isArray(value)) return value.map((item) => walk(item, seen, depth + 1, tokens));
    if (value instanceof Map)
      return walkEntries(
        [...value.entries()].map(([k, v]) => [String(k), v]),
        seen,
        depth,
      );
    if (value instanceof Set) return [...value].map((item) => walk(item, seen, depth + 1, tokens));
    if (value instanceof Error) return walkError(value, seen, depth);
    return walkEntries(Object.entries(value), seen, depth);
  } finally {
    seen.delete(value);
  }
}

function walkEntries(entries: Array<[string, unknown]>, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of entries) {
    if (isSensitiveKey(key)) {
      if (child !== undefined && child !== null && child !== '') out[key] = REDACTED;
      continue;
    }
    const copy = walk(child, seen, depth + 1, !IDENTIFIER_KEY.test(key));
    if (copy !== undefined) out[key] = copy;
  }
  return out;
}

function walkError(error: Error, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: redactText(String(error.message)) };
  for (const [key, child] of Object.entries(error)) {
    if (key === 'name' || key === 'message' || key === 'stack') continue;
    out[key] = isSensitiveKey(key) ? REDACTED : walk(child, seen, depth + 1, !IDENTIFIER_KEY.test(key));
  }
  if (error.cause !== undefined) out.cause = walk(error.cause, seen, depth + 1, true);
  if (error.stack) out.stack = redactText(error.stack);
  return out;
}
