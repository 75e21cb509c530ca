import { defineConfig, mergeConfig } from 'vitest/config'
import base from './vitest.config.js'

/**
 * The suite as Stryker runs it (`npm run mutate`): the tests aimed at the mutated modules (engine,
 * wire formats, crypto, callbacks, delivery rules), without the dist/ build. Left out: tests that
 * start `dist/cli.js` or a browser (compiled code Stryker's mutants never reach) and the broad API
 * suites, which touch every engine module and would make each mutant rerun hundreds of tests on a
 * 2-core machine. A mutant these tests kill, the whole suite kills too: the score is a floor.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      globalSetup: [],
      include: [
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
  }),
)
