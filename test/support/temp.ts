import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'

/**
 * A maker of temporary folders, each removed after the test that made it. Call it at the top of
 * a test file or of a `describe` (it registers an `afterEach` there).
 *
 * @example
 * const temp = tempDirs('store-')
 * it('writes', () => {
 *   const file = join(temp(), 'db.json')
 * })
 */
export function tempDirs(prefix: string): () => string {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix))
    dirs.push(dir)
    return dir
  }
}
