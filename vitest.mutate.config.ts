import { relative } from 'node:path'
import { defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
// @ts-expect-error -- a plain .mjs module shared with stryker.config.mjs; its JSDoc types it.
import { globPattern, mutationModules, selectedMutationModule } from './mutate.modules.mjs'

type MutationModule = { mutate: string[]; tests: string[] }
const selected = (selectedMutationModule as (env: NodeJS.ProcessEnv) => MutationModule | undefined)(process.env)

const testGlobs: string[] =
  process.env.MUTATE_TESTS?.split(',') ??
  selected?.tests ??
  Object.values(mutationModules as Record<string, MutationModule>).flatMap((m) => m.tests)

const globPatterns = testGlobs.map(globPattern as (glob: string) => RegExp)

/**
 * Runs the test files in the order the module lists them (the first glob a file matches), so a
 * module's fast direct tests run before its API suites. Stryker stops a mutant's run at the first
 * failing test: a mutant the direct tests kill never waits for the slow files.
 */
class ListedOrderSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const path = relative(spec.project.config.root, spec.moduleId).split('\\').join('/')
      const index = globPatterns.findIndex((pattern) => pattern.test(path))
      return index < 0 ? globPatterns.length : index
    }
    const sorted = await super.sort(files)
    return sorted
      .map((spec, at) => ({ spec, at, rank: rank(spec) }))
      .sort((a, b) => a.rank - b.rank || a.at - b.at)
      .map((x) => x.spec)
  }
}

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
    // Instrumented code counts coverage at every statement: the clock's 10,000-timer test took
    // over 20 s in a dry run on a loaded machine, which stops the whole run.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // `npm run mutate -- --fast` (MUTATE_FAST=1): test files share one module graph, and it stays
    // loaded from one mutant to the next, so a mutant no longer pays for importing the sandbox
    // (hono, msw, faker, the providers) once per test file: about half the time per mutant on the
    // engine modules. Static mutants (code run only while a module loads) cannot be switched on
    // without a fresh import, so Stryker ignores them in this mode (stryker.config.mjs).
    isolate: process.env.MUTATE_FAST !== '1',
    // MUTATE_TESTS=a.test.ts,b.test.ts narrows the set further for one run (a lower floor, sooner).
    include: testGlobs,
    sequence: { sequencer: ListedOrderSequencer },
  },
})
