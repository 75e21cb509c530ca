// Part of `npm run build`, after `tsc`: bundles the `psp-sandbox` command (src/cli.ts and every
// module it imports, Hono included) into one file, dist/cli.js, so starting it loads one module
// instead of about 160 (118 of ours, 39 of Hono's). Resolving, reading and linking those was a
// fifth of the time from spawn to the first healthy answer. The library entry points
// (dist/index.js, dist/msw.js, dist/client.js) stay as tsc wrote them.
//
// Bundled from the TypeScript sources (esbuild reads tsconfig.json; the project compiles with
// `isolatedModules`, which is what a per-file transpiler needs), not from tsc's dist/cli.js: an
// incremental tsc does not write dist/cli.js again while src/cli.ts is unchanged, so a bundle of
// its output would go stale. Dependencies other than Hono stay in node_modules (several load only
// when used: yaml, faker's locales, pino-pretty, postgres, the OpenAPI builders' openapi3-ts).
// Dynamic imports of our own modules are bundled too and evaluated when first imported.
//
// Every module of the bundle sees `import.meta.url` as dist/cli.js: a module that finds files
// beside the package does so from a module at the top of src/ (src/paths.ts), whose location is
// the same in src/, dist/ and the bundle.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'))
const BUNDLED = new Set(['hono', '@hono/node-server'])
const external = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies })
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`])

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  tsconfig: 'tsconfig.build.json',
  logLevel: 'warning',
})
