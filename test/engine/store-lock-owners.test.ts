import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LowdbStore } from '../../src/engine/store-lowdb.js'
import { FileLock, StoreLockedError } from '../../src/engine/store-lock.js'

/**
 * Who holds the `--data` lock, judged from its file: a live process on this host holds it, a
 * process that is gone does not; a lock from another host holds for a minute after its owner last
 * touched it, and the owner touches it every 10 s. Nothing is left behind but the lock itself.
 */
const dirs: string[] = []
afterEach(() => {
  vi.useRealTimers()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function dataFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'store-lock-owners-'))
  dirs.push(dir)
  return join(dir, 'db.json')
}
const owner = (file: string) => JSON.parse(readFileSync(`${file}.lock`, 'utf8'))

/** The pid of a process that ran and exited (and was reaped): nobody has it now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
  return Number(child.stdout.toString())
}

describe('the --data lock and its owner', () => {
  it('a lock of a live process on this host refuses the start, naming the process; nothing is written', async () => {
    const file = dataFile()
    // pid 1 always runs (and, unlike this process, it is not us).
    const held = { pid: 1, host: hostname(), since: '2026-11-26T08:00:00.000Z' }
    writeFileSync(`${file}.lock`, JSON.stringify(held))
    const error = await new LowdbStore({ file }).load().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(StoreLockedError)
    expect(error).toMatchObject({ name: 'StoreLockedError', file, pid: 1 })
    expect((error as Error).message).toBe(
      `the sandbox state ${file} is in use by another psp-sandbox process (pid 1 on ${hostname()}, since 2026-11-26T08:00:00.000Z; lock file ${file}.lock). Two processes on the same file would lose each other's writes. Stop the other process, or give this one another --data path (or --data memory).`,
    )
    expect(owner(file)).toEqual(held)
    expect(readdirSync(join(file, '..'))).toEqual(['db.json.lock'])
  })

  it('a lock of a process that is gone (kill -9) is taken over and reported; no file is left beside it', async () => {
    const file = dataFile()
    const pid = deadPid()
    writeFileSync(`${file}.lock`, JSON.stringify({ pid, host: hostname(), since: '2026-11-26T08:00:00.000Z' }))
    const store = new LowdbStore({ file })
    await store.load()
    expect(store.staleLock).toEqual({ pid, host: hostname(), since: '2026-11-26T08:00:00.000Z' })
    expect(owner(file)).toMatchObject({ pid: process.pid, host: hostname() })
    expect(readdirSync(join(file, '..')).sort()).toEqual(['db.json', 'db.json.lock', 'db.json.log'])
    await store.close()
    expect(readdirSync(join(file, '..')).sort()).toEqual(['db.json', 'db.json.log'])
  })

  it('a fresh start takes a free lock and reports no stale owner', async () => {
    const file = dataFile()
    const store = new LowdbStore({ file })
    await store.load()
    expect(store.staleLock).toBeUndefined()
    const held = owner(file)
    expect(held).toEqual({
      pid: process.pid,
      host: hostname(),
      since: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      token: expect.stringMatching(/^[0-9a-f]{16}$/),
    })
    await store.close()
  })

  it.each([
    [50_000, 'held'],
    [70_000, 'stale'],
  ] as const)('a lock from another host untouched for %i ms is %s', async (age, verdict) => {
    const file = dataFile()
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, host: 'elsewhere', since: 'then' }))
    const touched = new Date(Date.now() - age)
    utimesSync(`${file}.lock`, touched, touched)
    const store = new LowdbStore({ file })
    const loading = store.load()
    if (verdict === 'held') {
      await expect(loading).rejects.toThrow(StoreLockedError)
    } else {
      await loading
      expect(store.staleLock).toMatchObject({ host: 'elsewhere' })
      await store.close()
    }
  })

  it('the owner touches its lock every 10 seconds, so other hosts see it alive; release stops that', () => {
    const file = dataFile()
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
    const start = new Date('2026-11-26T10:00:00.000Z')
    vi.setSystemTime(start)
    const lock = FileLock.acquire(file)
    const old = new Date('2026-11-26T09:00:00.000Z')
    utimesSync(lock.path, old, old)
    vi.advanceTimersByTime(9_999)
    expect(statSync(lock.path).mtimeMs).toBe(old.getTime())
    vi.advanceTimersByTime(1)
    expect(statSync(lock.path).mtimeMs).toBe(start.getTime() + 10_000)
    lock.release()
    vi.useRealTimers()
    expect(() => statSync(lock.path)).toThrow(/ENOENT/)
  })

  it('a lock from another host untouched for 59.999 s is held; at exactly one minute it is stale', () => {
    const file = dataFile()
    const lockPath = `${file}.lock`
    writeFileSync(lockPath, JSON.stringify({ pid: 7, host: 'other-box', since: '2026-01-01T00:00:00.000Z' }))
    const touched = new Date('2026-11-26T10:00:00.000Z')
    utimesSync(lockPath, touched, touched)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(touched.getTime() + 59_999)
    expect(() => FileLock.acquire(file)).toThrow(StoreLockedError)
    vi.setSystemTime(touched.getTime() + 60_000)
    const lock = FileLock.acquire(file)
    expect(lock.tookOverFrom).toMatchObject({ pid: 7, host: 'other-box' })
    lock.release()
  })

  it('a lock never released goes when the process exits (the store was never closed); a released one leaves no exit listener', () => {
    const file = dataFile()
    const before = process.listeners('exit')
    const added = () => process.listeners('exit').filter((listener) => !before.includes(listener))
    const lock = FileLock.acquire(file)
    expect(added()).toHaveLength(1)
    // What Node runs when the process exits.
    for (const listener of added()) listener.call(process, 0)
    expect(() => statSync(lock.path)).toThrow(/ENOENT/)
    expect(added()).toEqual([])
    // A lock released by close() takes its listener along.
    const second = FileLock.acquire(file)
    expect(added()).toHaveLength(1)
    second.release()
    expect(added()).toEqual([])
    expect(() => statSync(second.path)).toThrow(/ENOENT/)
  })

  it('a lock whose owner cannot be read (not JSON, or no pid) is stale', async () => {
    for (const text of ['{"host":"x"}', '{"pid":"12"}', 'null']) {
      const file = dataFile()
      writeFileSync(`${file}.lock`, text)
      const store = new LowdbStore({ file })
      await store.load()
      expect(store.staleLock, text).toBeUndefined()
      expect(owner(file).pid).toBe(process.pid)
      await store.close()
    }
  })
})

describe('a lock of a process killed but not yet reaped (a zombie)', () => {
  it('is stale: the process no longer runs, though it still answers kill(pid, 0)', async () => {
    // `sh` starts `sleep` in the background and becomes another `sleep` that never reaps it: the
    // background one, killed, stays a zombie until its parent ends.
    const parent = spawn('sh', ['-c', 'sleep 30 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] })
    try {
      const pid = Number(await new Promise<string>((resolve) => parent.stdout!.once('data', (d) => resolve(String(d)))))
      process.kill(pid, 'SIGKILL')
      await vi.waitFor(() => {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        expect(stat.slice(stat.lastIndexOf(')') + 2)[0]).toBe('Z')
      })
      const file = dataFile()
      writeFileSync(`${file}.lock`, JSON.stringify({ pid, host: hostname(), since: 'then' }))
      const store = new LowdbStore({ file })
      await store.load()
      expect(store.staleLock).toMatchObject({ pid })
      await store.close()
    } finally {
      parent.kill('SIGKILL')
    }
  })
})
