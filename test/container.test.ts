// The container image without a Docker engine (#15 finding 4): the runtime stage's file list is
// built the way the Dockerfile builds it (its COPY lines, its `npm ci --omit=dev`), then started
// with the Dockerfile's ENV and ENTRYPOINT plus appended arguments, and probed with its
// HEALTHCHECK command. Not proven here: the base image, the USER switch and file ownership, the
// VOLUME, and Docker's own health-check scheduling.
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
const runtime = DOCKERFILE.slice(DOCKERFILE.indexOf(' AS runtime'))
const instructions = (name: string) => [...runtime.matchAll(new RegExp(`^${name} (.+)$`, 'gm'))].map((m) => m[1].trim())
const execForm = (text: string): string[] => JSON.parse(text.replace(/^.*CMD /, ''))

let app: string
beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), 'psp-image-'))
  for (const line of instructions('COPY')) {
    const parts = line.split(/\s+/)
    if (parts[0].startsWith('--from=')) {
      // COPY --from=build /app/dist ./dist: the build stage's output is this repository's dist/.
      const [, from, to] = parts
      cpSync(join(ROOT, from.replace(/^\/app\//, '')), join(app, to), { recursive: true })
    } else {
      const to = parts.pop()!
      const intoFolder = parts.length > 1 || to.endsWith('/')
      for (const from of parts) cpSync(join(ROOT, from), join(app, to, intoFolder ? from : ''), { recursive: true })
    }
  }
  const install = instructions('RUN').find((r) => r.includes('npm ci'))!
  expect(install).toContain('--omit=dev')
  const npm = spawnSync('sh', ['-c', `${install.split('&&')[0]} --prefer-offline`], { cwd: app, encoding: 'utf8' })
  expect(npm.status, npm.stderr).toBe(0)
  rmSync(join(app, 'dist/.tsbuildinfo'), { force: true })
}, 300_000)
afterAll(() => rmSync(app, { recursive: true, force: true }))

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })

/** The image's ENV line, with DATA moved into the temp folder (there is no /data volume here). */
function imageEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const line of instructions('ENV')) for (const m of line.matchAll(/(\w+)=(\S+)/g)) env[m[1]] = m[2]
  return env
}

describe('the runtime image, built as the Dockerfile builds it', () => {
  it('uses a maintained LTS base, a non-root user, ENTRYPOINT with an empty CMD, and env defaults', () => {
    expect(DOCKERFILE).toMatch(/^FROM node:(22|24)-slim AS runtime$/m)
    expect(instructions('USER')).toEqual(['node'])
    expect(execForm(`CMD ${instructions('ENTRYPOINT')[0]}`)).toEqual(['node', 'dist/cli.js'])
    expect(instructions('CMD').filter((c) => !c.startsWith('['))).toEqual([])
    expect(imageEnv()).toMatchObject({ HOST: '0.0.0.0', PORT: '8080', DATA: '/data/db.json' })
  })

  it('holds no dev dependencies, no msw and no TypeScript sources', () => {
    const modules = readdirSync(join(app, 'node_modules'))
    for (const dev of ['typescript', 'vitest', 'prettier', 'playwright-core', 'msw', '@types'])
      expect(modules, dev).not.toContain(dev)
    expect(existsSync(join(app, 'src'))).toBe(false)
    const ts = spawnSync(
      'find',
      [app, '-name', '*.ts', '-not', '-name', '*.d.ts', '-not', '-path', '*/node_modules/*'],
      {
        encoding: 'utf8',
      },
    )
    expect(ts.stdout).toBe('')
  })

  it('starts with the image env plus appended arguments, prints the bound address, and is healthy', async () => {
    const port = await freePort()
    mkdirSync(join(app, 'data'), { recursive: true })
    const env = {
      ...process.env,
      ...imageEnv(),
      PORT: String(port),
      DATA: join(app, 'data/db.json'),
      PSP_SANDBOX_ADMIN_TOKEN: 'container-test-token',
    }
    const [cmd, ...args] = execForm(`CMD ${instructions('ENTRYPOINT')[0]}`)
    expect(cmd).toBe('node')
    // `docker run image --clock virtual` appends to the entrypoint: HOST, PORT and DATA still apply.
    // `--log pretty`: stdout is not a terminal here, so the log (and banner) would be JSON lines.
    const child = spawn(process.execPath, [...args, '--clock', 'virtual', '--log', 'pretty'], {
      cwd: app,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += d
          if (out.includes('docs:')) resolve()
        })
        child.stderr.on('data', (d) => (out += d))
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)))
      })
      expect(out).toContain(`listening on http://0.0.0.0:${port}`)
      expect(out).toContain(`from this machine: http://127.0.0.1:${port}`)
      expect(out).toContain(`state: ${join(app, 'data/db.json')} · clock: virtual`)
      const [hcCmd, ...hcArgs] = execForm(DOCKERFILE.match(/^HEALTHCHECK .*$/m)![0])
      expect(hcCmd).toBe('node')
      const health = spawnSync(process.execPath, hcArgs, { cwd: app, env, encoding: 'utf8' })
      expect(health.status, health.stdout + health.stderr).toBe(0)
      // The health check follows the port: with another PORT it fails.
      const elsewhere = spawnSync(process.execPath, hcArgs, {
        cwd: app,
        env: { ...env, PORT: String(await freePort()) },
        encoding: 'utf8',
      })
      expect(elsewhere.status).toBe(1)
    } finally {
      child.kill('SIGTERM')
    }
  }, 60_000)

  it('compose.yaml builds this Dockerfile, keeps a volume and sets the admin token', () => {
    const compose = readFileSync(join(ROOT, 'compose.yaml'), 'utf8')
    expect(compose).toContain('build: .')
    expect(compose).toContain('psp-data:/data')
    expect(compose).toContain('PSP_SANDBOX_ADMIN_TOKEN')
  })
})
