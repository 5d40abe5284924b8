/**
 * Cold start (issue 8): each function's FC bundle is built (scripts/build.ts), then loaded with
 * `require` in fresh Node processes; the median of `runs` loads minus the median of a bare
 * `node -e 0` is the time the bundle costs before the handler can run. CloudMonitor's SDK is a
 * sibling file (cms-sdk.js) loaded only when an alert or metric is sent: its size is reported apart.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { functionBundles, FUNCTIONS } from './bundles';
import type { Bench } from './figures';
import { SIBLING_FILES } from '../scripts/build';

export interface ColdStartOptions {
  runs: number;
}

export const DEFAULT_COLD_START_OPTIONS: ColdStartOptions = { runs: 7 };

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function timeNode(script: string, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
    times.push(performance.now() - started);
    if (result.status !== 0) throw new Error(`node -e ${script} failed: ${result.stderr.toString('utf8').trim().split('\n').slice(-3).join(' | ')}`);
  }
  return median(times);
}

export function coldStartBench(options: ColdStartOptions = DEFAULT_COLD_START_OPTIONS): Bench {
  return {
    name: 'coldStart',
    prefixes: ['coldStart', 'bundle'],
    async run(report) {
      const bundles = await functionBundles();
      const bare = timeNode('0', options.runs);
      for (const name of FUNCTIONS) {
        const file = path.join(bundles[name], 'index.js');
        const cmsFile = path.join(bundles[name], 'cms-sdk.js');
        // Ready = the module evaluated and its exported handler built (as FC does before the first event).
        const loadMs = timeNode(`const m = require(${JSON.stringify(file)}); if (typeof m.handler !== 'function') process.exit(3);`, options.runs) - bare;
        const bytes = statSync(file).size;
        report({ name: `coldStart.${name}.ms`, value: Math.round(loadMs), unit: 'ms', target: '< 150', ok: loadMs < 150, runs: options.runs, bareNodeMs: Math.round(bare), note: 'median require of the bundle minus median bare node start' });
        report({
          name: `bundle.${name}.bytes`,
          value: bytes,
          unit: 'bytes',
          ...(name === 'on-event' ? { target: '< 2 MB', ok: bytes < 2 * 2 ** 20 } : {}),
          cmsSdkBytes: statSync(cmsFile).size,
          siblingBytes: Object.fromEntries(Object.values(SIBLING_FILES).map((file) => [`${file}.js`, statSync(path.join(bundles[name], `${file}.js`)).size])),
          note: 'sibling files are loaded on first use: cms-sdk.js on the first alert or metric, fc-sdk.js on the first invocation, pg.js / mysql2.js / ioredis.js on the first probe of that engine',
        });
      }
    },
  };
}
