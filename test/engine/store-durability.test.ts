import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LowdbStore as Store } from '../../src/engine/store-lowdb.js'
import { tempDirs } from '../support/temp.js'

/** What a reader of the files finds after each kind of change (only the Store's public methods). */
const temp = tempDirs('store-durable-')
const file = () => join(temp(), 'nested', 'db.json')
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
    // A restart after a crash: the first store is gone (two live stores never share files).
    let r = await reopen(path)
    expect(r.values('transactions')).toEqual([{ n: 2 }])
    expect(r.get('transactions', 'a')).toBeUndefined()
    expect(r.values('jobs')).toEqual([])
    r.put('transactions', 'a', { n: 3 })
    r.clear()
    r.put('state', 'kept', true)
    await r.commit()
    r = await reopen(path)
    expect(r.values('transactions')).toEqual([])
    expect(r.get('state', 'kept')).toBe(true)
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
    s.put('transactions', 'first', { n: 1 })
    const first = s.commit()
    s.put('transactions', 'second', { n: 2 })
    const second = s.commit()
    s.put('transactions', 'third', { n: 3 })
    const third = s.commit()
    await Promise.all([second, third])
    const r = await reopen(path)
    expect(
      r
        .values<{ n: number }>('transactions')
        .map((t) => t.n)
        .sort(),
    ).toEqual([1, 2, 3])
    await first
    await s.close()
  })

  it('blank log lines are skipped and the rest replays; a line for an unknown collection stops start-up (docs/store.md)', async () => {
    const path = file()
    const s = await reopen(path)
    s.put('transactions', 't', { ok: 1 })
    await s.commit()
    await s.close()
    appendFileSync(`${path}.log`, '\n   \n{"c":"state","id":"s","v":"yes"}\n{"commit":99}\n')
    const r = await reopen(path)
    expect(r.get('transactions', 't')).toEqual({ ok: 1 })
    expect(r.get('state', 's')).toBe('yes')
    expect(readFileSync(`${path}.log`, 'utf8')).toBe('') // folded into the snapshot
    await r.close()
    appendFileSync(`${path}.log`, '{"log":2}\n{"c":"nope","id":"x","v":1}\n{"commit":1}\n')
    await expect(reopen(path)).rejects.toThrow(/line 2 names an unknown collection "nope"/)
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
