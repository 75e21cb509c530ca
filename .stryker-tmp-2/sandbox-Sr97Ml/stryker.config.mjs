// @ts-nocheck
// Mutation testing (`npm run mutate`, not part of `npm test`): changes the code where a silent
// change costs users most and checks that some test fails. See docs/testing.md.
// Globs, not file names, so the list survives moves (src/wire/oauth1/, a split ecommpay crypto,
// src/engine/store/…). One module at a time: `npm run mutate -- --mutate src/engine/clock.ts`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/wire/**/*.ts',
    'src/providers/*/crypto.ts',
    'src/providers/*/crypto/**/*.ts',
    'src/providers/*/wire.ts',
    'src/providers/*/callbacks.ts',
    'src/engine/clock.ts',
    'src/engine/store*.ts',
    'src/engine/store/**/*.ts',
    'src/engine/callbacks.ts',
    'src/engine/transactions.ts',
  ],
  // 2 cores shared by several people: one worker unless --concurrency says otherwise.
  concurrency: 1,
  timeoutMS: 5_000,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  ignorePatterns: ['dist', 'coverage', 'reports', '.psp-sandbox', 'bench'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  clearTextReporter: { reportTests: false, reportMutants: true, allowEmojis: false },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
}
