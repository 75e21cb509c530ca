// What a user of the published package gets (#15 findings 1 and 5): the `npm pack` tarball's
// contents, package.json fields, and consumer projects of each kind (ESM, CommonJS with
// `module: nodenext`, CommonJS with the old `module: commonjs` + node10 resolution) that compile
// against the packed types and run. Offline: the consumers' node_modules link this repository's
// installed dependencies, so nothing is downloaded.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc')
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
let work: string
let tarball: string
let packed: string[]

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'psp-package-'))
  // dist/ is built by `npm test`'s pretest; --ignore-scripts skips prepack's second build.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  const [info] = JSON.parse(out)
  tarball = join(work, info.filename)
  packed = info.files.map((f: { path: string }) => f.path)
}, 240_000)
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** A consumer project: the unpacked tarball as node_modules/psp-sandbox, the rest linked. */
function consumer(name: string, files: Record<string, string>, options: { without?: string[] } = {}): string {
  const dir = join(work, name)
  const modules = join(dir, 'node_modules')
  mkdirSync(join(modules, 'psp-sandbox'), { recursive: true })
  execFileSync('tar', ['xzf', tarball, '-C', join(modules, 'psp-sandbox'), '--strip-components=1'])
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry === 'psp-sandbox' || entry.startsWith('.') || options.without?.includes(entry)) continue
    symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry))
  }
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text)
  return dir
}

const USES_EVERY_ENTRY = `import { setupServer } from 'msw/node'
import { createSandbox, type Sandbox } from 'psp-sandbox'
import { createHandlers, sandboxHandlers } from 'psp-sandbox/msw'
import { connecx } from 'psp-sandbox/client'

async function main(): Promise<void> {
  const sandbox: Sandbox = createSandbox({ clock: 'virtual' })
  const server = setupServer(...createHandlers(sandbox), ...sandboxHandlers().handlers)
  server.listen({ onUnhandledRequest: 'error' })
  const salt = 'r1'
  const token = connecx.tokenFor('balance', { merchantId: '3568224497743', apiKey: 'sandbox-api-key-0001', currency: 'USD', requestSalt: salt })
  const res = await fetch('https://connecx.test/mxapi/3568224497743/balance/USD?requestSalt=' + salt, { headers: { 'X-paymesh-authz': token } })
  console.log(res.status, await res.text())
  server.close()
  await sandbox.close()
}
void main()
`

const tsconfig = (compilerOptions: Record<string, unknown>) =>
  JSON.stringify({
    compilerOptions: {
      target: 'es2022',
      strict: true,
      skipLibCheck: true,
      outDir: 'out',
      types: ['node'],
      ...compilerOptions,
    },
    files: ['index.ts'],
  })

function compileAndRun(dir: string): { tsc: string; stdout: string; stderr: string } {
  const tsc = spawnSync(process.execPath, [TSC, '-p', dir], { encoding: 'utf8' })
  const run = spawnSync(process.execPath, [join(dir, 'out/index.js')], { cwd: dir, encoding: 'utf8', timeout: 60_000 })
  return { tsc: tsc.stdout + tsc.stderr, stdout: run.stdout, stderr: run.stderr }
}

