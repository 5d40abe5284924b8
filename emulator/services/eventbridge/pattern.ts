/**
 * EventBridge event patterns (https://www.alibabacloud.com/help/en/doc-detail/181432.htm): a pattern
 * has the nested shape of the events it matches; every leaf is an array of conditions (OR), keys are
 * AND'ed, and an array-valued event field matches when any of its elements does.
 */

const OPERATORS = new Set(['prefix', 'suffix', 'contains', 'anything-but', 'exists', 'numeric', 'cidr']);
const NUMERIC_OPS = new Set(['=', '<', '<=', '>', '>=']);

export class PatternError extends Error {
  override readonly name = 'PatternError';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isScalar(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

/** Throws a PatternError naming the path of the first problem. */
export function validatePattern(pattern: unknown, path = '$'): void {
  if (!isPlainObject(pattern)) throw new PatternError(`${path}: a pattern must be a JSON object`);
  for (const [key, value] of Object.entries(pattern)) {
    const here = `${path}.${key}`;
    if (isPlainObject(value)) validatePattern(value, here);
    else if (Array.isArray(value)) value.forEach((c, i) => validateCondition(c, `${here}[${i}]`));
    else
      throw new PatternError(`${here}: a leaf must be an array of values or operators, got ${JSON.stringify(value)}`);
  }
}

function validateCondition(c: unknown, path: string): void {
  if (isScalar(c)) return;
  if (!isPlainObject(c)) throw new PatternError(`${path}: expected a value or an operator object`);
  const keys = Object.keys(c);
  const op = keys[0];
  if (keys.length !== 1 || op === undefined || !OPERATORS.has(op)) {
    throw new PatternError(
      `${path}: unknown operator ${JSON.stringify(keys)} (use one of ${[...OPERATORS].join(', ')})`,
    );
  }
  const arg = c[op];
  switch (op) {
    case 'prefix':
    case 'suffix':
    case 'contains':
      if (typeof arg !== 'string') throw new PatternError(`${path}: "${op}" takes a string`);
      return;
    case 'exists':
      if (typeof arg !== 'boolean') throw new PatternError(`${path}: "exists" takes true or false`);
      return;
    case 'cidr':
      if (typeof arg !== 'string' || parseCidr(arg) === undefined)
        throw new PatternError(`${path}: "cidr" takes an IPv4 block like 10.0.0.0/24`);
      return;
    case 'numeric':
      parseNumeric(arg, path);
      return;
    case 'anything-but':
      if (isScalar(arg) && arg !== null) return;
      if (Array.isArray(arg) && arg.length > 0 && arg.every((x) => isScalar(x) && x !== null)) return;
      if (
        isPlainObject(arg) &&
        Object.keys(arg).length === 1 &&
        (typeof arg.prefix === 'string' || typeof arg.suffix === 'string')
      )
        return;
      throw new PatternError(
        `${path}: "anything-but" takes a value, a list of values, {"prefix": ...} or {"suffix": ...}`,
      );
  }
}

function parseNumeric(arg: unknown, path: string): Array<[string, number]> {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0 || arg.length > 4) {
    throw new PatternError(`${path}: "numeric" takes [op, number] or [op, number, op, number]`);
  }
  const pairs: Array<[string, number]> = [];
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const n = arg[i + 1];
    if (typeof op !== 'string' || !NUMERIC_OPS.has(op) || typeof n !== 'number' || !Number.isFinite(n)) {
      throw new PatternError(
        `${path}: "numeric" pair ${JSON.stringify([op, n])} is not [one of = < <= > >=, a number]`,
      );
    }
    pairs.push([op, n]);
  }
  return pairs;
}

function parseIpv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

function parseCidr(cidr: string): { base: number; size: number } | undefined {
  const [ip, bitsText] = cidr.split('/');
  const base = ip === undefined ? undefined : parseIpv4(ip);
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  return { base: base - (base % size), size };
}

/** Whether the event matches; an invalid pattern throws (validate it once when subscribing). */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  validatePattern(pattern);
  return matchObject(pattern as Record<string, unknown>, event);
}

function matchObject(pattern: Record<string, unknown>, event: unknown): boolean {
  if (Array.isArray(event)) return event.some((e) => matchObject(pattern, e));
  const fields = isPlainObject(event) ? event : {};
  for (const [key, sub] of Object.entries(pattern)) {
    const present = Object.prototype.hasOwnProperty.call(fields, key);
    const value = fields[key];
    if (isPlainObject(sub)) {
      if (!present || !(isPlainObject(value) || Array.isArray(value)) || !matchObject(sub, value)) return false;
    } else if (!(sub as unknown[]).some((c) => matchCondition(c, present, value))) {
      return false;
    }
  }
  return true;
}

function matchCondition(c: unknown, present: boolean, value: unknown): boolean {
  if (isPlainObject(c) && 'exists' in c) return c.exists === present;
  if (!present) return false;
  if (Array.isArray(value)) return value.some((v) => matchCondition(c, true, v));
  if (isScalar(c)) return c === value;
  const cond = c as Record<string, unknown>;
  const [op] = Object.keys(cond) as [string];
  const arg = cond[op];
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && value.startsWith(arg as string);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(arg as string);
    case 'contains':
      return typeof value === 'string' && value.includes(arg as string);
    case 'cidr': {
      const block = parseCidr(arg as string);
      const ip = typeof value === 'string' ? parseIpv4(value) : undefined;
      return block !== undefined && ip !== undefined && ip >= block.base && ip < block.base + block.size;
    }
    case 'numeric':
      return typeof value === 'number' && parseNumeric(arg, '').every(([o, n]) => compare(value, o, n));
    case 'anything-but':
      return anythingBut(arg, value);
    default:
      return false;
  }
}

function compare(v: number, op: string, n: number): boolean {
  switch (op) {
    case '=':
      return v === n;
    case '<':
      return v < n;
    case '<=':
      return v <= n;
    case '>':
      return v > n;
    default:
      return v >= n;
  }
}

function anythingBut(arg: unknown, value: unknown): boolean {
  if (isPlainObject(arg)) {
    if (typeof value !== 'string') return false;
    if (typeof arg.prefix === 'string') return !value.startsWith(arg.prefix);
    return !value.endsWith(arg.suffix as string);
  }
  const excluded = Array.isArray(arg) ? arg : [arg];
  return !excluded.includes(value);
}
