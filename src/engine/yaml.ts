import { createRequire } from 'node:module'
import type * as YamlModule from 'yaml'

let loaded: typeof YamlModule | undefined

/**
 * The `yaml` package, imported on first use: a start-up that reads only the built-in scenarios
 * (from their build-time JSON) and JSON files never loads the parser.
 *
 * @example
 * yaml().parse('provider: connecx') // { provider: 'connecx' }
 */
export function yaml(): typeof YamlModule {
  return (loaded ??= createRequire(import.meta.url)('yaml') as typeof YamlModule)
}