describe('npm pack contents', () => {
  it('ships the built code, types, schemas, scenarios, docs, LICENSE and CHANGELOG', () => {
    for (const file of [
      'LICENSE',
      'CHANGELOG.md',
      'README.md',
      'package.json',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli.js',
      'dist/msw.js',
      'dist/msw.d.ts',
      'types/msw.d.cts',
      'dist/client.d.ts',
      'schemas/config.schema.json',
      'schemas/scenario.schema.json',
      'scenarios/connecx.yaml',
      'docs/scenarios.md',
    ])
      expect(packed, file).toContain(file)
  })

  it('ships no build info, no source maps and no TypeScript sources or tests', () => {
    expect(packed.filter((f) => f.endsWith('.tsbuildinfo') || f.endsWith('.map'))).toEqual([])
    expect(packed.filter((f) => /^(src|test|bench)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual(
      [],
    )
  })

  it('package.json: no prepare script, repository and homepage, msw an optional peer', () => {
    expect(PKG.scripts.prepare).toBeUndefined()
    expect(PKG.scripts.prepack).toContain('build')
    expect(PKG.repository.url).toMatch(/^git\+https:/)
    expect(PKG.homepage).toMatch(/^https:/)
    expect(PKG.license).toBe('MIT')
    expect(PKG.dependencies.msw).toBeUndefined()
    expect(PKG.peerDependencies.msw).toMatch(/^\^2\./)
    expect(PKG.peerDependenciesMeta.msw.optional).toBe(true)
  })
})

describe('consumer projects compile against the packed types and run', () => {
  const expectBalance = (r: ReturnType<typeof compileAndRun>) => {
    expect(r.tsc).toBe('')
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/^200 \{"currency":"USD","ledgerBalance":10000/)
  }

  it('ESM ("type": "module", module nodenext)', () => {
    const dir = consumer('esm', {
      'package.json': '{"private":true,"type":"module"}',
      'tsconfig.json': tsconfig({ module: 'nodenext' }),
      'index.ts': USES_EVERY_ENTRY,
    })
    expectBalance(compileAndRun(dir))
  }, 240_000)

  it('CommonJS (no "type", module nodenext): one copy of msw types, require(esm) at run time', () => {
    const dir = consumer('cjs', {
      'package.json': '{"private":true}',
      'tsconfig.json': tsconfig({ module: 'nodenext' }),
      'index.ts': USES_EVERY_ENTRY,
    })
    expectBalance(compileAndRun(dir))
  }, 240_000)

  it('CommonJS with the old defaults (module commonjs, node10 resolution)', () => {
    const dir = consumer('cjs-node10', {
      'package.json': '{"private":true}',
      'tsconfig.json': tsconfig({ module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true }),
      'index.ts': USES_EVERY_ENTRY,
    })
    expectBalance(compileAndRun(dir))
  }, 240_000)

  it('a server-only user needs no msw: psp-sandbox starts without it installed', () => {
    const dir = consumer(
      'server-only',
      {
        'package.json': '{"private":true,"type":"module"}',
        'index.mjs': `import { createSandbox } from 'psp-sandbox'
const sandbox = createSandbox({ clock: 'virtual' })
await sandbox.ready
const res = await sandbox.fetch(new Request('http://localhost/_sandbox/health'))
console.log(res.status)
await sandbox.close()`,
      },
      { without: ['msw'] },
    )
    const r = spawnSync(process.execPath, ['index.mjs'], { cwd: dir, encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.stdout.trim()).toBe('200')
  }, 60_000)

  it('the installed command (one bundled file) runs: its version, its built-in scenarios, the committed OpenAPI documents', () => {
    const dir = consumer('command', { 'package.json': '{"private":true}' })
    const cli = join(dir, 'node_modules/psp-sandbox/dist/cli.js')
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8' })
    expect(run('--version').stdout.trim()).toBe(PKG.version)
    const check = run('check', join(dir, 'node_modules/psp-sandbox/scenarios'))
    expect(check.status, check.stderr).toBe(0)
    const docs = run('openapi', '--out', join(dir, 'openapi'))
    expect(docs.status, docs.stderr).toBe(0)
    for (const name of readdirSync(join(ROOT, 'openapi')))
      expect(readFileSync(join(dir, 'openapi', name), 'utf8'), name).toBe(
        readFileSync(join(ROOT, 'openapi', name), 'utf8'),
      )
  }, 60_000)

  it('importing psp-sandbox/msw builds nothing: every export is a function', () => {
    const dir = consumer('no-side-effects', {
      'package.json': '{"private":true,"type":"module"}',
      'index.mjs': `const mod = await import('psp-sandbox/msw')
console.log(JSON.stringify(Object.entries(mod).map(([k, v]) => [k, typeof v])))`,
    })
    const r = spawnSync(process.execPath, ['index.mjs'], { cwd: dir, encoding: 'utf8' })
    expect(r.stderr).toBe('')
    const exports: Array<[string, string]> = JSON.parse(r.stdout)
    expect(exports.map(([name]) => name).sort()).toEqual(['createHandlers', 'sandboxHandlers'])
    expect(exports.every(([, type]) => type === 'function')).toBe(true)
  }, 60_000)
})
