/**
 * Renders the variables of a Serverless Devs s.yaml the way `s preview` does, for the subset the
 * project's s.yaml uses: ${env('X', 'default')}, ${env.X}, ${vars.a.b}, ${config('AccountID')} and
 * ${this.props.a.b} / ${this.name}. Anything else is an error naming the expression, so a new
 * variable form in s.yaml fails loudly here instead of deploying a literal "${...}" string.
 * (Variable forms: serverless-devs.md §1.1; test/deploy/s-preview.test.ts compares with `s preview`.)
 */
import { parse } from 'yaml';

export interface RenderContext {
  /** The deployer's environment (process.env for `s deploy`). */
  env: Record<string, string | undefined>;
  /** What `${config('Key')}` resolves to: AccountID, AccessKeyID... */
  config: Record<string, string | undefined>;
}

export class SYamlError extends Error {
  override readonly name = 'SYamlError';
}

const EXPRESSION = /\$\{([^}]*)\}/g;
const QUOTED = String.raw`\s*(?:'([^']*)'|"([^"]*)")\s*`;
const ENV_CALL = new RegExp(String.raw`^env\(${QUOTED}(?:,${QUOTED})?\)$`);
const CONFIG_CALL = new RegExp(String.raw`^config\(${QUOTED}\)$`);

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

/** Parses s.yaml text (anchors and aliases expanded) and renders every variable. */
export function renderSYaml(text: string, context: RenderContext): Record<string, unknown> {
  const document = parse(text, { maxAliasCount: -1 }) as unknown;
  if (!isRecord(document)) throw new SYamlError('s.yaml: the document is not a mapping');
  // vars may use env() and config() but not other vars (s renders them first, on their own).
  const vars = renderValue(document.vars ?? {}, context, {}, undefined, 'vars');
  const rendered: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    if (key === 'vars') rendered.vars = vars;
    else if (key === 'resources') rendered.resources = renderResources(value, context, vars);
    else rendered[key] = renderValue(value as Plain, context, vars, undefined, key);
  }
  return rendered;
}

function renderResources(resources: unknown, context: RenderContext, vars: Plain): Record<string, unknown> {
  if (!isRecord(resources)) throw new SYamlError('s.yaml: resources is not a mapping');
  const out: Record<string, unknown> = {};
  for (const [id, resource] of Object.entries(resources)) {
    // `this` is the resource as written; its props may refer to each other through it.
    const self = { name: id, ...(isRecord(resource) ? resource : {}) } as Plain;
    out[id] = renderValue(resource as Plain, context, vars, self, `resources.${id}`);
  }
  return out;
}

function renderValue(value: unknown, context: RenderContext, vars: unknown, self: unknown, where: string): Plain {
  if (typeof value === 'string') return renderString(value, context, vars, self, where);
  if (Array.isArray(value)) return value.map((item, i) => renderValue(item, context, vars, self, `${where}[${i}]`));
  if (isRecord(value)) {
    const out: Record<string, Plain> = {};
    for (const [key, item] of Object.entries(value))
      out[key] = renderValue(item, context, vars, self, `${where}.${key}`);
    return out;
  }
  return value as Plain;
}

function renderString(text: string, context: RenderContext, vars: unknown, self: unknown, where: string): Plain {
  const whole = /^\$\{([^}]*)\}$/.exec(text);
  if (whole) return resolve((whole[1] ?? '').trim(), context, vars, self, where);
  return text.replace(EXPRESSION, (_match, expression: string) => {
    const resolved = resolve(expression.trim(), context, vars, self, where);
    return typeof resolved === 'string' ? resolved : JSON.stringify(resolved);
  });
}

function resolve(expression: string, context: RenderContext, vars: unknown, self: unknown, where: string): Plain {
  const env = ENV_CALL.exec(expression);
  if (env) {
    const name = env[1] ?? env[2] ?? '';
    const fallback = env[3] ?? env[4];
    const found = context.env[name];
    if (found !== undefined) return found;
    if (fallback !== undefined) return fallback;
    throw new SYamlError(`${where}: \${${expression}}: environment variable ${name} is not set and has no default`);
  }
  const config = CONFIG_CALL.exec(expression);
  if (config) {
    const key = config[1] ?? config[2] ?? '';
    const found = context.config[key];
    if (found === undefined)
      throw new SYamlError(
        `${where}: \${${expression}}: no credential value ${key} (set the ${key} environment variable or run s config add)`,
      );
    return found;
  }
  if (expression.startsWith('env.')) return lookup(context.env, expression.slice(4), expression, where);
  if (expression.startsWith('vars.')) return lookup(vars, expression.slice(5), expression, where);
  if (expression.startsWith('this.') && self !== undefined) {
    const found = lookup(self, expression.slice(5), expression, where);
    // A `this` reference may itself hold variables (for example a prop set from ${vars.x}).
    return typeof found === 'string' ? renderString(found, context, vars, self, where) : found;
  }
  throw new SYamlError(`${where}: \${${expression}} is not a variable form the local runtime supports`);
}

function lookup(root: unknown, dotted: string, expression: string, where: string): Plain {
  let current: unknown = root;
  for (const key of dotted.split('.')) {
    if (!isRecord(current) || !(key in current)) throw new SYamlError(`${where}: \${${expression}} is not defined`);
    current = current[key];
  }
  return current as Plain;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
