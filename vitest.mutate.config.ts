import { defineConfig, mergeConfig } from 'vitest/config'
import base from './vitest.config.js'

/**
 * The suite as Stryker runs it (`npm run mutate`): no dist/ build, and without the tests that
 * start `dist/cli.js` or a browser, which run compiled code Stryker's mutants never reach.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      globalSetup: [],
      exclude: ['test/cli.test.ts', 'test/crash/**', 'test/ecommpay/browser.test.ts', '**/node_modules/**'],
    },
  }),
)
