/**
 * `kro <command> [options]`. Commands are CliCommand objects in one list: adding a command is one
 * import and one entry. Exit status: the command's own, 2 for usage mistakes, 1 for failures.
 */
import packageJson from '../package.json';
import { UsageError } from './args';
import { command as audit } from './commands/audit';
import { command as demo } from './commands/demo';
import { command as emulator } from './commands/emulator';
import { command as invoke } from './commands/invoke';
import { bootstrapAlias, command as setup } from './commands/setup';
import type { CliCommand, CliIo } from './types';

export const COMMANDS: CliCommand[] = [demo, audit, emulator, invoke, setup, bootstrapAlias];

export const EXIT_USAGE = 2;

export function helpText(commands: readonly CliCommand[]): string {
  const lines = [
    'Usage: kro <command> [options]',
    '',
    'KMS Rotation Orchestrator: watches, retries, verifies and alerts on KMS secret rotation.',
    '',
    'Commands:',
  ];
  const width = Math.max(...commands.map((c) => c.name.length));
  for (const c of commands) lines.push(`  ${c.name.padEnd(width)}  ${c.summary}`);
  for (const c of commands) {
    lines.push('', `kro ${c.usage}`);
    lines.push(...optionLines(c));
  }
  lines.push('', 'Run kro <command> --help for one command; kro --version for the version.');
  return `${lines.join('\n')}\n`;
}

export function commandHelp(c: CliCommand): string {
  return `Usage: kro ${c.usage}\n\n${c.summary}\n${c.options.length ? `\nOptions:\n${optionLines(c).join('\n')}\n` : ''}`;
}

function optionLines(c: CliCommand): string[] {
  const width = Math.max(0, ...c.options.map((o) => o.flag.length));
  return [
    ...c.options.map((o) => `  ${o.flag.padEnd(width)}  ${o.description}`),
    `  ${'--help'.padEnd(width)}  show this help`,
  ];
}

export async function runCli(
  argv: readonly string[],
  io: CliIo,
  commands: readonly CliCommand[] = COMMANDS,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`kro ${packageJson.version}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(helpText(commands));
    return name === undefined ? EXIT_USAGE : 0;
  }
  const found = commands.find((c) => c.name === name);
  if (!found) {
    io.stderr(
      `kro: unknown command "${name}". Commands: ${commands.map((c) => c.name).join(', ')}. Run kro --help for details.\n`,
    );
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(commandHelp(found));
    return 0;
  }
  try {
    return await found.run([...rest], io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(
        `kro ${found.name}: ${error.message}\nUsage: kro ${found.usage}\nRun kro ${found.name} --help for the options.\n`,
      );
      return EXIT_USAGE;
    }
    io.stderr(`kro ${found.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdin: process.stdin,
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
  };
}

// Run when started as the program: directly (tsx cli/main.ts, the esbuild bundle) or through bin/kro.cjs.
const entry = typeof require === 'undefined' ? undefined : require.main;
if (entry && (entry === module || /[\\/]bin[\\/]kro\.cjs$/.test(entry.filename))) {
  runCli(process.argv.slice(2), processIo()).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(`kro: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
