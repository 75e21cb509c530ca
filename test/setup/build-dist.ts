import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

/**
 * Vitest global setup: compiles `src/` into `dist/` once before any test file runs, so tests that
 * start the real `psp-sandbox` command (`test/cli.test.ts`, the crash tests) run the code of this
 * checkout, also under a plain `npx vitest run`, with the built-in scenarios parsed at build time
 * and the command bundled into one file, as `npm run build` does. The build is incremental (`dist/.tsbuildinfo`),
 * so an unchanged tree costs a few seconds.
 *
 * Skipped when `PSP_SANDBOX_SKIP_BUILD=1` (set by `npm run mutate`: Stryker instruments `src/`
 * in its own copy, and the tests that run `dist/` cannot see its mutants anyway).
 */
export default function buildDist(): void {
  if (process.env.PSP_SANDBOX_SKIP_BUILD === '1') return
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' })
    execFileSync(process.execPath, ['scripts/built-in-scenarios.mjs'], { cwd: root, stdio: 'pipe' })
    execFileSync(process.execPath, ['scripts/bundle-cli.mjs'], { cwd: root, stdio: 'pipe' })
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer }
    throw new Error(
      `building dist/ before the tests failed; fix the compile errors below (or run "npm run build"):\n${e.stdout ?? ''}${e.stderr ?? ''}`,
    )
  }
}
