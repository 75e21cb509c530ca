// Mutation testing (`npm run mutate`, not part of `npm test`): changes the code where a silent
// change costs users most and checks that some test fails. See docs/testing.md.
// The modules and the tests that exercise each live in mutate.modules.mjs. `npm run mutate`
// (scripts/mutate.mjs) runs them one at a time with MUTATE_MODULE=<name>: Stryker mutates that
// module's files, vitest runs that module's tests, and the module keeps its own incremental file.
import { mutationModules, selectedMutationModule } from './mutate.modules.mjs'

const selected = selectedMutationModule(process.env)
// A run narrowed with --mutate keeps its own incremental file and report (MUTATE_RUN_NAME), so the
// module's full results stay whole.
const name = process.env.MUTATE_RUN_NAME ?? process.env.MUTATE_MODULE ?? 'all'

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: true },
  // Each mutant runs only the tests that reached it in the dry run.
  coverageAnalysis: 'perTest',
  // `--fast` (MUTATE_FAST=1) keeps modules loaded between mutants (vitest.mutate.config.ts): static
  // mutants would never be switched on, so they are left out of the score instead of surviving.
  ignoreStatic: process.env.MUTATE_FAST === '1',
  mutate: selected?.mutate ?? Object.values(mutationModules).flatMap((m) => m.mutate),
  // 2 cores shared by several people: one worker unless --concurrency says otherwise.
  concurrency: 1,
  timeoutMS: 5_000,
  // Reruns reuse the results of mutants whose code and covering tests did not change.
  incremental: true,
  incrementalFile: `reports/incremental/${name}.json`,
  ignorePatterns: ['dist', 'coverage', 'reports', '.psp-sandbox', 'bench'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  clearTextReporter: { reportTests: false, reportMutants: true, allowEmojis: false },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
}
