import { spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { connecxPayment, seedPayIn } from './helpers.js'
import { CLI, startCommand } from './support/command.js'

/**
 * The state file as a user meets it through the real `psp-sandbox` command (dist/cli.js, built by
 * the global setup): a damaged state refused at start-up with file, line and what to do; `--repair`
 * keeping a copy of what it drops; one process per `--data` file, a lock left by `kill -9` taken over.
 */
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'psp-cli-store-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

const env = { ...process.env, CI: '1' }

/** Starts the command on `dir/db.json` (under $CI unless told otherwise). */
const start = (dir: string, args: string[] = [], environment: NodeJS.ProcessEnv = env) =>
  startCommand(dir, args, (kill) => cleanups.push(kill), environment)

/** Runs the command to its end (it is expected to refuse to start). */
function refused(dir: string, args: string[] = []) {
  return spawnSync(process.execPath, [CLI, '--port', '0', '--data', join(dir, 'db.json'), ...args], {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  })
}

/** Waits until `check` holds (output from two pipes may arrive in either order). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25))
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill(signal)
  })
}

async function payIn(url: string, ref: string): Promise<number> {
  const res = await fetch(connecxPayment(url, 'bdpayin', { ...seedPayIn(), paymentRef: ref }))
  await res.text()
  return res.status
}

async function references(url: string): Promise<string[]> {
  const res = await fetch(`${url}/_sandbox/transactions?provider=connecx`)
  return ((await res.json()) as Array<{ reference: string }>).map((t) => t.reference).sort()
}

describe('a damaged state file, through the command', { timeout: 60_000 }, () => {
  it('refuses to start naming the file, the line and what to do; --repair starts and keeps a copy of what it drops', async () => {
    const dir = tempDir()
    const first = await start(dir)
    expect(await payIn(first.url, 'KEPT-1')).toBe(200)
    expect(await payIn(first.url, 'KEPT-2')).toBe(200)
    await stop(first.child, 'SIGKILL') // the changes stay in the log, not folded into the snapshot
    const log = join(dir, 'db.json.log')
    const lines = readFileSync(log, 'utf8').split('\n')
    // A complete line in the middle of the log, damaged (as a disk or an editor would): not a torn write.
    const damaged = 2
    lines.splice(damaged - 1, 0, '{"c":"transactions","id":"connecx-9"')
    writeFileSync(log, lines.join('\n'))

    const r = refused(dir)
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(
      `psp-sandbox: the sandbox change log ${log} is damaged: line ${damaged} is not valid JSON`,
    )
    expect(r.stderr).toContain('Move the file aside')
    expect(r.stderr).toContain('--repair')
    expect(r.stdout).not.toContain('listening')
    expect(readFileSync(log, 'utf8')).toBe(lines.join('\n')) // the evidence is left as it was

    const repaired = await start(dir, ['--repair'])
    await until(() => repaired.output().includes('is not valid JSON'))
    const folder = readdirSync(dir).find((name) => name.startsWith('db.json.repair-'))!
    expect(folder).toBeDefined()
    expect(repaired.output()).toContain(
      `--repair dropped 1 damaged part(s) of the state; the originals are in ${join(dir, folder)}`,
    )
    expect(repaired.output()).toContain(`${log}:${damaged} is not valid JSON`)
    const dropped = readFileSync(join(dir, folder, 'dropped.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(dropped).toEqual([
      expect.objectContaining({ file: log, line: damaged, text: '{"c":"transactions","id":"connecx-9"' }),
    ])
    expect(readFileSync(join(dir, folder, 'db.json.log'), 'utf8')).toBe(lines.join('\n'))
    expect(await references(repaired.url)).toEqual(['KEPT-1', 'KEPT-2'])
    await stop(repaired.child, 'SIGTERM')
  })
})

describe('one process per --data file', { timeout: 60_000 }, () => {
  it('a second process refuses naming the file and the first pid; a lock left by kill -9 is taken over', async () => {
    const dir = tempDir()
    const lock = join(dir, 'db.json.lock')
    const first = await start(dir)
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: first.child.pid })
    expect(await payIn(first.url, 'FIRST')).toBe(200)

    const second = refused(dir)
    expect(second.status).toBe(1)
    expect(second.stderr).toContain(
      `psp-sandbox: the sandbox state ${join(dir, 'db.json')} is in use by another psp-sandbox process (pid ${first.child.pid}`,
    )
    expect(second.stderr).toContain(`lock file ${lock}`)
    expect(second.stderr).toContain('another --data path')
    // The refused process touched nothing: the first one still writes, and owns the lock.
    expect(await payIn(first.url, 'STILL-FIRST')).toBe(200)
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: first.child.pid })

    await stop(first.child, 'SIGKILL') // no shutdown: the lock file stays behind
    expect(existsSync(lock)).toBe(true)
    const third = await start(dir)
    await until(() => third.output().includes('took over the lock'))
    expect(third.output()).toContain(
      `took over the lock of ${join(dir, 'db.json')}: the process that held it (pid ${first.child.pid}`,
    )
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: third.child.pid })
    expect(await references(third.url)).toEqual(['FIRST', 'STILL-FIRST'])

    await stop(third.child, 'SIGTERM') // a clean stop removes the lock
    expect(existsSync(lock)).toBe(false)
  })
})

describe('--retain defaults, through the command', { timeout: 60_000 }, () => {
  it('on (7d,100000) for a long-running instance, off when $CI is set; --retain wins over both', async () => {
    const { CI: _, ...noCI } = process.env
    const cases: Array<[NodeJS.ProcessEnv, string[], string]> = [
      [
        noCI,
        [],
        'retention: removes finished transactions older than 7d and finished transactions beyond the newest 100000',
      ],
      [env, [], 'retention: off: every transaction is kept'],
      [env, ['--retain', '12h'], 'retention: removes finished transactions older than 12h\n'],
    ]
    for (const [environment, args, says] of cases) {
      const run = await start(tempDir(), ['--log', 'pretty', ...args], environment)
      await until(() => run.output().includes('retention:'))
      expect(run.output()).toContain(says)
      await stop(run.child, 'SIGTERM')
    }
  })
})
