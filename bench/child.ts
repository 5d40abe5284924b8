/**
 * Running part of a benchmark in a fresh Node process, so its memory and start-up are its own:
 * the child prints one line `RESULT <json>`; everything else it writes is passed through stderr.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..');
const RESULT_PREFIX = 'RESULT ';

export function printResult(result: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

export interface ChildOptions {
  /** A TypeScript file under bench/children/ (run through tsx). */
  script: string;
  /** The same script already compiled to JavaScript: run with plain node instead. */
  compiled?: string;
  env?: Record<string, string>;
  nodeFlags?: string[];
  timeoutMs?: number;
}

// Extra node flags for every child, e.g. BENCH_CHILD_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof"
// to profile the side a figure measures (NODE_OPTIONS refuses --cpu-prof).
const extraFlags = (process.env.BENCH_CHILD_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);

function argsOf(options: ChildOptions): string[] {
  const flags = [...(options.nodeFlags ?? []), ...extraFlags];
  if (options.compiled) return [...flags, options.compiled];
  return [...flags, '--import', 'tsx', path.join(PROJECT_ROOT, 'bench', 'children', options.script)];
}

function spawnChild(options: ChildOptions) {
  return spawn(process.execPath, argsOf(options), {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function runChild<T>(options: ChildOptions): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(options);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) {
        reject(new Error(`${options.script} exited with ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
    });
  });
}

export interface RunningChild<T> {
  result: T;
  /** SIGTERM, then resolves with what the child printed on stderr after it. */
  stop(): Promise<string>;
}

/** A child that keeps running (a server): resolves at its RESULT line. */
export function startChild<T>(options: ChildOptions): Promise<RunningChild<T>> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(options);
    let stdout = '';
    let stderr = '';
    let started = false;
    const closed = new Promise<void>((done) => child.on('close', () => done()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (started || !line) return;
      started = true;
      resolve({
        result: JSON.parse(line.slice(RESULT_PREFIX.length)) as T,
        stop: async () => {
          child.kill('SIGTERM');
          await closed;
          return stderr;
        },
      });
    });
    void closed.then(() => {
      if (!started)
        reject(
          new Error(`${options.script} exited before it was ready: ${stderr.trim().split('\n').slice(-5).join(' | ')}`),
        );
    });
  });
}
