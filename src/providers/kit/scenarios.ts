import { join } from 'node:path'
import { readScenarioFile, type ScenarioFile } from '../../engine/scenarios.js'
import { BUILT_IN_SCENARIOS } from '../../paths.js'

/**
 * A built-in scenario file (`scenarios/<name>`, shipped beside `src/` and `dist/`), read and
 * validated against the provider's native statuses, or undefined when it cannot be read. For
 * documents that quote the magic values (OpenAPI descriptions).
 *
 * @example
 * builtInScenario('connecx.yaml', 'connecx', Object.keys(NATIVE_STATUSES))?.rules.length
 */
export function builtInScenario(name: string, provider: string, nativeStatuses: string[]): ScenarioFile | undefined {
  try {
    return readScenarioFile(join(BUILT_IN_SCENARIOS, name), (id) =>
      id === provider ? nativeStatuses : id === '*' ? [] : undefined,
    )
  } catch {
    return undefined
  }
}
