import { describe, expect, it } from 'vitest';
import { UsageError, parseArgs } from '../../cli/args';
import { COMMANDS, runCli } from '../../cli/main';
import type { CliCommand } from '../../cli/types';
import { recordingIo } from './cli-io';

const echo: CliCommand = {
  name: 'echo',
  summary: 'prints its arguments',
  usage: 'echo [--loud] [--times N] WORDS',
  options: [
    { flag: '--loud', description: 'shout' },
    { flag: '--times N', description: 'repeat N times' },
  ],
  run: (argv, io) => {
    const args = parseArgs(argv, echo.options);
    io.stdout(JSON.stringify(args));
    return Promise.resolve(args.options.loud ? 3 : 0);
  },
};

describe('kro', () => {
  it('lists every command with its options in --help', async () => {
    const { io, stdout } = recordingIo();
    expect(await runCli(['--help'], io)).toBe(0);
    for (const command of COMMANDS) {
      expect(stdout()).toContain(`  ${command.name}`);
      expect(stdout()).toContain(`kro ${command.usage}`);
      for (const option of command.options) expect(stdout()).toContain(option.flag);
    }
    expect(COMMANDS.map((c) => c.name)).toEqual(expect.arrayContaining(['emulator', 'invoke', 'bootstrap']));
  });

  it('shows one command’s help with kro <command> --help', async () => {
    const { io, stdout } = recordingIo();
    expect(await runCli(['invoke', '--help'], io)).toBe(0);
    expect(stdout()).toContain('Usage: kro invoke <sweep|on-event|remediate> --event FILE|-');
    expect(stdout()).toContain('--s-yaml PATH');
  });

  it('rejects an unknown command with status 2 and the list of commands', async () => {
    const { io, stderr } = recordingIo();
    expect(await runCli(['deploy'], io, [echo])).toBe(2);
    expect(stderr()).toBe('kro: unknown command "deploy". Commands: echo. Run kro --help for details.\n');
  });

  it('prints the help on standard error with status 2 when no command is given', async () => {
    const { io, stderr } = recordingIo();
    expect(await runCli([], io, [echo])).toBe(2);
    expect(stderr()).toContain('Usage: kro <command> [options]');
  });

  it('rejects an unknown option with status 2, the usage and a suggestion', async () => {
    const { io, stderr } = recordingIo();
    expect(await runCli(['echo', '--loudly'], io, [echo])).toBe(2);
    expect(stderr()).toContain('kro echo: unknown option --loudly (did you mean --loud?)');
    expect(stderr()).toContain('Usage: kro echo [--loud] [--times N] WORDS');
  });

  it('passes options and positionals to the command and returns its status', async () => {
    const { io, stdout } = recordingIo();
    expect(await runCli(['echo', 'a', '--times=2', '-', '--loud'], io, [echo])).toBe(3);
    expect(JSON.parse(stdout())).toEqual({ options: { times: '2', loud: true }, positionals: ['a', '-'] });
  });

  it('reports a failing command with status 1', async () => {
    const failing: CliCommand = { ...echo, run: () => Promise.reject(new Error('boom')) };
    const { io, stderr } = recordingIo();
    expect(await runCli(['echo'], io, [failing])).toBe(1);
    expect(stderr()).toBe('kro echo: boom\n');
  });
});

describe('parseArgs', () => {
  const options = echo.options;
  it('needs a value for an option that takes one', () => {
    expect(() => parseArgs(['--times'], options)).toThrow(new UsageError('option --times needs a value'));
    expect(() => parseArgs(['--times', '--loud'], options)).toThrow(UsageError);
  });
  it('refuses a value for a flag', () => {
    expect(() => parseArgs(['--loud=yes'], options)).toThrow('option --loud takes no value');
  });
  it('treats everything after -- as positionals', () => {
    expect(parseArgs(['--', '--loud'], options)).toEqual({ options: {}, positionals: ['--loud'] });
  });
  it('names an unknown option and the close one, keeps "-" as a value, and takes --x=v', () => {
    expect(() => parseArgs(['--time', '2'], options)).toThrow(
      new UsageError('unknown option --time (did you mean --times?)'),
    );
    expect(parseArgs(['-', '--times=3', '--loud'], options)).toEqual({
      options: { times: '3', loud: true },
      positionals: ['-'],
    });
  });
});

describe('kro --version', () => {
  it('prints the package version and exits 0', async () => {
    const { io, stdout } = recordingIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(stdout()).toMatch(/^kro \d+\.\d+\.\d+\n$/);
  });
});
