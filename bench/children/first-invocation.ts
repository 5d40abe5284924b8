/**
 * One function's first invocation in a fresh process, as FC pays for it on a cold start: require
 * the bundle (BENCH_BUNDLE), build its handler, handle one event (BENCH_EVENT) against the emulator
 * another process serves. Times are from just before the require. Compiled and run with plain node.
 */
import { createRequire } from 'node:module';
import type { HandlerFactory } from '../../shared/ports/runtime';
import { printResult } from '../child';

const env = process.env;

async function firstInvocation(): Promise<Record<string, unknown>> {
  const started = performance.now();
  const { createHandler } = createRequire(__filename)(env.BENCH_BUNDLE ?? '') as { createHandler: HandlerFactory };
  const handler = createHandler({ env, writeLine: () => undefined });
  const loadedMs = performance.now() - started;
  const reply = await handler(Buffer.from(env.BENCH_EVENT ?? '{}'), {
    requestId: 'bench-first-invocation',
    credentials: { accessKeyId: env.BENCH_ACCESS_KEY_ID ?? '', accessKeySecret: env.BENCH_ACCESS_KEY_SECRET ?? '' },
    function: { name: env.BENCH_FUNCTION_NAME ?? 'kro-bench', timeout: 600 },
    region: env.KRO_REGION_ID,
    accountId: env.KRO_ACCOUNT_ID,
  });
  return { loadedMs, firstInvocationMs: performance.now() - started, reply: JSON.stringify(reply).slice(0, 300) };
}

firstInvocation().then(printResult, (error: unknown) => {
  console.error(error);
  process.exit(1);
});
