import { spawn, spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { connecxPayment, seedPayIn } from './helpers.js'
import { tempDirs } from './support/temp.js'

// The real `psp-sandbox` command (dist/cli.js), built by the global setup (test/setup/build-dist.ts).
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const tempDir = tempDirs('psp-cli-')

/** Starts the command, resolves with its base URL once it says it is listening. */
function start(args: string[], cwd: string) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve(m[1])
    })
    child.stderr.on('data', (d) => (out += d))
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)))
  })
  const stop = () =>
    new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code))
      child.kill('SIGTERM')
    })
  return { url, stop, output: () => out }
}

describe('psp-sandbox command', () => {
  it('--help describes the options', () => {
    const r = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' })
    expect(r.status).toBe(0)
    for (const option of ['--port', '--host', '--data', '--scenarios', '--config', '--clock', 'check', 'openapi'])
      expect(r.stdout).toContain(option)
  })

  it('openapi writes the committed documents byte for byte (the bundled command finds the files shipped beside it)', () => {
    const out = tempDir()
    const r = spawnSync(process.execPath, [CLI, 'openapi', '--out', out], { encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    const committed = fileURLToPath(new URL('../openapi', import.meta.url))
    const names = readdirSync(committed).sort()
    expect(readdirSync(out).sort()).toEqual(names)
    // Connecx's and Bankconnect's descriptions quote the built-in scenario files' magic values.
    for (const name of names)
      expect(readFileSync(join(out, name), 'utf8'), name).toBe(readFileSync(join(committed, name), 'utf8'))
  })

  it('check validates scenario files: ok for the built-in ones, file/rule/field for a bad one', () => {
    const ok = spawnSync(process.execPath, [CLI, 'check', fileURLToPath(new URL('../scenarios', import.meta.url))], {
      encoding: 'utf8',
    })
    expect(ok.status).toBe(0)
    expect(ok.stdout).toContain('connecx.yaml')
    const bad = join(tempDir(), 'bad.yaml')
    writeFileSync(bad, 'provider: connecx\nrules:\n  - name: typo\n    match: { amount: { gtee: 5 } }\n')
    const r = spawnSync(process.execPath, [CLI, 'check', bad], { encoding: 'utf8' })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(
      `${bad}:4: rule 1 ("typo"): match.amount: unknown operator \`gtee\` (did you mean \`gte\`?)`,
    )
  })

  it('starts from a YAML config (virtual clock, in-memory), serves, and stops on SIGTERM', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'sandbox.yaml'), 'port: 0\nclock: virtual\ndata: memory\n')
    const run = start(['--config', 'sandbox.yaml'], dir)
    const url = await run.url
    expect(await (await fetch(`${url}/_sandbox/health`)).json()).toEqual({ status: 'ok' })
    expect(
      (
        await fetch(`${url}/_sandbox/clock/advance`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"by":"1s"}',
        })
      ).status,
    ).toBe(200)
    expect(await run.stop()).toBe(0)
  })

  it('keeps an acknowledged pay-in in .psp-sandbox/db.json across a restart of the process', async () => {
    const dir = tempDir()
    const first = start(['--port', '0'], dir)
    const url = await first.url
    const res = await fetch(connecxPayment(url, 'bdpayin', { ...seedPayIn(), paymentRef: 'cli-restart' }))
    expect(res.status).toBe(200)
    expect(await first.stop()).toBe(0)
    const second = start(['--port', '0'], dir)
    const again = await second.url
    const list = await (await fetch(`${again}/_sandbox/transactions?reference=cli-restart`)).json()
    expect(list).toHaveLength(1)
    await second.stop()
  })

  it('refuses a bad option value with a plain message', () => {
    const r = spawnSync(process.execPath, [CLI, '--clock', 'sundial', '--data', 'memory'], { encoding: 'utf8' })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('--clock must be real or virtual, got "sundial"')
  })
})
