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

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: Object.entries(layers).map(([name, include]) => ({ extends: true, test: { name, include } })),
  },
});
