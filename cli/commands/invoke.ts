/**
 * `kro invoke <function> --event FILE|-`: runs one handler here, the way Function Compute would:
 * the environment the function gets from s.yaml, a Buffer event, and a context carrying the
 * caller's credentials and the account id that STS GetCallerIdentity reports. Against the
 * emulator (--endpoint) or a real account (default credential chain). Logs go to standard error
 * as the handler writes them; the result goes to standard output.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadHandlerFactory, loadSYaml, PROJECT_ROOT, type FunctionSpec } from '../../emulator/runtime';
import type { Clock } from '../../shared/clock';
import type { FcContext, FcCredentials, HandlerFactory } from '../../shared/ports/runtime';
import { parseArgs, stringOption, UsageError } from '../args';
import type { CliCommand, CliIo } from '../types';
import { callerAccountId, resolveCredentials } from '../credentials';

const OPTIONS = [
  { flag: '--event FILE', description: 'the event: a JSON file, or - for standard input (required)' },
  { flag: '--endpoint HOST:PORT', description: 'call the emulator at HOST:PORT instead of Alibaba Cloud' },
  { flag: '--region R', description: 'region (default: KRO_REGION_ID, else cn-hangzhou)' },
  {
    flag: '--s-yaml PATH',
    description: 'the s.yaml the function configuration comes from (default: ./s.yaml of the project)',
  },
];

export interface InvokeDeps {
  /** Who the caller is (default: STS GetCallerIdentity with the resolved credentials). */
  accountIdOf?: (credentials: FcCredentials, options: { region: string; endpoint?: string }) => Promise<string>;
  loadFactory?: (spec: FunctionSpec) => Promise<HandlerFactory>;
}

export function findFunction(functions: readonly FunctionSpec[], name: string): FunctionSpec {
  const found = functions.find((f) => [f.functionName, f.resourceId, f.sourceDir].includes(name));
  if (!found) {
    const known = functions.map((f) => `${f.sourceDir} (${f.functionName})`).join(', ');
    throw new UsageError(`no function "${name}" in s.yaml; functions: ${known}`);
  }
  return found;
}

export async function runInvoke(argv: string[], io: CliIo, deps: InvokeDeps = {}): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  const [name, ...extra] = args.positionals;
  if (!name) throw new UsageError('name the function to invoke (sweep, on-event or remediate)');
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
  const eventSource = stringOption(args, 'event');
  if (!eventSource) throw new UsageError('--event FILE|- is required');
  const endpoint = stringOption(args, 'endpoint');
  const region = stringOption(args, 'region') ?? io.env.KRO_REGION_ID ?? 'cn-hangzhou';
  const sYamlPath = path.resolve(stringOption(args, 's-yaml') ?? path.join(PROJECT_ROOT, 's.yaml'));

  const event = await readEvent(eventSource, io);
  const credentials = await resolveCredentials(io.env, endpoint);
  const accountId = await (deps.accountIdOf ?? callerAccountId)(credentials, { region, endpoint });
  const { functions } = loadSYaml(sYamlPath, {
    env: { ...io.env, KRO_REGION_ID: region },
    config: { AccountID: accountId },
  });
  const spec = findFunction(functions, name);

  const env: Record<string, string | undefined> = {
    ...spec.environment,
    FC_ACCOUNT_ID: accountId,
    FC_REGION: spec.region,
    FC_FUNCTION_NAME: spec.functionName,
    FC_FUNCTION_HANDLER: spec.handler,
    FC_FUNCTION_MEMORY_SIZE: String(spec.memorySize),
    ...(endpoint ? { KRO_ENDPOINT: endpoint, KRO_PACING: 'false' } : {}),
  };
  const factory = await (deps.loadFactory ?? ((s: FunctionSpec) => loadHandlerFactory(s.sourceDir)))(spec);
  const clock = endpoint ? await emulatorClock(endpoint) : undefined;
  // Run here, beside the deployed instances: the calls take the CLI's part of the quota share.
  const handler = factory({
    env,
    writeLine: (line) => io.stderr(`${line}\n`),
    quotaConsumer: 'cli',
    ...(clock ? { clock } : {}),
  });
  const context: FcContext = {
    requestId: randomUUID(),
    credentials,
    function: { name: spec.functionName, handler: spec.handler, memory: spec.memorySize, timeout: spec.timeoutSeconds },
    region: spec.region,
    accountId,
  };

  io.stderr(
    `invoking ${spec.functionName} (request ${context.requestId}, account ${accountId}, ${endpoint ? `emulator ${endpoint}` : spec.region})\n`,
  );
  try {
    const result = await withTimeout(handler(event, context), spec.timeoutSeconds);
    io.stdout(`${formatResult(result)}\n`);
    return 0;
  } catch (error) {
    io.stderr(`${spec.functionName} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/**
 * Against the emulator the handler runs on the emulator's time (it may start at a seed's `Now`),
 * read from its control API; undefined when the endpoint has none (then the machine's clock).
 */
async function emulatorClock(endpoint: string): Promise<Clock | undefined> {
  try {
    const reply = await fetch(`http://${endpoint}/_emulator/now`, { signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS) });
    const body = (await reply.json()) as { now?: unknown };
    if (!reply.ok || typeof body.now !== 'number') return undefined;
    const offset = body.now - Date.now();
    return { now: () => Date.now() + offset, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
  } catch {
    return undefined;
  }
}

const CONTROL_TIMEOUT_MS = 2000;

async function readEvent(source: string, io: CliIo): Promise<Buffer> {
  if (source !== '-') return readFile(source);
  if (!io.stdin) throw new UsageError('--event - needs standard input');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

function withTimeout<T>(work: Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${seconds} s (the function's timeout in s.yaml)`)),
      seconds * 1000,
    );
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function formatResult(result: unknown): string {
  if (Buffer.isBuffer(result)) return result.toString('utf8');
  if (typeof result === 'string') return result;
  return JSON.stringify(result ?? null, null, 2);
}

export const command: CliCommand = {
  name: 'invoke',
  summary: 'run one function locally with an event, configured as s.yaml configures it on Function Compute',
  usage: 'invoke <sweep|on-event|remediate> --event FILE|- [--endpoint HOST:PORT] [--region R] [--s-yaml PATH]',
  options: OPTIONS,
  run: (argv, io) => runInvoke(argv, io),
};
