import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LowdbStore } from '../../src/engine/store-lowdb.js'
import { StoreLockedError } from '../../src/engine/store-lock.js'

/** The `--data` lock on real files (the command-line test covers two real processes and kill -9). */
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function dataFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'store-lock-'))
  dirs.push(dir)
  return join(dir, 'db.json')
}
const owner = (file: string) => JSON.parse(readFileSync(`${file}.lock`, 'utf8'))

describe('the --data lock', () => {
  it('is taken on load with pid and host, and removed on close', async () => {
    const file = dataFile()
    const store = new LowdbStore({ file })
    await store.load()
    expect(owner(file)).toMatchObject({ pid: process.pid, host: hostname() })
    await store.close()
    expect(existsSync(`${file}.lock`)).toBe(false)
  })

  it('a lock from another host is held while it is fresh, and taken over once untouched for a minute', async () => {
    const file = dataFile()
    const lock = `${file}.lock`
    writeFileSync(lock, JSON.stringify({ pid: 7, host: 'other-box', since: '2026-01-01T00:00:00.000Z' }))
    const refused = new LowdbStore({ file }).load()
    await expect(refused).rejects.toThrow(StoreLockedError)
    await expect(refused).rejects.toThrow(
      `the sandbox state ${file} is in use by another psp-sandbox process (pid 7 on other-box, since 2026-01-01T00:00:00.000Z; lock file ${lock})`,
    )
    expect(existsSync(file)).toBe(false) // refused before reading or writing anything

    const old = new Date(Date.now() - 120_000)
    utimesSync(lock, old, old)
    const store = new LowdbStore({ file })
    await store.load()
    expect(store.staleLock).toMatchObject({ pid: 7, host: 'other-box' })
    expect(owner(file)).toMatchObject({ pid: process.pid })
    await store.close()
  })

  it('an unreadable lock file is stale; a second store of the same process takes over and the first does not remove its lock', async () => {
    const file = dataFile()
    writeFileSync(`${file}.lock`, 'garbage')
    const first = new LowdbStore({ file })
    await first.load()
    const second = new LowdbStore({ file }) // a crash simulated in-process: the first was never closed
    await second.load()
    const held = owner(file)
    await first.close()
    expect(owner(file)).toEqual(held)
    await second.close()
    expect(existsSync(`${file}.lock`)).toBe(false)
  })

  it('a folder where the lock goes is refused in plain words, and left as it was', async () => {
    const file = dataFile()
    mkdirSync(`${file}.lock`)
    writeFileSync(join(`${file}.lock`, 'kept'), 'x')
    const store = new LowdbStore({ file })
    const refused = await store.load().then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(refused).toBeInstanceOf(StoreLockedError)
    expect((refused as Error).message).toBe(
      `the sandbox keeps the lock of its state ${file} in ${file}.lock, but that is a folder, not a lock file. Remove it (nothing of the sandbox's is in it), or give this process another --data path.`,
    )
    expect(readFileSync(join(`${file}.lock`, 'kept'), 'utf8')).toBe('x')
  })
})
