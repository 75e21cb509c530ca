import { defineConfig } from 'vitest/config'

/**
 * The suite as Stryker runs it (`npm run mutate`): the tests aimed at the mutated modules (engine,
 * wire formats, crypto, callbacks, delivery rules), without the dist/ build. Left out: tests that
 * start `dist/cli.js` or a browser (compiled code Stryker's mutants never reach) and the broad API
 * suites, which touch every engine module and would make each mutant rerun hundreds of tests on a
 * 2-core machine. A mutant these tests kill, the whole suite kills too: the score is a floor.
 */
export default defineConfig({
  test: {
    // Not merged with vitest.config.ts: mergeConfig would append to its include and globalSetup lists.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // MUTATE_TESTS=a.test.ts,b.test.ts narrows the set further for one module's run (a lower floor, sooner).
    include: process.env.MUTATE_TESTS?.split(',') ?? [
      'test/engine/**/*.test.ts',
      'test/wire/**/*.test.ts',
      'test/internal-error.test.ts',
      'test/*/crypto.test.ts',
      'test/*/vectors.test.ts',
      'test/*/callbacks.test.ts',
      'test/*/wire.test.ts',
      'test/*/sdk.test.ts',
      'test/*/client.test.ts',
      'test/payatom/webhooks.test.ts',
    ],
  },
})
