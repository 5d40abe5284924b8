/**
 * Command-line parsing from the option list each command already declares for its help text
 * (CliOption.flag: "--port P" takes a value, "--dry-run" does not), so help and parsing cannot
 * disagree. Usage mistakes throw UsageError; cli/main.ts prints it and exits with status 2.
 */
import type { CliOption } from './types';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedArgs {
  /** Option values by long name without dashes ("event"); flags without a value are true. */
  options: Record<string, string | true>;
  positionals: string[];
}

interface OptionShape {
  name: string;
  takesValue: boolean;
}

export function optionShapes(options: readonly CliOption[]): Map<string, OptionShape> {
  const shapes = new Map<string, OptionShape>();
  for (const option of options) {
    const [flag, placeholder] = option.flag.trim().split(/\s+/);
    if (!flag?.startsWith('--')) throw new Error(`option "${option.flag}" must start with --`);
    shapes.set(flag, { name: flag.slice(2), takesValue: placeholder !== undefined });
  }
  return shapes;
}

export function parseArgs(argv: readonly string[], options: readonly CliOption[]): ParsedArgs {
  const shapes = optionShapes(options);
  const parsed: ParsedArgs = { options: {}, positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    // A lone "-" is a value (standard input), not an option.
    if (!arg.startsWith('-') || arg === '-') {
      parsed.positionals.push(arg);
      continue;
    }
    const [flag, inline] = splitInline(arg);
    const shape = shapes.get(flag);
    if (!shape) throw new UsageError(`unknown option ${flag}${suggest(flag, shapes)}`);
    if (!shape.takesValue) {
      if (inline !== undefined) throw new UsageError(`option ${flag} takes no value`);
      parsed.options[shape.name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`option ${flag} needs a value`);
    parsed.options[shape.name] = value;
  }
  return parsed;
}

/** The string value of an option, or undefined; a flag given without value is a usage error. */
export function stringOption(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.options[name];
  if (value === true) throw new UsageError(`option --${name} needs a value`);
  return value;
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq === -1 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

function suggest(flag: string, shapes: Map<string, OptionShape>): string {
  const close = [...shapes.keys()].find((known) => known.startsWith(flag) || flag.startsWith(known));
  return close ? ` (did you mean ${close}?)` : '';
}
