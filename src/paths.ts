import { fileURLToPath } from 'node:url'

// Files that ship beside the code, found from here: this module sits at the top of src/, and so
// at the top of dist/, and the bundled command (dist/cli.js, see scripts/bundle-cli.mjs) sees
// `import.meta.url` at the same level. A module deeper in the tree must not resolve them itself.

/** The built-in scenario files shipped with the package (`scenarios/`, beside `src/` and `dist/`). */
export const BUILT_IN_SCENARIOS = fileURLToPath(new URL('../scenarios/', import.meta.url))

/**
 * The built-in scenario files as `npm run build` parsed them (`dist/built-in-scenarios.json`); when
 * running from `src/` there is none, and the scenarios are parsed as YAML.
 */
export const BUILT_IN_SCENARIO_CACHE = new URL('./built-in-scenarios.json', import.meta.url)

/** The package's `package.json`. */
export const PACKAGE_JSON = new URL('../package.json', import.meta.url)
