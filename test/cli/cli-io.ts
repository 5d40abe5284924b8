import { Readable } from 'node:stream';
import type { CliIo } from '../../cli/types';

/** A CliIo that records what a command prints. */
export function recordingIo(options: { env?: Record<string, string | undefined>; stdin?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    stdin: options.stdin === undefined ? undefined : Readable.from([Buffer.from(options.stdin)]),
    isTTY: false,
    env: options.env ?? {},
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}
