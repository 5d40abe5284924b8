/**
 * The FC bundles as a cold start loads them (issue 15): the SDK engine is compiled once per
 * instance, the cloud SDKs' lazy models index still exports every model, and each function's first
 * invocation from its bundle, in a fresh process against the emulator, does its real work.
 * Nothing here asserts a timing: `npm run bench` measures those.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { functionBundles, FUNCTIONS, removeBundles } from '../../bench/bundles';
import { coldStartBench } from '../../bench/cold-start-bench';
import type { Figure } from '../../bench/figures';
import { SHARED_FILE } from '../../scripts/build';

const load = createRequire(__filename);
// A header name only openapi-core's signer writes: where it appears, the engine was bundled.
const ENGINE_MARKER = 'x-acs-signature-nonce';

afterAll(() => removeBundles());

describe('FC bundles', () => {
  it('compile the SDK engine once: in sdk-core.js, which the bundle and both cloud SDKs require', async () => {
    const bundles = await functionBundles();
    for (const name of FUNCTIONS) {
      const text = (file: string) => readFileSync(path.join(bundles[name], `${file}.js`), 'utf8');
      expect(text(SHARED_FILE)).toContain(ENGINE_MARKER);
      for (const file of ['index', 'cms-sdk', 'fc-sdk']) {
        expect(text(file), `${name}/${file}.js`).not.toContain(ENGINE_MARKER);
        expect(text(file), `${name}/${file}.js`).toContain(`require("./${SHARED_FILE}.js")`);
      }
      // zod/mini without the locales and JSON-schema code of the full package.
      expect(text('index')).not.toContain('toJSONSchema');
    }
  }, 120_000);

  it("keep every model of CloudMonitor's and FC's SDKs, now required on first use", async () => {
    const dir = (await functionBundles())['on-event'];
    for (const [file, pkg] of [
      ['cms-sdk', '@alicloud/cms20190101'],
      ['fc-sdk', '@alicloud/fc20230330'],
    ] as const) {
      const original = load(pkg) as Record<string, unknown>;
      const built = load(path.join(dir, `${file}.js`)) as Record<string, unknown>;
      const names = Object.keys(original).filter((k) => k !== 'default' && k !== '__esModule');
      expect(names.length).toBeGreaterThan(100);
      const missing = names.filter((k) => typeof built[k] !== typeof original[k]);
      expect(missing, `${file}.js`).toEqual([]);
      const Request = built[file === 'cms-sdk' ? 'PutCustomEventRequest' : 'InvokeFunctionRequest'] as new (
        map: Record<string, unknown>,
      ) => { toMap(): Record<string, unknown> };
      expect(typeof new Request({}).toMap()).toBe('object');
    }
  }, 120_000);

  it('each function handles its first event from the bundle in a fresh process, with real calls', async () => {
    const figures: Record<string, Figure> = {};
    await coldStartBench({ runs: 1, firstInvocationRuns: 1, comparePrevious: false }).run((f) => (figures[f.name] = f));
    for (const name of FUNCTIONS) {
      const figure = figures[`coldStart.${name}.firstInvocationMs`] as Figure & {
        requireMs: number;
        calls: Record<string, number>;
        reply: string;
      };
      expect(figure.value).toBeGreaterThan(0);
      expect(figure.value).toBeGreaterThanOrEqual(figure.requireMs);
      expect(
        Object.keys(figure.calls).filter((k) => !k.endsWith(' 200')),
        name,
      ).toEqual([]);
      expect(typeof figure.reply).toBe('string');
    }
    const calls = (name: string) =>
      (figures[`coldStart.${name}.firstInvocationMs`] as unknown as { calls: object }).calls;
    // The sweep reads the fleet and publishes its metrics through CloudMonitor's SDK, loaded from
    // cms-sdk.js with its lazy models; the rotation success is confirmed by a describe (never on the
    // event's word), and its count waits in the instance for the minute's metrics (instance-metrics.ts).
    expect(Object.keys(calls('sweep'))).toEqual(
      expect.arrayContaining(['kms.ListSecrets 200', 'cms.PutCustomMetric 200']),
    );
    expect(Object.keys(calls('on-event'))).toEqual(['kms.DescribeSecret 200']);
  }, 180_000);
});
