import { availableParallelism } from 'node:os';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

// Projects let a developer run one layer for quick feedback (`npx vitest --project unit`);
// `vitest run` with no --project runs them all, as `npm test` does.
const layers = {
  unit: ['test/unit/**/*.test.ts', 'test/report/**/*.test.ts'],
  fuzz: ['test/fuzz/**/*.test.ts'],
  emulator: ['test/emulator/**/*.test.ts', 'test/contract/**/*.test.ts'],
  integration: [
    'test/scenarios/**/*.test.ts',
    'test/cli/**/*.test.ts',
    'test/deploy/**/*.test.ts',
    'test/probes/**/*.test.ts',
    'test/bench/**/*.test.ts',
  ],
  resilience: ['test/resilience/**/*.test.ts'],
};

/** The layer whose one run outlasts all the others together. */
const LONGEST_LAYER = 'resilience';

/**
 * Vitest runs the projects one after another, by name: the resilience run would start last and
 * finish alone. Started first, it keeps one worker while the other takes every other file.
 */
class LongestLayerFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const longest = (f: TestSpecification) => f.project.name === LONGEST_LAYER;
    return [...sorted.filter(longest), ...sorted.filter((f) => !longest(f))];
  }
}

/**
 * Vitest's default is one worker fewer than the cores, so a 2-core CI runner ran one file at a
 * time with a core idle: the tests are CPU-bound in their own process (emulator and handlers
 * together) and the main process mostly waits, so two workers use both cores.
 */
const WORKERS = Math.max(2, availableParallelism() - 1);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: WORKERS,
    sequence: { sequencer: LongestLayerFirst },
    projects: Object.entries(layers).map(([name, include]) => ({ extends: true, test: { name, include } })),
  },
});
