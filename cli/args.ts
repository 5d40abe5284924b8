/**
 * Command-line parsing with Node's `util.parseArgs` (strict: unknown options and missing values
 * are errors), configured from the option list each command already declares for its help text
 * (CliOption.flag: "--port P" takes a value, "--dry-run" does not), so help and parsing cannot
 * disagree. Usage mistakes throw UsageError; cli/main.ts prints it and exits with status 2.
 */
import { parseArgs as parseWithNode, type ParseArgsConfig } from 'node:util';
import type { CliOption } from './types';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedArgs {
  /** Option values by long name without dashes ("event"); flags without a value are true. */
  options: Record<string, string | true>;
  positionals: string[];
}

type NodeOptions = NonNullable<ParseArgsConfig['options']>;

export function nodeOptions(options: readonly CliOption[]): NodeOptions {
  const out: NodeOptions = {};
  for (const option of options) {
    const [flag, placeholder] = option.flag.trim().split(/\s+/);
    if (!flag?.startsWith('--')) throw new Error(`option "${option.flag}" must start with --`);
    out[flag.slice(2)] = { type: placeholder === undefined ? 'boolean' : 'string' };
  }
  return out;
}

export function parseArgs(argv: readonly string[], options: readonly CliOption[]): ParsedArgs {
  const config = nodeOptions(options);
  let parsed: ReturnType<typeof parseWithNode>;
  try {
    parsed = parseWithNode({ args: [...argv], options: config, strict: true, allowPositionals: true });
  } catch (error) {
    throw usageErrorOf(error, config);
  }
  const values: Record<string, string | true> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    // A repeated option keeps its last value, like most CLIs.
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last === true || typeof last === 'string') values[name] = last;
  }
  return { options: values, positionals: parsed.positionals };
}

/** The string value of an option, or undefined; a flag given without value is a usage error. */
export function stringOption(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.options[name];
  if (value === true) throw new UsageError(`option --${name} needs a value`);
  return value;
}

/** Node's ERR_PARSE_ARGS_* errors, reworded in the CLI's own terms. */
function usageErrorOf(error: unknown, config: NodeOptions): Error {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(--?[^' <]+)/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown option ${flag}${suggest(flag, config)}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new UsageError(
        config[flag.replace(/^--/, '')]?.type === 'boolean'
          ? `option ${flag} takes no value`
          : `option ${flag} needs a value`,
      );
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(message);
    default:
      return error instanceof Error ? error : new Error(message);
  }
}

function suggest(flag: string, config: NodeOptions): string {
  const close = Object.keys(config)
    .map((name) => `--${name}`)
    .find((known) => known.startsWith(flag) || flag.startsWith(known));
  return close ? ` (did you mean ${close}?)` : '';
}
