import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Store } from '../../src/engine/store.js'

/** What a reader of the files finds after each kind of change (only the Store's public methods). */
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
const file = () => {
  const d = mkdtempSync(join(tmpdir(), 'store-durable-'))
  dirs.push(d)
  return join(d, 'nested', 'db.json')
}
async function reopen(path: string): Promise<Store> {
  const s = new Store({ file: path })
  await s.load()
  return s
}

describe('Store durability', () => {
  it('creates the folder and a snapshot on first load; reports where it lives', async () => {
    const path = file()
    const s = await reopen(path)
    expect(s.location).toBe(path)
    expect(existsSync(path)).toBe(true)
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      transactions: {},
      deliveries: {},
      jobs: {},
      merchants: {},
      counters: {},
      state: {},
    })
    await s.close()
  })

  it('remove() and clear() are durable; put after remove wins; values() lists what is there', async () => {
    const path = file()
    const s = await reopen(path)
    s.put('transactions', 'a', { n: 1 })
    s.put('transactions', 'b', { n: 2 })
    s.put('jobs', 'j', { at: 1 })
    await s.commit()
    s.remove('transactions', 'a')
    s.clear('jobs')
    await s.commit()
    let r = await reopen(path)
    expect(r.values('transactions')).toEqual([{ n: 2 }])
    expect(r.get('transactions', 'a')).toBeUndefined()
    expect(r.values('jobs')).toEqual([])
    s.put('transactions', 'a', { n: 3 })
    s.clear()
    s.put('state', 'kept', true)
    await s.commit()
    r = await reopen(path)
    expect(r.values('transactions')).toEqual([])
    expect(r.get('state', 'kept')).toBe(true)
    await s.close()
  })

  it('counters start at 1 and survive a reopen', async () => {
    const path = file()
    const s = await reopen(path)
    expect([s.nextCounter('x'), s.nextCounter('x'), s.nextCounter('y')]).toEqual([1, 2, 1])
    await s.commit()
    const r = await reopen(path)
    expect(r.nextCounter('x')).toBe(3)
    await s.close()
  })

  it('a commit while a write is in progress is written by the next write, and both resolve durable', async () => {
    const path = file()
    const s = await reopen(path)
    s.put('transactions', 'first', 1)
    const first = s.commit()
    s.put('transactions', 'second', 2)
    const second = s.commit()
    s.put('transactions', 'third', 3)
    const third = s.commit()
    expect(third).toBe(second) // queued commits share the next write
    await second
    const r = await reopen(path)
    expect(r.values('transactions').sort()).toEqual([1, 2, 3])
    await first
    await s.close()
  })

  it('a log line for an unknown collection, or blank lines, are skipped; the rest replays', async () => {
    const path = file()
    const s = await reopen(path)
    s.put('transactions', 't', { ok: 1 })
    await s.commit()
    await s.close()
    appendFileSync(`${path}.log`, '\n{"c":"nope","id":"x","v":1}\n   \n{"c":"state","id":"s","v":"yes"}\n')
    const r = await reopen(path)
    expect(r.get('transactions', 't')).toEqual({ ok: 1 })
    expect(r.get('state', 's')).toBe('yes')
    expect(readFileSync(`${path}.log`, 'utf8')).toBe('') // folded into the snapshot
  })

  it('close() writes what is pending, twice is harmless', async () => {
    const path = file()
    const s = await reopen(path)
    s.put('state', 'late', 42)
    await s.close()
    await s.close()
    expect((await reopen(path)).get('state', 'late')).toBe(42)
  })
})
