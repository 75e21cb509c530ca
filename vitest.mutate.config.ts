import { defineConfig } from 'vitest/config'
// @ts-expect-error -- a plain .mjs module shared with stryker.config.mjs; its JSDoc types it.
import { mutationModules, selectedMutationModule } from './mutate.modules.mjs'

type MutationModule = { mutate: string[]; tests: string[] }
const selected = (selectedMutationModule as (env: NodeJS.ProcessEnv) => MutationModule | undefined)(process.env)

/**
 * The suite as Stryker runs it (`npm run mutate`), without the dist/ build. With MUTATE_MODULE set
 * (scripts/mutate.mjs sets it), only the tests that exercise that module (mutate.modules.mjs);
 * otherwise every module's tests. Left out: tests that start `dist/cli.js` or a browser (compiled
 * code Stryker's mutants never reach). A mutant these tests kill, the whole suite kills too: the
 * score is a floor.
 */
export default defineConfig({
  test: {
    // Not merged with vitest.config.ts: mergeConfig would append to its include and globalSetup lists.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // `npm run mutate -- --fast` (MUTATE_FAST=1): test files share one module graph, and it stays
    // loaded from one mutant to the next, so a mutant no longer pays for importing the sandbox
    // (hono, msw, faker, the providers) once per test file: about half the time per mutant on the
    // engine modules. Static mutants (code run only while a module loads) cannot be switched on
    // without a fresh import, so Stryker ignores them in this mode (stryker.config.mjs).
    isolate: process.env.MUTATE_FAST !== '1',
    // MUTATE_TESTS=a.test.ts,b.test.ts narrows the set further for one run (a lower floor, sooner).
    include:
      process.env.MUTATE_TESTS?.split(',') ??
      selected?.tests ??
      Object.values(mutationModules as Record<string, MutationModule>).flatMap((m) => m.tests),
  },
})
